// The group controller as app-core runs it, over the protocol-checked fake
// helper, with a clock the test moves (each tick is what the timer would do).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAppCore } from '../../../../electron/app-core/app-core.js';
import type { TunnelState } from '../../../../shared/control/protocol.js';
import { FakeHelper, fakeLauncher, loaded, recordingPorts, sampleConfig } from '../fakes.js';

const flush = async () => { for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r)); };

function setup(language: 'en' | 'ja' = 'en') {
  const helper = new FakeHelper();
  let clock = 1_700_000_000_000;
  const ports = recordingPorts(fakeLauncher(helper, { running: true }), { now: () => clock });
  const core = createAppCore(ports);
  core.settings.update({ language });
  for (const n of ['office-a', 'office-b', 'home']) core.profiles.write(n, loaded(sampleConfig()));
  core.tunnels.profilesChanged();
  const state = (name: string, s: TunnelState) => helper.send('tunnel-state', { name, state: s, reason: null, diagnosis: null, at: clock });
  const advance = async (ms: number) => { clock += ms; core.groups.tick(); await flush(); };
  return { helper, ports, core, state, advance };
}

describe('failover groups in the app', () => {
  it('runs the primary, fails over to the backup when the primary is dead, fails back after the holding time, once', async () => {
    const { helper, core, state, advance } = setup();
    await core.handlers['groups:save'](null, { name: 'Office', members: ['office-a', 'office-b'], holdSeconds: 20, dwellSeconds: 10, probeEverySeconds: 5, failAfterSeconds: 3 });
    await core.handlers['groups:setActive']('Office', true);
    assert.deepEqual(helper.upCalls.map((c) => c.name), ['office-a']);
    state('office-a', 'up');
    await advance(1000);
    assert.deepEqual(helper.probeCalls, [], 'the primary is active: nothing to probe');

    state('office-a', 'reconnecting');
    await advance(2000);
    assert.deepEqual(helper.downCalls, [], 'unhealthy for less than failAfter');
    await advance(1000);
    assert.deepEqual(helper.downCalls, ['office-a']);
    assert.deepEqual(helper.upCalls.map((c) => c.name), ['office-a', 'office-b']);
    state('office-b', 'up');
    let g = core.groups.list()[0]!;
    assert.deepEqual([g.active, g.reason, g.switches], ['office-b', { code: 'failed-over', from: 'office-a', to: 'office-b' }, 1]);

    // The primary does not answer its probes yet, then does: the holding time counts from its first answer.
    for (let i = 0; i < 4; i++) await advance(5000);
    assert.ok(helper.probeCalls.length >= 3 && helper.probeCalls.every((n) => n === 'office-a'), 'the primary is probed, not brought up');
    helper.probeHealthy.set('office-a', true);
    await advance(5000);
    g = core.groups.list()[0]!;
    assert.equal(g.reason?.code, 'holding');
    assert.equal(g.reason?.to, 'office-a');
    for (let i = 0; i < 3; i++) await advance(5000);
    assert.equal(core.groups.list()[0]!.active, 'office-b', 'not before 20 s of answers');
    await advance(5000); // the probe that completes 20 s of answers
    await advance(500); // the next tick acts on it
    g = core.groups.list()[0]!;
    assert.deepEqual([g.active, g.reason?.code, g.switches], ['office-a', 'failed-back', 2]);
    assert.deepEqual(helper.downCalls, ['office-a', 'office-b']);
    state('office-a', 'up');
    for (let i = 0; i < 20; i++) await advance(5000);
    assert.equal(core.groups.list()[0]!.switches, 2, 'no flap');
  });

  it('is one switch in the tray, saying which member runs and why, in Japanese too', async () => {
    const { core, state, advance } = setup('ja');
    await core.handlers['groups:save'](null, { name: 'Office', members: ['office-a', 'office-b'], failAfterSeconds: 1, dwellSeconds: 0 });
    let items = core.tray().items;
    assert.ok(!items.some((i) => i.id === 'tunnel:office-a' || i.id === 'tunnel:office-b'), 'members are shown through their group');
    assert.ok(items.some((i) => i.id === 'tunnel:home'));
    assert.equal(items.find((i) => i.id === 'group:Office')?.label, 'Office (オフ)');
    await core.clickTrayItem('group:Office');
    state('office-a', 'error');
    await advance(1000);
    items = core.tray().items;
    assert.equal(items.find((i) => i.id === 'group:Office')?.label, 'Office — office-b');
    assert.match(items.find((i) => i.id === 'group-reason:Office')?.label ?? '', /office-a が応答しなくなったため、office-b に切り替えました/);
  });

  it('goes off when its active member is switched off by hand, and refuses bad groups with a sentence', async () => {
    const { helper, core, ports } = setup();
    await core.handlers['groups:save'](null, { name: 'Office', members: ['office-a', 'office-b'] });
    await core.handlers['groups:setActive']('Office', true);
    await core.handlers['tunnels:setActive']('office-a', false);
    await flush();
    assert.equal(core.groups.list()[0]!.on, false);
    assert.deepEqual(helper.upCalls.map((c) => c.name), ['office-a'], 'the backup did not come up');
    await assert.rejects(Promise.resolve().then(() => core.handlers['groups:save'](null, { name: 'Two', members: ['home', 'office-b'] })), /"office-b" is already in the group "Office"/);
    await assert.rejects(Promise.resolve().then(() => core.handlers['groups:setActive']('Nope', true)), /no group named "Nope"/);
    await core.handlers['tunnels:remove']('office-b');
    assert.deepEqual(core.groups.list(), [], 'a group left with one tunnel is gone');
    assert.deepEqual(ports.eventsOf('groups:changed').at(-1), []);
  });
});

describe('failover groups when the helper is gone', () => {
  it('does not switch members: the tunnels are not at fault, and a new member would ask for a password', async () => {
    const { helper, core, state, advance } = setup();
    await core.handlers['groups:save'](null, { name: 'Office', members: ['office-a', 'office-b'], failAfterSeconds: 1, dwellSeconds: 0 });
    await core.handlers['groups:setActive']('Office', true);
    state('office-a', 'up');
    helper.link('closed', 'the helper stopped');
    await advance(1000);
    await advance(5000);
    assert.equal(core.tunnels.stateOf('office-a'), 'error');
    assert.deepEqual(helper.upCalls.map((c) => c.name), ['office-a'], 'the backup was not brought up');
    assert.equal(core.groups.list()[0]!.active, 'office-a');
  });
});

describe('a member that is already up', () => {
  it('turns its group on through it (an app restart while the helper kept it up), and the group fails back from there', async () => {
    const { helper, core, state, advance } = setup();
    await core.handlers['groups:save'](null, { name: 'Office', members: ['office-a', 'office-b'], holdSeconds: 2, dwellSeconds: 0, probeEverySeconds: 1 });
    await core.helper.ensure();
    state('office-b', 'up'); // the helper reports it after the app (re)connects
    await advance(0);
    let g = core.groups.list()[0]!;
    assert.deepEqual([g.on, g.active, g.switches], [true, 'office-b', 0]);
    helper.probeHealthy.set('office-a', true);
    for (let i = 0; i < 4; i++) await advance(1000);
    g = core.groups.list()[0]!;
    assert.deepEqual([g.active, g.reason?.code, g.switches], ['office-a', 'failed-back', 1]);
  });
});
