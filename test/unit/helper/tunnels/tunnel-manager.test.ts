import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { routeClaims } from '../../../../tunnel-helper/src/helper/tunnels/conflicts.js';
import type { NetconfigApi } from '../../../../tunnel-helper/src/helper/tunnels/netconfig-api.js';
import { TunnelManager } from '../../../../tunnel-helper/src/helper/tunnels/tunnel-manager.js';
import { ProtocolError, type EventData, type EventName } from '../../../../shared/control/protocol.js';
import { FakeDevice, FakeNetconfig, KEYS, conf, peerState } from './fakes.js';

function setup(policy = { allowScripts: false }) {
  const net = new FakeNetconfig();
  const dev = new FakeDevice();
  const events: { event: EventName; data: unknown }[] = [];
  const manager = new TunnelManager({
    netconfig: net, policy: () => policy, logDir: mkdtempSync(join(tmpdir(), 'wd-mgr-')),
    emit: <E extends EventName>(event: E, data: EventData<E>) => void events.push({ event, data }),
    now: dev.now, monitorDeps: () => dev,
  });
  const states = (name: string) => events.filter((e) => e.event === 'tunnel-state' && (e.data as EventData<'tunnel-state'>).name === name)
    .map((e) => (e.data as EventData<'tunnel-state'>).state);
  return { net, dev, events, manager, states };
}

