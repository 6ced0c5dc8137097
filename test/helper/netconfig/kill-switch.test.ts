// The kill switch: with the tunnel up, nothing leaves outside it; with the
// engine killed, it stays blocked (recover keeps the table); after down it is
// open again. allow-lan keeps the LAN reachable.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../support/netns.js';
import { wiredeskBin } from '../../support/cli.js';
import { driver, handshakeDone, journalExists, killEngine, snapshot } from './state.js';
import { LAN_PEER_V4, OUTSIDE_V4, SERVICE_V4, skipReason, TUNNEL_PEER_V4, withTopology } from './topology.js';

const skip = skipReason;

describe('kill switch', { skip }, () => {
  it('on: blocks traffic outside the tunnel, stays blocked when the engine dies, opens after down', () => withTopology('k', async (t) => {
    const before = snapshot(t.client);
    assert.equal(t.ping(LAN_PEER_V4), 0);
    const conf = t.writeConfig(t.config({ allowedIps: '0.0.0.0/0, ::/0' }));
    const up = t.runInClient(wiredeskBin, ['up', conf, '--kill-switch=on']);
    assert.equal(up.status, 0, up.stderr);
    assert.match(t.client.exec('nft', ['list', 'table', 'inet', `wiredesk-${t.ifname}`]), /meta mark 0x0000ca6c accept/);

    assert.equal(t.ping(TUNNEL_PEER_V4), 0, 'through the tunnel: allowed');
    assert.equal(t.ping(SERVICE_V4), 0, 'through the tunnel: allowed');
    assert.notEqual(t.ping(LAN_PEER_V4, 1), 0, 'the peer namespace directly over the veth: blocked');
    assert.notEqual(t.ping(OUTSIDE_V4, 1), 0, 'anything else over the veth: blocked');
    await waitFor(() => handshakeDone(t), 5_000, 'the handshake (the endpoint is exempt)');

    await killEngine(t);
    assert.notEqual(t.ping(LAN_PEER_V4, 1), 0, 'engine dead: still blocked');
    const recovered = driver(t, ['recover']);
    assert.deepEqual(recovered.result, [t.ifname]);
    const after = snapshot(t.client);
    assert.equal(after.rules4, before.rules4, 'the policy rules are gone');
    assert.equal(after.routes4, before.routes4);
    assert.doesNotMatch(after.nft, /wiredesk-route-/, 'the routing nft tables are gone');
    assert.match(after.nft, new RegExp(`table inet wiredesk-${t.ifname} `), 'the kill switch table stays');
    assert.notEqual(t.ping(LAN_PEER_V4, 1), 0, 'recovered: still blocked');
    assert.notEqual(t.ping(OUTSIDE_V4, 1), 0);
    assert.ok(journalExists(t.ifname), 'the journal keeps the kill switch for down');
    assert.deepEqual(driver(t, ['recover']).result, [], 'a second recover has nothing to do');
    assert.deepEqual(driver(t, ['active']).result, [t.ifname]);

    const down = t.runInClient(wiredeskBin, ['down', t.ifname]);
    assert.equal(down.status, 0, down.stderr);
    assert.equal(t.ping(LAN_PEER_V4), 0, 'after down: open again');
    assert.deepEqual(snapshot(t.client), before);
    assert.ok(!journalExists(t.ifname));
  }));

  it('allow-lan: the LAN stays reachable, other destinations outside the tunnel do not', () => withTopology('l', async (t) => {
    const before = snapshot(t.client);
    const conf = t.writeConfig(t.config({ allowedIps: '0.0.0.0/0' }));
    const up = t.runInClient(wiredeskBin, ['up', conf, '--kill-switch', 'allow-lan']);
    assert.equal(up.status, 0, up.stderr);
    assert.equal(t.ping(SERVICE_V4), 0, 'through the tunnel');
    assert.equal(t.ping(LAN_PEER_V4), 0, 'the LAN (10.0.0.0/8) is allowed');
    assert.notEqual(t.ping(OUTSIDE_V4, 1), 0, '198.18.0.1 over the veth is not LAN: blocked');
    await killEngine(t);
    assert.equal(t.ping(LAN_PEER_V4), 0, 'engine dead: the LAN is still allowed');
    assert.notEqual(t.ping(OUTSIDE_V4, 1), 0, 'engine dead: the rest is still blocked');
    const down = t.runInClient(wiredeskBin, ['down', t.ifname]);
    assert.equal(down.status, 0, down.stderr);
    assert.equal(t.ping(OUTSIDE_V4), 0);
    assert.deepEqual(snapshot(t.client), before);
  }));

  it('on, split tunnel (no fwmark): the endpoint is exempt by address and port', () => withTopology('s', async (t) => {
    const conf = t.writeConfig(t.config());
    const up = t.runInClient(wiredeskBin, ['up', conf, '--kill-switch=on']);
    assert.equal(up.status, 0, up.stderr);
    assert.match(t.client.exec('nft', ['list', 'table', 'inet', `wiredesk-${t.ifname}`]), /ip daddr 10\.201\.0\.1 udp dport 51820 accept/);
    assert.equal(t.ping(TUNNEL_PEER_V4), 0, 'handshake and traffic through the tunnel');
    assert.notEqual(t.ping(LAN_PEER_V4, 1), 0);
    assert.notEqual(t.ping(OUTSIDE_V4, 1), 0);
    assert.equal(t.runInClient(wiredeskBin, ['down', conf]).status, 0);
    assert.equal(t.ping(LAN_PEER_V4), 0);
  }));

  it('a new up of a tunnel blocked after a crash replaces the kill switch without opening it', () => withTopology('r', async (t) => {
    const conf = t.writeConfig(t.config({ allowedIps: '0.0.0.0/0' }));
    assert.equal(t.runInClient(wiredeskBin, ['up', conf, '--kill-switch=on']).status, 0);
    await killEngine(t);
    assert.deepEqual(driver(t, ['recover']).result, [t.ifname]);
    const again = t.runInClient(wiredeskBin, ['up', conf, '--kill-switch=on']);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(t.ping(SERVICE_V4), 0);
    assert.notEqual(t.ping(LAN_PEER_V4, 1), 0);
    assert.equal((t.client.exec('nft', ['list', 'tables']).match(/inet wiredesk-/g) ?? []).length, 1);
    assert.equal(t.runInClient(wiredeskBin, ['down', conf]).status, 0);
    assert.equal(t.ping(LAN_PEER_V4), 0);
    assert.equal(t.client.exec('nft', ['list', 'ruleset']), '');
  }));
});
