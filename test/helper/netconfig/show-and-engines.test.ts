// `wiredesk show` prints what `wg show` prints for the same interface; up
// works with wireguard-go as the engine ($WIREDESK_ENGINE) and resolves
// endpoint host names (from the namespace's own /etc/hosts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { waitFor } from '../../support/netns.js';
import { wiredeskBin } from '../../support/cli.js';
import { handshakeDone, snapshot } from './state.js';
import { SERVICE_V4, TUNNEL_PEER_V4, Topology, skipReason, withTopology } from './topology.js';

const skip = skipReason;

/** `wg show X` and `wiredesk show X` taken while the state (and the second) did not change. */
function sameMomentShow(t: Topology, ifname: string): { wg: string; ours: string } {
  for (let attempt = 0; ; attempt++) {
    const a = t.client.exec('wg', ['show', ifname]);
    const ours = t.runInClient(wiredeskBin, ['show', ifname]).stdout;
    const b = t.client.exec('wg', ['show', ifname]);
    if (a === b || attempt === 10) return { wg: a, ours };
  }
}

describe('wiredesk show', { skip }, () => {
  it('prints exactly what wg show prints, for our engine and for wireguard-go', () => withTopology('w', async (t) => {
    const conf = t.writeConfig(t.config({ peer: ['PersistentKeepalive = 25'] }));
    assert.equal(t.runInClient(wiredeskBin, ['up', conf]).status, 0);
    assert.equal(t.ping(TUNNEL_PEER_V4), 0);
    t.client.exec('ping', ['-c', '20', '-i', '0.01', '-s', '1200', TUNNEL_PEER_V4]);
    await waitFor(() => handshakeDone(t), 5_000, 'a handshake');
    const ours = sameMomentShow(t, t.ifname);
    assert.match(ours.wg, /latest handshake: .*\n {2}transfer: [0-9.]+ KiB received, [0-9.]+ KiB sent\n {2}persistent keepalive: every 25 seconds\n$/);
    assert.equal(ours.ours, ours.wg);

    // The peer's wireguard-go interface, seen from its own namespace: a different implementation.
    const fromPeer = (cmd: string, args: string[]) => t.peer.exec(cmd, args);
    const wg = fromPeer('wg', ['show', t.peerIf]);
    const mine = fromPeer(wiredeskBin, ['show', t.peerIf]);
    const wgAgain = fromPeer('wg', ['show', t.peerIf]);
    if (wg === wgAgain) assert.equal(mine, wg);
    assert.equal(t.runInClient(wiredeskBin, ['down', conf]).status, 0);
    const missing = t.runInClient(wiredeskBin, ['show', t.ifname]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^wiredesk show: \S+: no WireGuard interface by that name is running$/m);
  }));
});

describe('engines and endpoints', { skip }, () => {
  it('brings a tunnel up and down with wireguard-go as the engine', () => withTopology('g', (t) => {
    const before = snapshot(t.client);
    const conf = t.writeConfig(t.config({ allowedIps: '0.0.0.0/0' }));
    const up = t.runInClient(wiredeskBin, ['up', conf], { WIREDESK_ENGINE: 'wireguard-go' });
    assert.equal(up.status, 0, up.stderr);
    assert.match(up.stderr, /\[#\] wireguard-go /);
    assert.equal(t.ping(SERVICE_V4), 0);
    assert.equal(t.runInClient(wiredeskBin, ['down', conf]).status, 0);
    assert.deepEqual(snapshot(t.client), before);
  }));

  it('resolves an endpoint host name at up, and refuses one that does not resolve', () => withTopology('n', (t) => {
    writeFileSync(`/etc/netns/${t.client.name}/hosts`, '127.0.0.1 localhost\n10.201.0.1 peer.wiredesk.test\n');
    const named = t.writeConfig(t.config().replace('Endpoint = 10.201.0.1:', 'Endpoint = peer.wiredesk.test:'));
    const up = t.runInClient(wiredeskBin, ['up', named]);
    assert.equal(up.status, 0, up.stderr);
    assert.match(up.stderr, /resolved endpoint peer\.wiredesk\.test to 10\.201\.0\.1/);
    assert.match(t.client.exec('wg', ['show', t.ifname, 'endpoints']), /\t10\.201\.0\.1:51820$/m);
    assert.equal(t.ping(TUNNEL_PEER_V4), 0);
    assert.equal(t.runInClient(wiredeskBin, ['down', named]).status, 0);

    const before = snapshot(t.client);
    const bad = t.writeConfig(t.config().replace('Endpoint = 10.201.0.1:', 'Endpoint = nosuch.invalid:'));
    const failed = t.runInClient(wiredeskBin, ['up', bad]);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /^wiredesk up: could not resolve endpoint host nosuch\.invalid: /m);
    assert.deepEqual(snapshot(t.client), before);
  }));
});
