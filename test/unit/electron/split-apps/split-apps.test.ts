// Per-app split tunneling in main: the installed apps it lists, the lists it
// keeps, and what it sends the helper to start an app (over the protocol's
// own checks, played by FakeHelper).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelperSupervisor } from '../../../../electron/app-core/helper/helper-supervisor.js';
import { SplitAppsService } from '../../../../electron/app-core/split-apps/split-apps-service.js';
import { SplitAppsStore } from '../../../../electron/app-core/split-apps/split-apps-store.js';
import { createAppCore } from '../../../../electron/app-core/app-core.js';
import { ProtocolError } from '../../../../shared/control/protocol.js';
import { FakeHelper, fakeLauncher, recordingPorts } from '../fakes.js';

function desktopDirs() {
  const root = mkdtempSync(join(tmpdir(), 'wd-apps-'));
  const home = join(root, 'home');
  const system = join(root, 'system');
  mkdirSync(join(home, '.local/share/applications'), { recursive: true });
  mkdirSync(join(system, 'applications'), { recursive: true });
  const app = (dir: string, id: string, body: string) => writeFileSync(join(dir, 'applications', id), `[Desktop Entry]\nType=Application\n${body}\n`);
  app(system, 'firefox.desktop', 'Name=Firefox\nName[ja]=ファイアフォックス\nExec=firefox %u');
  app(system, 'zoom.desktop', 'Name=Zoom\nExec=zoom');
  app(system, 'hidden.desktop', 'Name=Helper thing\nExec=thing\nNoDisplay=true');
  app(system, 'htop.desktop', 'Name=htop\nExec=htop\nTerminal=true');
  app(join(home, '.local/share'), 'zoom.desktop', 'Name=Zoom (mine)\nExec=/home/me/zoom');
  return { root, home, env: { XDG_DATA_DIRS: system, DISPLAY: ':0', XDG_RUNTIME_DIR: '/run/user/1000', DBUS_SESSION_BUS_ADDRESS: 'tcp:host=x' } };
}

function service(on: string[] = []) {
  const dirs = desktopDirs();
  const fake = new FakeHelper();
  const helper = new HelperSupervisor(fakeLauncher(fake, { running: true }));
  const store = new SplitAppsStore(join(dirs.root, 'split-apps.json'));
  const s = new SplitAppsService({ store, helper, home: dirs.home, env: dirs.env, uid: 1000, locale: () => 'en_US', isOn: (n) => on.includes(n) });
  return { s, fake, store, dirs };
}

describe('per-app split tunneling in main', () => {
  it('lists the installed apps by name, the user\'s own entry first, without hidden or console ones', () => {
    const { s } = service();
    assert.deepEqual(s.view().installed, [{ id: 'firefox.desktop', name: 'Firefox', icon: null }, { id: 'zoom.desktop', name: 'Zoom (mine)', icon: null }]);
  });

  it('keeps each app in one list, and marks apps that are gone', () => {
    const { s, store, dirs } = service();
    const view = s.set({ outside: ['firefox.desktop', 'firefox.desktop', 'gone.desktop'], pinned: [{ id: 'zoom.desktop', tunnel: 'office' }, { id: 'gone.desktop', tunnel: 'home' }] });
    assert.deepEqual(view.outside, [{ id: 'firefox.desktop', name: 'Firefox', icon: null, installed: true }]);
    assert.deepEqual(view.pinned.map((p) => [p.id, p.tunnel, p.installed]), [['zoom.desktop', 'office', true], ['gone.desktop', 'home', false]]);
    store.renamed('office', 'work');
    store.renamed('home', null);
    assert.deepEqual(new SplitAppsStore(join(dirs.root, 'split-apps.json')).get(), { outside: ['firefox.desktop'], pinned: [{ id: 'zoom.desktop', tunnel: 'work' }] });
  });

  it('sends the helper the app\'s ID and only the session variables it will accept', async () => {
    const { s, fake } = service(['office']);
    assert.deepEqual(await s.launch('firefox.desktop', null), { ok: true, name: 'firefox' });
    assert.deepEqual(await s.launch('zoom.desktop', 'office'), { ok: true, name: 'zoom' });
    assert.deepEqual(fake.launchCalls, [
      { desktopId: 'firefox.desktop', tunnel: null, session: { DISPLAY: ':0', XDG_RUNTIME_DIR: '/run/user/1000' } },
      { desktopId: 'zoom.desktop', tunnel: 'office', session: { DISPLAY: ':0', XDG_RUNTIME_DIR: '/run/user/1000' } },
    ], 'a tcp: bus address is not sent');
  });

  it('says why a launch did not happen', async () => {
    const { s, fake } = service();
    assert.deepEqual(await s.launch('zoom.desktop', 'office'), { ok: false, reason: 'tunnel-off', detail: 'office' });
    assert.equal(fake.launchCalls.length, 0, 'nothing is asked of the helper for a tunnel that is off');
    fake.launchApp = async () => { throw new ProtocolError('not-found', 'x.desktop is not an installed app'); };
    assert.deepEqual(await s.launch('firefox.desktop', null), { ok: false, reason: 'not-installed', detail: 'x.desktop is not an installed app' });
  });

  it('app-core serves it on splitapps:*, checked by the IPC schema', async () => {
    const fake = new FakeHelper();
    const core = createAppCore(recordingPorts(fakeLauncher(fake, { running: true })));
    const view = await core.handlers['splitapps:set']({ outside: ['firefox.desktop'], pinned: [] });
    assert.deepEqual(view.outside.map((a) => a.id), ['firefox.desktop']);
    assert.deepEqual((await core.handlers['splitapps:get']()).outside.map((a) => a.id), ['firefox.desktop']);
    assert.deepEqual(await core.handlers['splitapps:launch']('firefox.desktop', 'office'), { ok: false, reason: 'tunnel-off', detail: 'office' });
  });

  it('puts both lists in the tray under "Start app", and a failed start becomes a notification, in English and Japanese', async () => {
    const fake = new FakeHelper();
    const ports = recordingPorts(fakeLauncher(fake, { running: true }));
    const core = createAppCore(ports);
    assert.equal(core.tray().items.find((i) => i.id === 'start-app'), undefined, 'no submenu without apps');
    await core.handlers['splitapps:set']({ outside: ['firefox.desktop'], pinned: [{ id: 'zoom.desktop', tunnel: 'office' }] });
    const menu = core.tray().items.find((i) => i.id === 'start-app');
    assert.deepEqual(menu?.submenu?.map((i) => i.label), ['firefox.desktop (outside the tunnel)', 'zoom.desktop (office)'], 'an app not installed keeps its ID');
    await core.clickTrayItem('start-app:firefox.desktop');
    assert.deepEqual(fake.launchCalls.map((c) => [c.desktopId, c.tunnel]), [['firefox.desktop', null]]);
    assert.equal(ports.notifications.length, 0, 'a start that worked is not announced');
    await core.clickTrayItem('start-app:zoom.desktop');
    assert.deepEqual(ports.notifications.at(-1), { title: 'zoom.desktop did not start', body: 'Switch office on first: an app can only be started in a tunnel that is on.', urgency: 'normal' });
    await core.handlers['settings:set']({ language: 'ja' });
    assert.equal(core.tray().items.find((i) => i.id === 'start-app')?.label, 'アプリを起動');
    await core.clickTrayItem('start-app:zoom.desktop');
    assert.equal(ports.notifications.at(-1)?.body, '先に office をオンにしてください。アプリはオンのトンネルでのみ起動できます。');
  });
});
