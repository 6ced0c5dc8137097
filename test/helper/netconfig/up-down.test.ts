// `wiredesk up` / `down` with a split tunnel: addresses, MTU and routes
// appear, and down puts every table back exactly as it was.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wiredeskBin } from '../../support/cli.js';
import { journalExists, snapshot } from './state.js';
import { SERVICE_V4, SERVICE_V6, TUNNEL_PEER_V4, skipReason, withTopology } from './topology.js';

const skip = skipReason;

describe('wiredesk up / down (split tunnel)', { skip }, () => {
  it('adds the addresses, the automatic MTU and the AllowedIPs routes, and down removes exactly them', () => withTopology('u', (t) => {
    t.client.exec('ip', ['link', 'set', t.clientVeth, 'mtu', '1400']);
    const before = snapshot(t.client);
    const conf = t.writeConfig(t.config());
    const up = t.runInClient(wiredeskBin, ['up', conf]);
    assert.equal(up.status, 0, up.stderr);
    assert.match(up.stderr, /\[#\] ip -4 address add 192\.168\.201\.2\/24 dev /);

    const addrs = t.client.exec('ip', ['-o', 'address', 'show', 'dev', t.ifname]);
    assert.match(addrs, /inet 192\.168\.201\.2\/24/);
    assert.match(addrs, /inet6 fd77::2\/64/);
    // The veth is the way to the endpoint: 1400 - 80.
    assert.match(t.client.exec('ip', ['link', 'show', 'dev', t.ifname]), /mtu 1320 .*state UNKNOWN|mtu 1320/);
    assert.match(t.client.exec('ip', ['link', 'show', 'dev', t.ifname]), /<[^>]*\bUP\b/);
    assert.match(t.client.exec('ip', ['-4', 'route', 'show', 'dev', t.ifname]), /^172\.30\.0\.0\/24 scope link/m);
    assert.match(t.client.exec('ip', ['-6', 'route', 'show', 'dev', t.ifname]), /^fd30::\/64 metric 1024/m);
    // 192.168.201.0/24 is already routed by the address's own prefix route: not added twice.
    assert.equal(t.client.exec('ip', ['-4', 'route', 'show', '192.168.201.0/24']).trim().split('\n').length, 1);
    assert.equal(t.ping(TUNNEL_PEER_V4), 0, 'the peer answers through the tunnel');
    assert.equal(t.ping(SERVICE_V4), 0, 'a network behind the peer is reached through the tunnel');
    assert.equal(t.client.status('ping', ['-6', '-c', '1', '-W', '2', SERVICE_V6], 10_000), 0);
    assert.ok(journalExists(t.ifname));

    const down = t.runInClient(wiredeskBin, ['down', conf]);
    assert.equal(down.status, 0, down.stderr);
    assert.deepEqual(snapshot(t.client), before);
    assert.ok(!journalExists(t.ifname));
  }));

  it('uses the MTU key when there is one', () => withTopology('m', (t) => {
    const conf = t.writeConfig(t.config({ iface: ['MTU = 1280'] }));
    const up = t.runInClient(wiredeskBin, ['up', conf]);
    assert.equal(up.status, 0, up.stderr);
    assert.match(t.client.exec('ip', ['link', 'show', 'dev', t.ifname]), /mtu 1280 /);
    assert.equal(t.runInClient(wiredeskBin, ['down', t.ifname]).status, 0);
  }));

  it('Table = off adds no routes; Table = 1234 puts them in table 1234', () => withTopology('t', (t) => {
    const before = snapshot(t.client);
    const off = t.writeConfig(t.config({ iface: ['Table = off'] }));
    assert.equal(t.runInClient(wiredeskBin, ['up', off]).status, 0);
    assert.equal(t.client.exec('ip', ['-4', 'route', 'show', '172.30.0.0/24']), '');
    assert.equal(t.runInClient(wiredeskBin, ['down', off]).status, 0);
    assert.deepEqual(snapshot(t.client), before);

    const numbered = t.writeConfig(t.config({ iface: ['Table = 1234'], allowedIps: '0.0.0.0/0, 172.30.0.0/24' }));
    const up = t.runInClient(wiredeskBin, ['up', numbered]);
    assert.equal(up.status, 0, up.stderr);
    const table = t.client.exec('ip', ['-4', 'route', 'show', 'table', '1234']);
    assert.match(table, /^default dev \S+ scope link/m);
    assert.match(table, /^172\.30\.0\.0\/24 dev /m);
    assert.equal(t.client.exec('ip', ['-4', 'rule', 'show']), before.rules4, 'no policy routing for a numbered table');
    assert.equal(t.runInClient(wiredeskBin, ['down', numbered]).status, 0);
    assert.deepEqual(snapshot(t.client), before);
  }));

  it('refuses an invalid config with line-numbered errors and changes nothing', () => withTopology('e', (t) => {
    const before = snapshot(t.client);
    const conf = t.writeConfig(`${t.config()}\n[Peer]\nPublicKey = nope\nAllowedIPs = 10.0.0.0/33\n`);
    const up = t.runInClient(wiredeskBin, ['up', conf]);
    assert.equal(up.status, 1);
    assert.match(up.stderr, new RegExp(`${t.ifname}\\.conf:\\d+: error: PublicKey must be 44 characters`));
    assert.match(up.stderr, /\.conf:\d+: error: AllowedIPs entry "10\.0\.0\.0\/33" has a bad prefix length/);
    assert.match(up.stderr, /has errors; nothing was changed/);
    assert.deepEqual(snapshot(t.client), before);
    assert.ok(!journalExists(t.ifname));
  }));

  it('refuses a second up of the same tunnel, and a down of one that is not up', () => withTopology('d', (t) => {
    const conf = t.writeConfig(t.config());
    assert.equal(t.runInClient(wiredeskBin, ['up', conf]).status, 0);
    const again = t.runInClient(wiredeskBin, ['up', conf]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /is already up; bring it down first/);
    assert.equal(t.runInClient(wiredeskBin, ['down', conf]).status, 0);
    const twice = t.runInClient(wiredeskBin, ['down', conf]);
    assert.equal(twice.status, 1);
    assert.match(twice.stderr, /^wiredesk down: \S+ is not up/m);
  }));
});
