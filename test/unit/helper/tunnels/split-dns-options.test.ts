// The helper's tunnels carry split DNS: the up passes it to netconfig, a
// reconnect keeps it, and a change is made in place by netconfig's
// setSplitDns (a netconfig without it, such as the plain fake, reconnects).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TunnelManager } from '../../../../tunnel-helper/src/helper/tunnels/tunnel-manager.js';
import { checkParams } from '../../../../shared/control/protocol.js';
import { FakeDevice, FakeNetconfig, KEYS, conf, peerState } from './fakes.js';
import type { KillSwitch } from '../../../../tunnel-helper/src/helper/tunnels/netconfig-api.js';
import type { LoadedConfig } from '../../../../shared/config/index.js';

class InPlaceNetconfig extends FakeNetconfig {
  changes: [string, KillSwitch][] = [];
  splits: [string, string[], string[]][] = [];
  failSplit = false;
  setKillSwitch = async (ifname: string, mode: KillSwitch): Promise<void> => { this.changes.push([ifname, mode]); };
  setSplitDns = async (ifname: string, config: LoadedConfig, split: readonly string[]): Promise<void> => {
    if (this.failSplit) throw new Error('split DNS: the DNS server 10.9.9.9 is not inside any peer\'s AllowedIPs');
    this.splits.push([ifname, [...config.quick.dns], [...split]]);
  };
}

function setup(inPlace = false) {
  const net = inPlace ? new InPlaceNetconfig() : new FakeNetconfig();
  const dev = new FakeDevice();
  const manager = new TunnelManager({
    netconfig: net, policy: () => ({ allowScripts: false }), logDir: mkdtempSync(join(tmpdir(), 'wd-mgr-')),
    emit: () => {}, now: dev.now, monitorDeps: () => dev,
  });
  return { net, dev, manager };
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

  it('changes the domains in place when netconfig can, with the kill switch after them, and says why it could not', async () => {
    const { manager, net } = setup(true);
    const inPlace = net as InPlaceNetconfig;
    await manager.up({ name: 'sd1', configText: conf(['AllowedIPs = 10.0.0.0/8'], ['DNS = 10.0.0.53']) });
    await manager.setOptions({ name: 'sd1', options: { splitDns: ['corp.example'] } });
    await manager.setOptions({ name: 'sd1', options: { splitDns: ['corp.example'] } });
    await manager.setOptions({ name: 'sd1', options: { splitDns: [], killSwitch: 'on' } });
    assert.deepEqual(inPlace.splits, [['sd1', ['10.0.0.53'], ['corp.example']], ['sd1', ['10.0.0.53'], []]], 'once per change, with the running config');
    assert.deepEqual(inPlace.changes, [['sd1', 'on']]);
    assert.equal(net.up.length, 1, 'no reconnect');
    assert.deepEqual(net.downs, []);
    inPlace.failSplit = true;
    await assert.rejects(manager.setOptions({ name: 'sd1', options: { splitDns: ['lab'] } }), /not inside any peer's AllowedIPs/);
    assert.ok(manager.recentLogs({ name: 'sd1' }).lines.some((l) => /Could not change the split DNS/.test(l.text)));
    inPlace.failSplit = false;
    await manager.setOptions({ name: 'sd1', options: { splitDns: ['lab'] } });
    assert.deepEqual(inPlace.splits.at(-1)?.[2], ['lab'], 'a failed change is not taken as made');
    await manager.shutdown();
  });

  it('a tunnel adopted after a helper restart takes the app\'s domains as its own: a kill switch change stays in place', async () => {
    const { manager, net, dev } = setup(true);
    net.active.add('sd9');
    dev.peers = [peerState(KEYS[1].pub, { allowedIps: ['10.9.0.0/16'], lastHandshakeSec: Math.floor(dev.clock / 1000) - 5 })];
    await manager.adopt();
    await manager.setOptions({ name: 'sd9', options: { killSwitch: 'on', splitDns: ['corp.example'] } });
    assert.deepEqual((net as InPlaceNetconfig).changes, [['sd9', 'on']]);
    assert.equal(net.up.length, 0, 'no reconnect');
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