/** A few turns of the event loop: the fakes answer in microtasks, so a poll finishes within one. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

async function rejects(p: Promise<unknown>, code: string, message: RegExp): Promise<ProtocolError> {
  let err: unknown;
  await p.catch((e: unknown) => { err = e; });
  assert.ok(err instanceof ProtocolError, `expected a ProtocolError, got ${String(err)}`);
  assert.equal(err.code, code);
  assert.match(err.message, message);
  return err;
}

const FULL = ['AllowedIPs = 0.0.0.0/0, ::/0'];

describe('the tunnel manager', () => {
  it('refuses a config with errors, listing each with its line number', async () => {
    const { manager, net } = setup();
    const bad = '[Interface]\nPrivateKey = nope\n\n[Peer]\nPublicKey = ' + KEYS[1].pub + '\nAllowedIPs = 10.0.0.300/32\n';
    const err = await rejects(manager.up({ name: 'wq0', configText: bad }), 'config-invalid', /^The configuration of "wq0" has 2 errors:\nline 2:14: .*\nline 6:14: /);
    assert.deepEqual(err.diagnostics?.map((d) => d.line), [2, 6]);
    assert.equal(net.up.length, 0, 'nothing was touched');
  });

  it('brings a tunnel up as connecting, with the kill switch and script policy passed on', async () => {
    const { manager, net, states, events } = setup();
    const s = await manager.up({ name: 'wq0', configText: conf(FULL, ['PostUp = echo hi']), options: { killSwitch: 'allow-lan' } });
    assert.equal(s.state, 'connecting');
    assert.equal(s.killSwitch, 'allow-lan');
    assert.deepEqual(s.hooksSkipped, ['PostUp']);
    assert.equal(net.up[0]!.opts?.killSwitch, 'allow-lan');
    assert.equal(net.up[0]!.opts?.allowScripts, false);
    assert.deepEqual(states('wq0'), ['connecting']);
    const logs = manager.recentLogs({ name: 'wq0' }).lines.map((l) => l.text).join('\n');
    assert.match(logs, /Skipped PostUp: scripts are disabled by the administrator's policy/);
    assert.doesNotMatch(logs, new RegExp(KEYS[0].priv.slice(0, 20).replace(/[+/]/g, '.')), 'the private key never reaches a log line');
    assert.match(logs, /PrivateKey = \(hidden\)/);
    const streamed = events.filter((e) => e.event === 'log').map((e) => (e.data as { text: string }).text).join('\n');
    assert.doesNotMatch(streamed, /mOnx2NdABJ/);
    await manager.shutdown();
  });

  it('refuses a second tunnel with the same name, or a second default route', async () => {
    const { manager } = setup();
    await manager.up({ name: 'wq0', configText: conf(FULL) });
    await rejects(manager.up({ name: 'wq0', configText: conf(['AllowedIPs = 10.9.0.0/24']) }), 'conflict', /A tunnel named "wq0" is already running/);
    await rejects(manager.up({ name: 'wq1', configText: conf(['AllowedIPs = 0.0.0.0/1, 128.0.0.0/1']) }), 'conflict',
      /Tunnel "wq0" already routes all IPv4 traffic \(0\.0\.0\.0\/0\), and "wq1" would route it too/);
    await rejects(manager.up({ name: 'wq2', configText: conf(['AllowedIPs = ::/0']) }), 'conflict', /all IPv6 traffic/);
    await manager.up({ name: 'wq3', configText: conf(['AllowedIPs = 10.9.0.0/24']) });
    await manager.up({ name: 'wq4', configText: conf(FULL, ['Table = off']) });
    assert.deepEqual(manager.list().tunnels.map((t) => t.name), ['wq0', 'wq3', 'wq4']);
    await manager.shutdown();
  });

  it('reserves the name before it awaits, so two racing ups of one name cannot both start', async () => {
    const { manager, net } = setup();
    net.upDelayMs = 20;
    const results = await Promise.allSettled([manager.up({ name: 'wq0', configText: conf() }), manager.up({ name: 'wq0', configText: conf() })]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    assert.equal(net.up.length, 1);
    await manager.shutdown();
  });

  it('reports a failed up as an error with a diagnosis, and forgets the tunnel', async () => {
    const { manager, net, events, states } = setup();
    net.failUp = new Error('cannot resolve vpn.example.invalid: getaddrinfo ENOTFOUND vpn.example.invalid.');
    await rejects(manager.up({ name: 'wq0', configText: conf() }), 'tunnel-failed', /cannot resolve/);
    assert.deepEqual(states('wq0'), ['connecting', 'error']);
    const last = events.filter((e) => e.event === 'tunnel-state').at(-1)!.data as EventData<'tunnel-state'>;
    assert.equal(last.diagnosis?.code, 'endpoint-unresolved');
    assert.deepEqual(manager.list().tunnels, []);
  });

  it('takes a tunnel down, waiting for an up in progress', async () => {
    const { manager, net, states } = setup();
    net.upDelayMs = 30;
    const up = manager.up({ name: 'wq0', configText: conf() });
    const down = await manager.down('wq0');
    await up;
    assert.deepEqual(down, { name: 'wq0', state: 'down' });
    assert.deepEqual(net.downs, ['wq0']);
    assert.deepEqual(states('wq0'), ['connecting', 'down']);
    await rejects(manager.down('wq0'), 'not-found', /No tunnel named "wq0" is running/);
    assert.throws(() => manager.status('wq0'), /No tunnel named/);
  });

  it('reconnects to apply a new kill switch setting', async () => {
    const { manager, net } = setup();
    await manager.up({ name: 'wq0', configText: conf(FULL) });
    const s = await manager.setOptions({ name: 'wq0', options: { killSwitch: 'on' } });
    assert.equal(s.killSwitch, 'on');
    assert.deepEqual(net.up.map((u) => u.opts?.killSwitch), ['off', 'on']);
    const same = await manager.setOptions({ name: 'wq0', options: { killSwitch: 'on' } });
    assert.equal(net.up.length, 2, 'no reconnect when nothing changes');
    assert.equal(same.state, 'connecting');
    await manager.shutdown();
    assert.deepEqual(manager.list().tunnels, []);
  });

  it('follows the monitor, which polls once a second: a handshake makes it up; three failed polls make it error and clean up', async () => {
    // The poll interval runs on an injected clock (mocked setInterval). The fakes answer in
    // microtasks, so a turn of the event loop lets each poll finish: no sleeping, no time bounds.
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      const { manager, dev, net, states } = setup();
      let polls = 0;
      const get = dev.get;
      dev.get = (ifname) => { polls++; return get(ifname); };
      dev.peers = [peerState(KEYS[1].pub)];
      await manager.up({ name: 'wq0', configText: conf() });
      await settle();
      assert.equal(polls, 1, 'one poll at once when watching starts');
      assert.deepEqual(states('wq0'), ['connecting']);
      dev.peers = [peerState(KEYS[1].pub, { lastHandshakeSec: Math.floor(dev.clock / 1000) + 1 })];
      dev.clock += 2000;
      mock.timers.tick(999);
      await settle();
      assert.equal(polls, 1, 'no poll before the second is up');
      mock.timers.tick(1);
      await settle();
      assert.equal(polls, 2);
      assert.equal(manager.status('wq0').tunnels[0]!.state, 'up');
      dev.failGet = new Error('gone');
      for (let i = 0; i < 2; i++) {
        mock.timers.tick(1000);
        await settle();
      }
      assert.equal(polls, 4);
      assert.deepEqual(states('wq0'), ['connecting', 'up'], 'two failed polls are not a dead engine yet');
      mock.timers.tick(1000);
      await settle();
      assert.equal(polls, 5);
      assert.deepEqual(states('wq0'), ['connecting', 'up', 'error']);
      const s = manager.status('wq0').tunnels[0]!;
      assert.equal(s.diagnosis?.code, 'engine-stopped');
      assert.match(s.reason ?? '', /turned off and its routes and DNS removed/);
      assert.deepEqual(net.downs, ['wq0']);
      mock.timers.tick(5000);
      await settle();
      assert.equal(polls, 5, 'a dead engine is no longer polled');
      await manager.down('wq0');
      assert.deepEqual(manager.list().tunnels, []);
    } finally {
      mock.timers.reset();
    }
  });

  it('adopts a tunnel still up from before a restart: watched, can go down, options need a reconnect', async () => {
    const { manager, dev, net, states } = setup();
    net.active.add('wq9');
    dev.peers = [peerState(KEYS[1].pub, { allowedIps: ['0.0.0.0/0'], lastHandshakeSec: Math.floor(dev.clock / 1000) - 30, presharedKey: Buffer.from(KEYS[1].psk, 'base64') })];
    assert.deepEqual(await manager.adopt(), ['wq9']);
    await settle(); // the poll that starts with watching
    assert.deepEqual(states('wq9'), ['connecting', 'up'], 'a handshake 30 s old counts');
    await rejects(manager.up({ name: 'wq8', configText: conf(FULL) }), 'conflict', /Tunnel "wq9" already routes all IPv4 traffic/);
    await rejects(manager.setOptions({ name: 'wq9', options: { killSwitch: 'on' } }), 'conflict', /started before the helper restarted/);
    assert.equal(manager.recentLogs({ name: 'wq9' }).lines.some((l) => l.text.includes('Adopted "wq9"')), true);
    await manager.down('wq9');
    assert.deepEqual(net.downs, ['wq9']);
  });

  it('loads the config text once per up: the stages get the loaded value, and a kill switch reconnect reuses it', async () => {
    const { manager, net } = setup();
    await manager.up({ name: 'wq0', configText: conf(FULL) });
    await manager.setOptions({ name: 'wq0', options: { killSwitch: 'on' } });
    assert.equal(net.up.length, 2);
    assert.equal(net.up[1]!.config, net.up[0]!.config, 'the reconnect did not load the text again');
    await manager.shutdown();
    // The stages after the boundary take no text, so none can parse it again.
    // @ts-expect-error: netconfig takes the loaded value
    void ((text: string): Parameters<NetconfigApi['tunnelUp']>[1] => text);
    // @ts-expect-error: and so does the conflict check
    void ((text: string): Parameters<typeof routeClaims>[0] => text);
  });

  it('recovers what a previous helper left behind', async () => {
    const { manager } = setup();
    assert.deepEqual(await manager.recover(), ['old0']);
    assert.match(manager.recentLogs({}).lines.at(-1)!.text, /Cleaned up "old0"/);
  });
});
