// setOptions on a running tunnel: with a netconfig that can change the kill
// switch in place, the tunnel is never taken down or brought up again.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KillSwitch } from '../../../../tunnel-helper/src/helper/tunnels/netconfig-api.js';
import { TunnelManager } from '../../../../tunnel-helper/src/helper/tunnels/tunnel-manager.js';
import { ProtocolError, type EventData, type EventName } from '../../../../shared/control/protocol.js';
import { FakeDevice, FakeNetconfig, KEYS, conf, peerState } from './fakes.js';

class InPlaceNetconfig extends FakeNetconfig {
  changes: [string, KillSwitch][] = [];
  failChange: Error | null = null;
  setKillSwitch = async (ifname: string, mode: KillSwitch, opts?: { log?: (line: string) => void }): Promise<void> => {
    opts?.log?.(`[#] nft -f - (kill switch ${mode})`);
    if (this.failChange) throw this.failChange;
    this.changes.push([ifname, mode]);
  };
}

function setup() {
  const net = new InPlaceNetconfig();
  const dev = new FakeDevice();
  const states: string[] = [];
  const manager = new TunnelManager({
    netconfig: net, policy: () => ({ allowScripts: false }), logDir: mkdtempSync(join(tmpdir(), 'wd-mgr-')),
    emit: <E extends EventName>(event: E, data: EventData<E>) => {
      if (event === 'tunnel-state') states.push((data as EventData<'tunnel-state'>).state);
    },
    now: dev.now, monitorDeps: () => dev,
  });
  return { net, dev, manager, states };
}

describe('changing the kill switch of a running tunnel', () => {
  it('swaps it in place: no down, no second up, the state stays', async () => {
    const { manager, net, states } = setup();
    await manager.up({ name: 'wq0', configText: conf(['AllowedIPs = 0.0.0.0/0']) });
    const before = states.length;
    const on = await manager.setOptions({ name: 'wq0', options: { killSwitch: 'on' } });
    const lan = await manager.setOptions({ name: 'wq0', options: { killSwitch: 'allow-lan' } });
    assert.deepEqual([on.killSwitch, lan.killSwitch], ['on', 'allow-lan']);
    assert.deepEqual(net.changes, [['wq0', 'on'], ['wq0', 'allow-lan']]);
    assert.equal(net.up.length, 1, 'not brought up again');
    assert.deepEqual(net.downs, [], 'not taken down');
    assert.equal(states.length, before, 'no state change was announced');
    assert.ok(manager.recentLogs({ name: 'wq0' }).lines.some((l) => /kill switch on/.test(l.text)), 'netconfig\'s steps are logged');
    await manager.setOptions({ name: 'wq0', options: { killSwitch: 'allow-lan' } });
    assert.equal(net.changes.length, 2, 'nothing to do when nothing changes');
    await manager.shutdown();
  });

  it('reports a failed change and keeps the old setting', async () => {
    const { manager, net } = setup();
    await manager.up({ name: 'wq0', configText: conf(['AllowedIPs = 10.0.0.0/8']) });
    net.failChange = new Error('could not change the kill switch of wq0: nft: syntax error');
    let err: unknown;
    await manager.setOptions({ name: 'wq0', options: { killSwitch: 'on' } }).catch((e: unknown) => { err = e; });
    assert.ok(err instanceof ProtocolError);
    assert.equal(err.code, 'tunnel-failed');
    assert.match(err.message, /nft: syntax error/);
    assert.equal(manager.status('wq0').tunnels[0]!.killSwitch, 'off');
    assert.equal(net.up.length, 1);
    await manager.shutdown();
  });

  it('applies to a tunnel adopted after a helper restart, whose config is not known', async () => {
    const { manager, net, dev } = setup();
    net.active.add('wq9');
    dev.peers = [peerState(KEYS[1].pub, { allowedIps: ['10.9.0.0/16'], lastHandshakeSec: Math.floor(dev.clock / 1000) - 5 })];
    await manager.adopt();
    const s = await manager.setOptions({ name: 'wq9', options: { killSwitch: 'on' } });
    assert.equal(s.killSwitch, 'on');
    assert.deepEqual(net.changes, [['wq9', 'on']]);
    assert.equal(net.up.length, 0);
    await manager.shutdown();
  });
});

class LanNetconfig extends InPlaceNetconfig {
  lan: { prefix: string; dev: string }[] = [{ prefix: '192.168.1.0/24', dev: 'eth0' }];
  bypass = new Map<string, boolean>();
  setLanBypass = async (ifname: string, on: boolean) => { this.bypass.set(ifname, on); return on ? this.lan : []; };
  refreshLanBypass = async (ifname: string) => (this.bypass.get(ifname) ? this.lan : null);
  lanBypassState = (ifname: string) => (this.bypass.get(ifname) ? this.lan : null);
}

describe('exclude the network I\'m on, on a running tunnel', () => {
  it('turns on and off in place, shows the prefixes in the status, and never reconnects', async () => {
    const net = new LanNetconfig();
    const dev = new FakeDevice();
    const manager = new TunnelManager({
      netconfig: net, policy: () => ({ allowScripts: false }), logDir: mkdtempSync(join(tmpdir(), 'wd-mgr-')),
      emit: () => {}, now: dev.now, monitorDeps: () => dev,
    });
    const up = await manager.up({ name: 'wl0', configText: conf(['AllowedIPs = 0.0.0.0/0']), options: { excludeLan: true } });
    assert.equal(up.excludeLan, true);
    assert.deepEqual(up.lanBypass, ['192.168.1.0/24']);
    const off = await manager.setOptions({ name: 'wl0', options: { excludeLan: false } });
    assert.equal(off.excludeLan, undefined);
    assert.equal(net.up.length, 1, 'not brought up again');
    assert.deepEqual(net.downs, []);
    await manager.setOptions({ name: 'wl0', options: { excludeLan: true } });
    assert.equal(net.bypass.get('wl0'), true);
    await manager.shutdown();
  });

  it('is read back from the journal for a tunnel adopted after a helper restart', async () => {
    const net = new LanNetconfig();
    const dev = new FakeDevice();
    net.active.add('wl9');
    net.bypass.set('wl9', true);
    dev.peers = [peerState(KEYS[1].pub, { allowedIps: ['0.0.0.0/0'], lastHandshakeSec: Math.floor(dev.clock / 1000) - 5 })];
    const manager = new TunnelManager({
      netconfig: net, policy: () => ({ allowScripts: false }), logDir: mkdtempSync(join(tmpdir(), 'wd-mgr-')),
      emit: () => {}, now: dev.now, monitorDeps: () => dev,
    });
    try {
      await manager.adopt();
      const s = manager.status('wl9').tunnels[0]!;
      assert.equal(s.excludeLan, true);
      assert.deepEqual(s.lanBypass, ['192.168.1.0/24']);
    } finally {
      await manager.shutdown();
    }
  });
});
