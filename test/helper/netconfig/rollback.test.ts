// A step that fails half way through up rolls back everything done before
// it, in reverse, and leaves nothing: no interface, engine, journal, route,
// rule, nft table or DNS change.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { wiredeskBin } from '../../support/cli.js';
import { driver, enginePids, journalExists, snapshot } from './state.js';
import { Topology, skipReason, withTopology } from './topology.js';

const skip = skipReason;

function assertNothingLeft(t: Topology, before: ReturnType<typeof snapshot>): void {
  assert.deepEqual(snapshot(t.client), before);
  assert.ok(!journalExists(t.ifname), 'no journal');
  assert.deepEqual(enginePids(t.client, t.ifname), [], 'no engine');
  assert.ok(!existsSync(`/var/run/wireguard/${t.ifname}.sock`), 'no UAPI socket');
}

describe('rollback', { skip }, () => {
  it('a route that already exists fails up half way; everything before it is undone', () => withTopology('b', (t) => {
    t.client.exec('ip', ['route', 'add', '10.99.0.0/24', 'via', '10.201.0.1']);
    const before = snapshot(t.client);
    // Longest prefix first: the /25 is added, then the /24 clashes with the route above.
    const conf = t.writeConfig(t.config({ allowedIps: '172.30.0.0/25, 10.99.0.0/24', iface: ['DNS = 192.168.201.1'] }));
    const failed = t.runInClient(wiredeskBin, ['up', conf, '--kill-switch=on']);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /^wiredesk up: could not bring \S+ up: ip -4 route add 10\.99\.0\.0\/24 dev \S+: RTNETLINK answers: File exists$/m);
    assert.match(failed.stderr, /\[#\] ip -4 route delete 172\.30\.0\.0\/25 dev/);
    assert.match(failed.stderr, /\[#\] restore \/etc\/resolv\.conf/);
    assertNothingLeft(t, before);
  }));

  it('a failing PostUp hook (with --allow-scripts) undoes the whole tunnel', () => withTopology('h', (t) => {
    const before = snapshot(t.client);
    const conf = t.writeConfig(t.config({ allowedIps: '0.0.0.0/0', iface: ['DNS = 192.168.201.1', 'PostUp = exit 3'] }));
    const failed = t.runInClient(wiredeskBin, ['up', conf, '--allow-scripts', '--kill-switch=allow-lan']);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /could not bring \S+ up: PostUp hook failed/);
    assertNothingLeft(t, before);
  }));

  it('an engine that cannot start is reported, and nothing is left', () => withTopology('g', (t) => {
    const before = snapshot(t.client);
    const conf = t.writeConfig(t.config());
    const failed = t.runInClient(wiredeskBin, ['up', conf], { WIREDESK_ENGINE: '/bin/false' });
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /could not start the WireGuard engine \(\/bin\/false\)/);
    assertNothingLeft(t, before);
  }));

  it('a listen port already in use is reported as such (API)', () => withTopology('p', (t) => {
    const blocker = `${t.ifname.slice(0, 13)}x`;
    t.extraNames.push(blocker);
    t.client.exec('wireguard-go', [blocker], { timeoutMs: 20_000 });
    t.client.exec('wg', ['set', blocker, 'listen-port', '51888']);
    const before = snapshot(t.client);
    const conf = t.writeConfig(t.config({ iface: ['ListenPort = 51888'] }));
    const r = driver(t, ['up', t.ifname, conf]);
    assert.match(r.error ?? '', /could not bring \S+ up: the engine could not use listen port 51888: it is already in use; change ListenPort/);
    assertNothingLeft(t, before);
  }));
});
