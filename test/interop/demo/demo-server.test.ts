// `wiredesk demo` against the WireGuard project's real demo server
// (contrib-server.ts sets it up): the config it prints passes `wiredesk
// check`, comes up on our engine with `wiredesk up`, and reaches the
// server's 192.168.4.1 through the tunnel; the server lists our key. Then
// the ways it fails: an ERROR reply, a refused port, an unknown name, and a
// server that never answers, each as its own sentence with exit 1.
// The specs run in order on one server, as a user's session would.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { lastEntry, parseConfig, publicKeyFromPrivate } from '../../../shared/config/index.js';
import { parseDemoReply } from '../../../shared/demo/demo-protocol.js';
import { wiredeskBin } from '../../support/cli.js';
import { DEMO_NAME, DemoLab, SERVER_ADDR, SERVER_ADDR6, labSkipReason } from './contrib-server.js';

const skip = labSkipReason();

describe('wiredesk demo with the real contrib demo server (server.sh, ncat, wireguard-go)', { skip }, () => {
  let lab: DemoLab;
  let conf = '';
  let ourKey = '';

  before(async () => {
    lab = new DemoLab();
    await lab.startServer();
  });
  after(() => lab?.destroy());

  it('prints a config that passes check, comes up, and pings the demo page at 192.168.4.1', () => {
    const demo = lab.inClient(wiredeskBin, ['demo', DEMO_NAME]);
    assert.equal(demo.status, 0, `${demo.stderr}\nserver log:\n${lab.log()}`);
    assert.equal(demo.stderr, '');
    const parsed = parseConfig(demo.stdout);
    ourKey = publicKeyFromPrivate(lastEntry(parsed.interface, 'PrivateKey')!.value);
    const serverKey = lab.wg('show', 'wg0', 'public-key').trim();
    assert.equal(lastEntry(parsed.interface, 'Address')?.value, '192.168.4.2/24', 'server.sh hands out .2 first');
    assert.equal(lastEntry(parsed.peers[0], 'PublicKey')?.value, serverKey);
    assert.equal(lastEntry(parsed.peers[0], 'Endpoint')?.value, `${DEMO_NAME}:12912`, 'our host name, the server\'s listen port');
    assert.equal(lastEntry(parsed.peers[0], 'AllowedIPs')?.value, '192.168.4.1/32');
    assert.equal(lastEntry(parsed.peers[0], 'PersistentKeepalive')?.value, '25');

    conf = lab.writeConfig(demo.stdout);
    const check = lab.inClient(wiredeskBin, ['check', conf]);
    assert.deepEqual([check.status, check.stdout, check.stderr], [0, '', ''], 'no errors and no warnings');

    assert.match(lab.wg('show', 'wg0', 'peers'), new RegExp(`^${escape(ourKey)}$`, 'm'), 'the server lists our public key');
    assert.match(lab.wg('show', 'wg0', 'allowed-ips'), new RegExp(`^${escape(ourKey)}\\t192\\.168\\.4\\.2/32$`, 'm'));

    const up = lab.inClient(wiredeskBin, ['up', conf]);
    assert.equal(up.status, 0, up.stderr);
    const ping = lab.inClient('ping', ['-c', '3', '-i', '0.3', '-W', '2', '192.168.4.1'], undefined, 30_000);
    assert.equal(ping.status, 0, `no answer from 192.168.4.1 through the tunnel:\n${ping.stdout}${ping.stderr}`);
    const handshake = new RegExp(`^${escape(ourKey)}\\t([0-9]+)$`, 'm').exec(lab.wg('show', 'wg0', 'latest-handshakes'));
    assert.ok(Number(handshake?.[1]) > 0, 'the server completed a handshake with us');
    // Only the demo page is routed into the tunnel, not everything.
    assert.doesNotMatch(lab.inClient('ip', ['route', 'show', 'default']).stdout, new RegExp(lab.ifname));
    const down = lab.inClient(wiredeskBin, ['down', conf]);
    assert.equal(down.status, 0, down.stderr);
  });

  it('the real server answers ERROR to a key it cannot add', () => {
    // Spoken the way the upstream client.sh speaks it: bash's /dev/tcp, one line out, one line back.
    const raw = lab.inClient('bash', ['-c', `exec 3<>/dev/tcp/${SERVER_ADDR}/42912; echo not-a-key >&3; cat <&3`], undefined, 20_000);
    assert.equal(raw.stdout, 'ERROR\n', raw.stderr);
    assert.deepEqual(parseDemoReply(raw.stdout.trimEnd(), 'x'), { ok: false, failure: { code: 'server-error', target: 'x' } });
  });

  it('says the server replied ERROR when the real server cannot add us (its wg0 is gone)', () => {
    // server.sh answers every connection, but `wg set wg0 peer ...` fails without wg0: it replies ERROR.
    lab.server.exec('/usr/sbin/ip', ['link', 'del', 'dev', 'wg0']);
    const r = lab.inClient(wiredeskBin, ['demo', DEMO_NAME]);
    assert.deepEqual([r.status, r.stdout], [1, ''], r.stderr);
    assert.equal(r.stderr, `wiredesk demo: The demo server ${DEMO_NAME}:42912 replied ERROR: it could not add this computer as a peer. Try again later.\n`);
  });

  it('says the connection was refused on a port where nothing listens', () => {
    const r = lab.inClient(wiredeskBin, ['demo', `${SERVER_ADDR}:42999`]);
    assert.deepEqual([r.status, r.stdout], [1, '']);
    assert.equal(r.stderr, `wiredesk demo: ${SERVER_ADDR}:42999 refused the connection: no demo server is listening on that port.\n`);
  });

  it('says a name that does not resolve could not be found', () => {
    const r = lab.inClient(wiredeskBin, ['demo', 'no-such-demo.wiredesk.test']);
    assert.deepEqual([r.status, r.stdout], [1, '']);
    assert.equal(r.stderr, 'wiredesk demo: The demo server no-such-demo.wiredesk.test:42912 could not be found; check the host name and your internet connection.\n');
  });

  it('gives up on a server that takes the key and never answers (over IPv6, [address]:port)', async () => {
    await lab.startScriptServer(42914, 'read -r key; sleep 60');
    const r = lab.inClient(wiredeskBin, ['demo', `[${SERVER_ADDR6}]:42914`]);
    assert.deepEqual([r.status, r.stdout], [1, '']);
    assert.equal(r.stderr, `wiredesk demo: The demo server [${SERVER_ADDR6}]:42914 did not reply within 10 seconds; it may be down, or a firewall may block the port.\n`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
