// The helper's tunnels carry split DNS: the up passes it to netconfig, a
// reconnect keeps it, and a change reconnects (the forwarder or resolved's
// link settings belong to the up).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TunnelManager } from '../../../../tunnel-helper/src/helper/tunnels/tunnel-manager.js';
import { checkParams } from '../../../../shared/control/protocol.js';
import { FakeDevice, FakeNetconfig, conf } from './fakes.js';

function setup() {
  const net = new FakeNetconfig();
  const dev = new FakeDevice();
  const manager = new TunnelManager({
    netconfig: net, policy: () => ({ allowScripts: false }), logDir: mkdtempSync(join(tmpdir(), 'wd-mgr-')),
    emit: () => {}, now: dev.now, monitorDeps: () => dev,
  });
  return { net, manager };
}

describe('split DNS in the helper\'s tunnels', () => {
  it('passes the domains to netconfig and keeps them through a kill switch reconnect', async () => {
    const { manager, net } = setup();
    await manager.up({ name: 'sd0', configText: conf(['AllowedIPs = 10.0.0.0/8']), options: { splitDns: ['corp.example'] } });
    assert.deepEqual(net.up[0]?.opts?.splitDns, ['corp.example']);
    await manager.setOptions({ name: 'sd0', options: { killSwitch: 'on' } }); // this fake netconfig cannot swap in place
    assert.deepEqual(net.up[1]?.opts?.splitDns, ['corp.example']);
    await manager.shutdown();
  });

  it('reconnects when the domains change, and not when they stay', async () => {
    const { manager, net } = setup();
    await manager.up({ name: 'sd0', configText: conf(['AllowedIPs = 10.0.0.0/8']) });
    assert.equal(net.up[0]?.opts?.splitDns, undefined);
    await manager.setOptions({ name: 'sd0', options: { splitDns: ['corp.example', 'lab'] } });
    assert.deepEqual(net.up.map((u) => u.opts?.splitDns), [undefined, ['corp.example', 'lab']]);
    assert.deepEqual(net.downs, ['sd0']);
    await manager.setOptions({ name: 'sd0', options: { splitDns: ['corp.example', 'lab'] } });
    assert.equal(net.up.length, 2);
    await manager.setOptions({ name: 'sd0', options: { splitDns: [] } });
    assert.equal(net.up.length, 3);
    assert.equal(net.up[2]?.opts?.splitDns, undefined);
    assert.ok(manager.recentLogs({ name: 'sd0' }).lines.some((l) => /Split DNS -> off: reconnecting/.test(l.text)));
    await manager.shutdown();
  });

  it('the control schema refuses names that are not lowercase domains', () => {
    const params = (splitDns: unknown) => ({ name: 'sd0', options: { splitDns } });
    assert.doesNotThrow(() => checkParams('setOptions', params(['corp.example', '_srv.lab'])));
    for (const bad of [['Corp.example'], ['~corp.example'], ['corp..example'], ['a b'], 'corp.example', Array(65).fill('x.example')]) {
      assert.throws(() => checkParams('setOptions', params(bad)), JSON.stringify(bad).slice(0, 40));
    }
  });
});
