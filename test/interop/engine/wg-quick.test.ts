// wg-quick up/down with WG_QUICK_USERSPACE_IMPLEMENTATION pointing to our
// engine, against a wireguard-go peer across a veth pair. The /0 case also
// proves the fwmark (SO_MARK) wg-quick's policy routing relies on.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Netns, vethPair } from '../../support/netns.js';
import { ENGINE, SOCKET_DIR, attempt, genKeys, ifname, ping, pingEventually, skipReason, startDaemon, stopDaemon, lingering, survivors, wg } from './topology.js';

const skip = skipReason(['wg-quick']);
const started: string[] = [];

function wgQuick(ns: Netns, verb: 'up' | 'down', conf: string): { code: number; stderr: string } {
  const r = attempt(null, 'ip', ['netns', 'exec', ns.name, 'env', `WG_QUICK_USERSPACE_IMPLEMENTATION=${ENGINE}`,
    'wg-quick', verb, conf], 60_000);
  return { code: r.code, stderr: r.stderr };
}

describe('wg-quick with wiredesk-tunnel as its userspace implementation', { skip }, () => {
  after(async () => assert.deepEqual(await lingering(started), [], 'a wiredesk-tunnel outlived wg-quick down'));

  for (const routeAll of [false, true]) {
    const title = routeAll
      ? 'routes everything through the tunnel with AllowedIPs /0 (fwmark policy routing) and tears it down'
      : 'brings the tunnel up, pings the wireguard-go peer, and tears it down';
    it(title, async () => {
      const nsA = new Netns('qa');
      const nsB = new Netns('qb');
      const dir = mkdtempSync(join(tmpdir(), 'wd-wg-quick-'));
      const name = ifname('q');
      started.push(name);
      const conf = join(dir, `${name}.conf`);
      let peer;
      try {
        vethPair(nsA, '10.242.0.1/24,fd42::1/64', nsB, '10.242.0.2/24,fd42::2/64');
        const [ours, theirs] = [genKeys(), genKeys()];
        peer = await startDaemon('wireguard-go', nsB, ifname('g'));
        const keyFile = join(dir, 'peer.key');
        writeFileSync(keyFile, `${theirs.priv}\n`, { mode: 0o600 });
        wg('set', peer.ifname, 'private-key', keyFile, 'listen-port', '51821', 'peer', ours.pub,
          'allowed-ips', '192.168.242.1/32,fd01::1/128');
        nsB.exec('ip', ['addr', 'add', '192.168.242.2/24', 'dev', peer.ifname]);
        nsB.exec('ip', ['-6', 'addr', 'add', 'fd01::2/64', 'dev', peer.ifname, 'nodad']);
        nsB.exec('ip', ['link', 'set', peer.ifname, 'up']);

        const allowed = routeAll ? '0.0.0.0/0, ::/0' : '192.168.242.2/32, fd01::2/128';
        writeFileSync(conf, ['[Interface]', `PrivateKey = ${ours.priv}`, 'Address = 192.168.242.1/24, fd01::1/64', '',
          '[Peer]', `PublicKey = ${theirs.pub}`, `AllowedIPs = ${allowed}`, 'Endpoint = 10.242.0.2:51821', ''].join('\n'),
        { mode: 0o600 });

        const up = wgQuick(nsA, 'up', conf);
        assert.equal(up.code, 0, `wg-quick up failed:\n${up.stderr}`);
        assert.match(up.stderr, /Falling back to slow userspace implementation/);
        assert.match(nsA.exec('ip', ['link', 'show', name]), /mtu 1420 /);
        assert.ok(await pingEventually(nsA, '192.168.242.2'), `no ping through the tunnel:\n${up.stderr}`);
        assert.ok(ping(nsA, 'fd01::2'), 'no IPv6 ping through the tunnel');
        assert.ok(ping(nsB, '192.168.242.1'), 'no ping from the wireguard-go side');
        assert.equal(wg('show', peer.ifname, 'endpoints').trim(), `${ours.pub}\t10.242.0.1:${wg('show', name, 'listen-port').trim()}`);
        if (routeAll) {
          assert.equal(wg('show', name, 'fwmark').trim(), '0xca6c');
          // An address outside the tunnel's subnet routes through it too (and, with no one there, gets no answer),
          // while the engine's own marked UDP keeps to the veth: the tunnel still works.
          assert.match(nsA.exec('ip', ['route', 'get', '198.51.100.1']), new RegExp(`dev ${name} table 51820`));
          assert.ok(ping(nsA, '192.168.242.2'), 'the tunnel broke under policy routing');
        }

        const down = wgQuick(nsA, 'down', conf);
        assert.equal(down.code, 0, `wg-quick down failed:\n${down.stderr}`);
        assert.equal(attempt(nsA, 'ip', ['link', 'show', name]).code, 1, 'the interface survived wg-quick down');
        const deadline = Date.now() + 5000;
        while (survivors([name]).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(survivors([name]), [], 'the engine survived wg-quick down');
        assert.equal(existsSync(join(SOCKET_DIR, `${name}.sock`)), false, 'the socket survived wg-quick down');
        if (routeAll) assert.doesNotMatch(nsA.exec('ip', ['rule', 'show']), /51820/);
      } finally {
        if (survivors([name]).length > 0) wgQuick(nsA, 'down', conf);
        for (const line of survivors([name])) {
          try { process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL'); } catch { /* gone */ }
        }
        if (peer) await stopDaemon(peer, nsB).catch(() => {});
        nsA.destroy();
        nsB.destroy();
        rmSync(dir, { recursive: true, force: true });
        rmSync(join(SOCKET_DIR, `${name}.sock`), { force: true });
      }
    });
  }
});
