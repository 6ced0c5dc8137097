// Tunnels and groups the user left on are switched on again when WireDesk
// starts, through app-core as the window and the tray drive it: a second
// app-core on the same user data stands for the next session (after a
// reboot: a helper with nothing up).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createAppCore } from '../../../electron/app-core/app-core.js';
import { FakeHelper, fakeLauncher, loaded, recordingPorts, sampleConfig } from './fakes.js';

function session(userDataDir: string, helper = new FakeHelper()) {
  const ports = { ...recordingPorts(fakeLauncher(helper, { running: true })), userDataDir };
  const core = createAppCore(ports);
  for (const n of ['office', 'home', 'lab-a', 'lab-b']) if (!core.profiles.has(n)) core.profiles.write(n, loaded(sampleConfig()));
  core.tunnels.profilesChanged();
  return { core, helper };
}

const ups = (helper: FakeHelper) => helper.upCalls.map((c) => c.name).sort();

describe('turning on again what was left on', () => {
  it('switches on, at the next start, the tunnels and groups the user left on, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wd-restore-'));
    const first = session(dir);
    assert.equal(await first.core.helper.attachIfRunning(), true);
    await first.core.handlers['tunnels:setActive']('office', true);
    await first.core.handlers['tunnels:setActive']('home', true);
    await first.core.handlers['tunnels:setActive']('home', false);
    await first.core.handlers['groups:save'](null, { name: 'Lab', members: ['lab-a', 'lab-b'] });
    await first.core.runTrayAction({ kind: 'toggle-group', name: 'Lab', active: true });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'restore.json'), 'utf8')), { tunnels: ['office'], groups: ['Lab'] });

    const next = session(dir);
    assert.equal(await next.core.helper.attachIfRunning(), true);
    await next.core.restore.restored;
    assert.deepEqual(ups(next.helper), ['lab-a', 'office'], 'office, and the group from its first member; home stays off');
    assert.equal(next.core.groups.list().find((g) => g.name === 'Lab')?.on, true);
  });

  it('leaves alone what the helper has up already, and does nothing with the setting off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wd-restore-'));
    const first = session(dir);
    await first.core.helper.attachIfRunning();
    await first.core.handlers['tunnels:setActive']('office', true);
    await first.core.handlers['tunnels:setActive']('home', true);

    const running = new FakeHelper();
    (running as { status: unknown }).status = async () => ({ tunnels: [{ name: 'office', state: 'up', reason: null, diagnosis: null, killSwitch: 'off', since: 1, mtu: 1420, hooksSkipped: [], peers: [] }] });
    const next = session(dir, running);
    await next.core.helper.attachIfRunning();
    await next.core.restore.restored;
    assert.deepEqual(ups(running), ['home'], 'an app restart over a running helper: only what is not up');

    next.core.settings.update({ restoreTunnels: false });
    const off = session(dir);
    await off.core.helper.attachIfRunning();
    await off.core.restore.restored;
    assert.deepEqual(ups(off.helper), []);
  });

  it('follows a rename and forgets a deleted tunnel', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wd-restore-'));
    const first = session(dir);
    await first.core.helper.attachIfRunning();
    await first.core.handlers['tunnels:setActive']('office', true);
    await first.core.handlers['tunnels:setActive']('home', true);
    await first.core.handlers['tunnels:setActive']('office', false);
    await first.core.handlers['tunnels:save']('office', 'hq', first.core.profiles.read('office'));
    await first.core.handlers['tunnels:setActive']('hq', true);
    await first.core.handlers['tunnels:setActive']('home', false);
    await first.core.handlers['tunnels:remove']('home');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'restore.json'), 'utf8')).tunnels, ['hq']);
  });
});
