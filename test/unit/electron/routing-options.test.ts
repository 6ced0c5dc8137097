// The app's side of "Exclude the network I'm on" and of the "Exclude private
// IPs" restore record: kept per tunnel across restarts, sent with every up,
// changed in place on a running tunnel, undone when the helper refuses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Params } from '../../../shared/control/protocol.js';
import { createAppCore } from '../../../electron/app-core/app-core.js';
import { FakeHelper, fakeLauncher, loaded, recordingPorts, sampleConfig } from './fakes.js';

function setup(helper = new FakeHelper()) {
  const ports = recordingPorts(fakeLauncher(helper, { running: true }));
  const core = createAppCore(ports);
  core.profiles.write('office', loaded(sampleConfig()));
  return { helper, ports, core };
}

describe('exclude the network I\'m on, in the app', () => {
  it('is sent with the next up, and survives a restart of the app', async () => {
    const { helper, ports, core } = setup();
    assert.deepEqual(await core.handlers['tunnels:setExcludeLan']('office', true), { on: true, running: false, prefixes: [] });
    await core.handlers['tunnels:setActive']('office', true);
    assert.equal(helper.upCalls[0]?.options?.excludeLan, true);
    const again = createAppCore(recordingPorts(fakeLauncher(new FakeHelper(), { running: true }), { userDataDir: ports.userDataDir }));
    assert.equal((await again.handlers['tunnels:lanBypass']('office')).on, true);
  });

  it('changes a running tunnel in place and shows what the helper bypasses', async () => {
    const helper = new FakeHelper();
    const options: Params<'setOptions'>[] = [];
    helper.setOptions = async (p) => { options.push(p); return { name: p.name, state: 'up', reason: null, diagnosis: null, killSwitch: 'off', since: 1, mtu: 1420, hooksSkipped: [], peers: [] }; };
    (helper as { status: unknown }).status = async () => ({ tunnels: [{ name: 'office', state: 'up' as const, reason: null, diagnosis: null, killSwitch: 'off' as const, since: 1, mtu: 1420, hooksSkipped: [], peers: [], excludeLan: true, lanBypass: ['192.168.1.0/24'] }] });
    const { core } = setup(helper);
    await core.handlers['tunnels:setActive']('office', true);
    const view = await core.handlers['tunnels:setExcludeLan']('office', true);
    assert.deepEqual(options.map((o) => o.options), [{ excludeLan: true }]);
    assert.deepEqual(view, { on: true, running: true, prefixes: ['192.168.1.0/24'] });
  });

  it('keeps the old setting when the helper refuses', async () => {
    const helper = new FakeHelper();
    helper.setOptions = async () => { throw new Error('nope'); };
    const { core } = setup(helper);
    await core.handlers['tunnels:setActive']('office', true);
    await assert.rejects(async () => core.handlers['tunnels:setExcludeLan']('office', true));
    assert.equal((await core.handlers['tunnels:lanBypass']('office')).on, false);
  });

  it('refuses an unknown tunnel', async () => {
    const { core } = setup();
    await assert.rejects(async () => core.handlers['tunnels:setExcludeLan']('nosuch', true), /no tunnel named "nosuch"/);
  });
});

describe('the exclude-private-IPs record', () => {
  it('is kept across a restart, follows a rename and goes with the tunnel', async () => {
    const { ports, core } = setup();
    const record = { original: [['0.0.0.0/0']], applied: [['1.0.0.0/8']] };
    await core.handlers['tunnels:setExcludePrivateRecord']('office', record);
    const again = createAppCore(recordingPorts(fakeLauncher(new FakeHelper(), { running: true }), { userDataDir: ports.userDataDir }));
    assert.deepEqual(await again.handlers['tunnels:excludePrivateRecord']('office'), record);
    const saved = await again.handlers['tunnels:save']('office', 'home', sampleConfig());
    assert.equal(saved.ok, true);
    assert.deepEqual(await again.handlers['tunnels:excludePrivateRecord']('home'), record);
    await again.handlers['tunnels:remove']('home');
    again.profiles.write('home', loaded(sampleConfig()));
    assert.equal(await again.handlers['tunnels:excludePrivateRecord']('home'), null);
  });
});
