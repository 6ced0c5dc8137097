// Crash safety: kill -9 the engine (or the process bringing the tunnel up)
// and the next recover (or the next up) leaves no route, rule, nft table,
// sysctl or DNS entry behind.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../support/netns.js';
import { wiredeskBin } from '../../support/cli.js';
import { driver, enginePids, journalExists, killEngine, snapshot } from './state.js';
import { SERVICE_V4, skipReason, Topology, withTopology } from './topology.js';

const skip = skipReason;

const fullTunnelWithDns = (t: Topology) => t.config({ allowedIps: '0.0.0.0/0, ::/0', iface: ['DNS = 192.168.201.1, corp.example'] });

describe('crash recovery', { skip }, () => {
  it('recoverStaleTunnels undoes a tunnel whose engine was killed', () => withTopology('x', async (t) => {
    const before = snapshot(t.client);
    const conf = t.writeConfig(fullTunnelWithDns(t));
    assert.equal(t.runInClient(wiredeskBin, ['up', conf]).status, 0);
    assert.match(t.client.exec('cat', ['/etc/resolv.conf']), /nameserver 192\.168\.201\.1/);
    assert.deepEqual(driver(t, ['recover']).result, [], 'a live tunnel is left alone');

    await killEngine(t);
    const leftovers = snapshot(t.client);
    assert.notEqual(leftovers.rules4, before.rules4, 'without recovery the rules would stay');
    const recovered = driver(t, ['recover']);
    assert.deepEqual(recovered.result, [t.ifname]);
    assert.deepEqual(snapshot(t.client), before, 'routes, rules, nft tables, sysctl and resolv.conf are as before');
    assert.ok(!journalExists(t.ifname));
    assert.deepEqual(driver(t, ['active']).result, []);
  }));

  it('the next up cleans up after a killed engine by itself', () => withTopology('y', async (t) => {
    const before = snapshot(t.client);
    const conf = t.writeConfig(fullTunnelWithDns(t));
    assert.equal(t.runInClient(wiredeskBin, ['up', conf]).status, 0);
    await killEngine(t);
    const again = t.runInClient(wiredeskBin, ['up', conf]);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /its engine is gone; undoing what up did/);
    assert.equal((t.client.exec('ip', ['-4', 'rule', 'show']).match(/suppress_prefixlength/g) ?? []).length, 1, 'no duplicate rules');
    assert.equal(t.ping(SERVICE_V4), 0);
    assert.equal(t.runInClient(wiredeskBin, ['down', conf]).status, 0);
    assert.deepEqual(snapshot(t.client), before);
  }));

  it('undoes a half-finished up whose process was killed (the engine still running)', () => withTopology('z', async (t) => {
    const before = snapshot(t.client);
    const conf = t.writeConfig(t.config({ allowedIps: '0.0.0.0/0', iface: ['DNS = 192.168.201.1', 'PostUp = sleep 30'] }));
    const child = t.client.spawn(wiredeskBin, ['up', conf, '--allow-scripts']);
    await waitFor(() => t.client.status('pgrep', ['-f', '^sleep 30$']) === 0, 15_000, 'the PostUp hook to run');
    assert.deepEqual(driver(t, ['recover']).result, [], 'an up in progress is left alone');
    child.kill('SIGKILL');
    await waitFor(() => child.exitCode !== null || child.signalCode !== null, 5_000, 'wiredesk up to die');
    assert.ok(enginePids(t.client, t.ifname).length > 0, 'the engine outlives it');
    const recovered = driver(t, ['recover']);
    assert.deepEqual(recovered.result, [t.ifname]);
    await waitFor(() => enginePids(t.client, t.ifname).length === 0, 5_000, 'the engine to stop');
    assert.deepEqual(snapshot(t.client), before);
    assert.ok(!journalExists(t.ifname));
  }));
});
