// `wg show` / `showconf` / `setconf` / `set` against the engine's UAPI, with
// wireguard-go's answers to the same commands as the reference: transfer
// counters (netns.sh check 1), config round trips, the UAPI stress load
// (check 17) and the key edge cases (check 18).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  OUR_V4, PEER_V4, Pair, SideBySide, allowedIpsByPeer, attempt, genKeys, genPsk, ping, pingEventually, skipReason, sortedConf, lingering, transfer, wg,
} from './topology.js';
import { listenUdp } from './probes.js';

const skip = skipReason();
const started: string[] = [];
const tokens = (text: string): number => text.split(/\s+/).filter(Boolean).length;

describe('wg(8) against the engine UAPI, compared with wireguard-go', { skip }, () => {
  after(async () => assert.deepEqual(await lingering(started), [], 'a wiredesk-tunnel outlived its interface'));

  it('counts transfer exactly as netns.sh check 1 after ten flood pings started by wireguard-go', async () => {
    const pair = await Pair.create('c');
    started.push(pair.ours.ifname);
    try {
      const r = attempt(pair.ns2, 'ping', ['-c', '10', '-f', '-W', '1', OUR_V4]);
      assert.equal(r.code, 0, `flood ping failed: ${r.stdout}${pair.logs()}`);
      // 84-byte ICMP padded to 96, so 128-byte transport messages. wireguard-go
      // initiated: it sent the 148-byte initiation and received our 92-byte
      // response; it may have added one 32-byte keepalive since.
      const [peerRx, peerTx] = transfer(pair.peer.ifname);
      const [ourRx, ourTx] = transfer(pair.ours.ifname);
      assert.equal(peerRx, 92 + 10 * 128, 'wireguard-go rx');
      assert.ok(peerTx === 148 + 10 * 128 || peerTx === 148 + 10 * 128 + 32, `wireguard-go tx ${peerTx}`);
      assert.equal(ourTx, 1372, 'our tx');
      assert.ok(ourRx === 1428 || ourRx === 1460, `our rx ${ourRx}`);
      assert.equal(ourRx, peerTx, 'what we received is what wireguard-go sent');
      const [, ourHandshake] = wg('show', pair.ours.ifname, 'latest-handshakes').trim().split('\t');
      const [, peerHandshake] = wg('show', pair.peer.ifname, 'latest-handshakes').trim().split('\t');
      assert.ok(Number(ourHandshake) > 0, 'our latest-handshakes');
      assert.ok(Number(peerHandshake) > 0, 'wireguard-go latest-handshakes');
      assert.ok(Math.abs(Number(ourHandshake) - Number(peerHandshake)) <= 2, 'both saw the handshake at the same time');
    } finally {
      await pair.destroy();
    }
  });

  it('counts transfer exactly, mirrored, after ten flood pings started by us', async () => {
    const pair = await Pair.create('c');
    started.push(pair.ours.ifname);
    try {
      const r = attempt(pair.ns1, 'ping', ['-c', '10', '-f', '-W', '1', PEER_V4]);
      assert.equal(r.code, 0, `flood ping failed: ${r.stdout}${pair.logs()}`);
      const [ourRx, ourTx] = transfer(pair.ours.ifname);
      const [peerRx, peerTx] = transfer(pair.peer.ifname);
      assert.equal(ourRx, 92 + 10 * 128, 'our rx');
      assert.ok(ourTx === 1428 || ourTx === 1460, `our tx ${ourTx}`);
      assert.equal(peerTx, 1372, 'wireguard-go tx');
      assert.equal(peerRx, ourTx, 'what wireguard-go received is what we sent');
    } finally {
      await pair.destroy();
    }
  });

  it('keeps the session through syncconf, and drops it through setconf, as replace_peers says', async () => {
    const pair = await Pair.create('y');
    started.push(pair.ours.ifname);
    try {
      assert.ok(await pingEventually(pair.ns1, PEER_V4), `no tunnel to start with${pair.logs()}`);
      const other = genKeys().pub;
      const conf = pair.secrets.file(['[Interface]', `PrivateKey = ${pair.ourKeys.priv}`, 'ListenPort = 1', '',
        '[Peer]', `PublicKey = ${pair.peerKeys.pub}`, `PresharedKey = ${pair.psk}`,
        'AllowedIPs = 192.168.241.2/32, fd00::2/128, 10.99.0.0/16', 'Endpoint = 127.0.0.1:2', '',
        '[Peer]', `PublicKey = ${other}`, 'AllowedIPs = 10.98.0.0/16', ''].join('\n'));
      const pingCost = (): [number, number] => {
        const [rx0, tx0] = transfer(pair.ours.ifname, pair.peerKeys.pub);
        assert.ok(ping(pair.ns1, PEER_V4), `ping failed${pair.logs()}`);
        const [rx1, tx1] = transfer(pair.ours.ifname, pair.peerKeys.pub);
        return [rx1 - rx0, tx1 - tx0];
      };
      const peerLine = (text: string) => text.split('\n').find((l) => l.startsWith(pair.peerKeys.pub)) ?? '';

      wg('syncconf', pair.ours.ifname, conf);
      assert.match(peerLine(wg('show', pair.ours.ifname, 'allowed-ips')), /10\.99\.0\.0\/16/);
      assert.equal(wg('show', pair.ours.ifname, 'peers').trim().split('\n').length, 2);
      assert.deepEqual(pingCost(), [128, 128], 'syncconf cost the session: the ping needed a handshake');

      wg('setconf', pair.ours.ifname, conf);
      assert.deepEqual(pingCost(), [92 + 128, 148 + 128], 'setconf kept a session that replace_peers removes');
    } finally {
      await pair.destroy();
    }
  });

  it('refuses a listen port in use with the same error as wireguard-go, and keeps listening on the old port', async () => {
    const s = await SideBySide.create('a');
    started.push(s.ours.ifname);
    const holders: Promise<unknown>[] = [];
    try {
      s.both('set', 'IF', 'listen-port', '40001');
      for (const ns of [s.ns, s.nsTheirs]) holders.push((await listenUdp(ns, '0.0.0.0', 40000, 2000)).result.catch(() => {}));
      const ours = attempt(null, 'wg', ['set', s.ours.ifname, 'listen-port', '40000']);
      const theirs = attempt(null, 'wg', ['set', s.theirs.ifname, 'listen-port', '40000']);
      assert.notEqual(theirs.code, 0, 'control: wireguard-go took a port in use');
      assert.equal(ours.code, theirs.code);
      assert.equal(ours.stderr.replace(s.ours.ifname, 'IF'), theirs.stderr.replace(s.theirs.ifname, 'IF'));
      // wireguard-go 0.0.20220316 is left with no socket at all (listen-port reads 0); we keep the old one.
      assert.equal(wg('show', s.ours.ifname, 'listen-port').trim(), '40001');
      assert.match(s.ns.exec('ss', ['-uln']), /:40001\b/);
      await Promise.all(holders);
      s.both('set', 'IF', 'listen-port', '40000');
      assert.equal(wg('show', s.ours.ifname, 'listen-port').trim(), '40000');
    } finally {
      await Promise.all(holders);
      await s.destroy();
    }
  });

  it('showconf gives back what setconf set, as wireguard-go does, and set edits it the same way', async () => {
    const s = await SideBySide.create('s');
    started.push(s.ours.ifname);
    try {
      const [a, b, c] = [genKeys(), genKeys(), genKeys()];
      const psk = genPsk();
      const conf = [
        '[Interface]', 'ListenPort = 51820', 'FwMark = 0x4d2', `PrivateKey = ${genKeys().priv}`, '',
        '[Peer]', `PublicKey = ${a.pub}`, `PresharedKey = ${psk}`, 'AllowedIPs = 10.9.0.0/16, fd09::/64, 10.8.1.1/32',
        'Endpoint = 127.0.0.9:9', '',
        '[Peer]', `PublicKey = ${b.pub}`, 'AllowedIPs = 0.0.0.0/0, ::/0', 'Endpoint = [::1]:7', 'PersistentKeepalive = 25', '',
        '[Peer]', `PublicKey = ${c.pub}`, '',
      ].join('\n');
      const file = s.secrets.file(conf);
      s.both('setconf', 'IF', file);
      const shown = s.both('showconf', 'IF');
      assert.equal(sortedConf(shown.ours), sortedConf(shown.theirs));
      assert.equal(sortedConf(shown.ours), sortedConf(conf));

      s.both('set', 'IF', 'listen-port', '51821', 'fwmark', 'off', 'peer', a.pub, 'remove', 'peer', b.pub,
        'allowed-ips', '192.168.4.0/24', 'persistent-keepalive', 'off', 'preshared-key', s.secrets.file(psk),
        'peer', c.pub, 'endpoint', '127.0.0.8:8', 'allowed-ips', '10.7.0.0/16,fd07::1/128');
      const edited = s.both('showconf', 'IF');
      assert.equal(sortedConf(edited.ours), sortedConf(edited.theirs));
      assert.match(edited.ours, /ListenPort = 51821/);
      assert.doesNotMatch(edited.ours, /FwMark|PersistentKeepalive|10\.9\.0\.0/);

      const dump = s.both('show', 'IF', 'dump');
      const stable = (text: string) => text.trim().split('\n').map((l) => l.split('\t').slice(0, 5).join('\t')).sort();
      assert.deepEqual(stable(dump.ours), stable(dump.theirs));
    } finally {
      await s.destroy();
    }
  });

  it('takes the UAPI stress load of netns.sh check 17 as wireguard-go does', async () => {
    const s = await SideBySide.create('x');
    started.push(s.ours.ifname);
    try {
      // One peer with 255*256*2 allowed IPs.
      const big = ['[Interface]', `PrivateKey = ${genKeys().priv}`, '[Peer]', `PublicKey = ${genKeys().pub}`];
      for (let a = 1; a <= 255; a++) for (let b = 0; b <= 255; b++) big.push(`AllowedIPs = ${a}.${b}.0.0/16,${a}::${b}/128`);
      s.both('setconf', 'IF', s.secrets.file(big.join('\n')));
      const bigShown = s.both('show', 'IF', 'allowed-ips');
      assert.equal(tokens(bigShown.ours), 255 * 256 * 2 + 1);
      assert.deepEqual(allowedIpsByPeer(bigShown.ours), allowedIpsByPeer(bigShown.theirs));

      // 40 peers with 52 prefixes each.
      const forty = ['[Interface]', `PrivateKey = ${genKeys().priv}`];
      for (let a = 1; a <= 40; a++) {
        forty.push('[Peer]', `PublicKey = ${genKeys().pub}`);
        for (let b = 1; b <= 52; b++) forty.push(`AllowedIPs = ${a}.${b}.0.0/16`);
      }
      s.both('setconf', 'IF', s.secrets.file(forty.join('\n')));
      const fortyShown = s.both('show', 'IF', 'allowed-ips');
      const lines = fortyShown.ours.trim().split('\n');
      assert.equal(lines.length, 40);
      for (const line of lines) assert.equal(tokens(line), 53);
      assert.deepEqual(allowedIpsByPeer(fortyShown.ours), allowedIpsByPeer(fortyShown.theirs));

      // 29 bare peers and one with two prefixes survive showconf.
      const thirty: string[] = [];
      for (let i = 1; i <= 29; i++) thirty.push('[Peer]', `PublicKey = ${genKeys().pub}`);
      thirty.push('[Peer]', `PublicKey = ${genKeys().pub}`, 'AllowedIPs = 255.2.3.4/32,abcd::255/128');
      s.both('setconf', 'IF', s.secrets.file(thirty.join('\n')));
      const thirtyShown = s.both('showconf', 'IF');
      assert.equal(thirtyShown.ours.split('[Peer]').length - 1, 30);
      const noPort = (text: string) => sortedConf(text.replace(/^ListenPort = \d+\n/m, ''));
      assert.equal(noPort(thirtyShown.ours), noPort(thirtyShown.theirs));

      // A peer showing (none), then one with 197 IPv6 /128s.
      s.both('setconf', 'IF', s.secrets.file('[Interface]\n'));
      const [p1, p2] = [genKeys().pub, genKeys().pub];
      const list = Array.from({ length: 197 }, (_, i) => `abcd::${i + 1}`).join(',');
      s.both('set', 'IF', 'peer', p1);
      s.both('set', 'IF', 'peer', p2, 'allowed-ips', list);
      const v6Shown = s.both('show', 'IF', 'allowed-ips');
      const [first, second = ''] = v6Shown.ours.trim().split('\n');
      assert.equal(first, `${p1}\t(none)`);
      assert.ok(second.startsWith(`${p2}\t`));
      assert.equal(tokens(second) - 1, 197);
      assert.deepEqual(allowedIpsByPeer(v6Shown.ours), allowedIpsByPeer(v6Shown.theirs));
    } finally {
      await s.destroy();
    }
  });

  it('handles the key edge cases of netns.sh check 18 exactly as wireguard-go does', async () => {
    const s = await SideBySide.create('k');
    started.push(s.ours.ifname);
    try {
      const [k1, k2] = [genKeys(), genKeys()];
      const steps: Record<string, { ours: string; theirs: string }> = {};
      const show = (label: string, what: string) => { steps[label] = s.both('show', 'IF', what); };

      s.both('set', 'IF', 'private-key', '/dev/null', 'peer', k2.pub, 'preshared-key', '/dev/null');
      show('zero key', 'private-key');
      show('zero key peers', 'peers');
      show('zero psk', 'preshared-keys');
      s.both('set', 'IF', 'private-key', s.secrets.file(k1.priv));
      show('key set', 'private-key');
      s.both('set', 'IF', 'private-key', s.secrets.file(k2.priv));
      show('own key removes peer', 'peers');
      s.both('set', 'IF', 'peer', k2.pub);
      show('own key ignored', 'peers');
      s.both('set', 'IF', 'private-key', s.secrets.file(`/${k1.priv.slice(1)}`));
      show('clamped', 'private-key');
      const k3 = genKeys().pub;
      s.both('set', 'IF', 'peer', k3, 'allowed-ips', '0.0.0.0/0,10.0.0.0/8,100.0.0.0/10,172.16.0.0/12,192.168.0.0/16');
      show('v4 overlap', 'allowed-ips');
      s.both('set', 'IF', 'peer', k3, 'allowed-ips', '0.0.0.0/0');
      show('v4 /0', 'allowed-ips');
      s.both('set', 'IF', 'peer', k3, 'allowed-ips', '::/0,1700::/111,5000::/4,e000::/37,9000::/75');
      show('v6 overlap', 'allowed-ips');
      s.both('set', 'IF', 'peer', k3, 'allowed-ips', '::/0');
      show('v6 /0', 'allowed-ips');
      s.both('set', 'IF', 'peer', k3, 'remove');
      show('removed', 'peers');

      const ours = (label: string) => steps[label]!.ours.trim();
      assert.equal(ours('zero key'), '(none)');
      assert.equal(ours('zero key peers'), k2.pub);
      assert.equal(ours('zero psk'), `${k2.pub}\t(none)`);
      assert.equal(ours('key set'), k1.priv);
      assert.equal(ours('own key removes peer'), '');
      assert.equal(ours('own key ignored'), '');
      assert.equal(ours('clamped'), `+${k1.priv.slice(1)}`);
      assert.deepEqual(allowedIpsByPeer(ours('v4 overlap')).get(k3),
        ['0.0.0.0/0', '10.0.0.0/8', '100.0.0.0/10', '172.16.0.0/12', '192.168.0.0/16']);
      assert.equal(ours('v4 /0'), `${k3}\t0.0.0.0/0`);
      assert.equal(allowedIpsByPeer(ours('v6 overlap')).get(k3)?.length, 5);
      assert.equal(ours('v6 /0'), `${k3}\t::/0`);
      assert.equal(ours('removed'), '');
      for (const [label, both] of Object.entries(steps)) {
        if (label.includes('overlap')) assert.deepEqual(allowedIpsByPeer(both.ours), allowedIpsByPeer(both.theirs), label);
        else assert.equal(both.ours, both.theirs, label);
      }
    } finally {
      await s.destroy();
    }
  });
});
