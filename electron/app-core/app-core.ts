// The main process without Electron: stores, helper supervision, tunnels,
// import/export, tray and notification models, and the IPC handler table.
// electron/main.ts and the e2e bridge both build exactly this.
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolveLanguage } from '../../shared/ipc/language.js';
import type { Handlers } from '../../shared/ipc/schema.js';
import type { Settings } from '../../shared/ipc/types.js';
import { HelperSupervisor } from './helper/helper-supervisor.js';
import { OnDemandController } from './on-demand/on-demand-controller.js';
import { OnDemandStore } from './on-demand/on-demand-store.js';
import { SplitDnsStore } from './profiles/split-dns-store.js';
import type { AppPorts } from './ports.js';
import { ProfileStore } from './profiles/profile-store.js';
import { SettingsStore } from './settings/settings-store.js';
import { createTransferHandlers } from './transfer/transfer-handlers.js';
import { notificationFor } from './tray/notification-model.js';
import { findAction, trayModel, type TrayAction, type TrayModel } from './tray/tray-model.js';
import { TunnelService } from './tunnels/tunnel-service.js';
import { TunnelPrefs } from './tunnels/tunnel-prefs.js';
import { createRoutingHandlers } from './tunnels/routing-handlers.js';
import { SessionRestore } from './tunnels/session-restore.js';
import { saveProfile } from './profiles/save-profile.js';
import { createDemoProfile } from './profiles/demo-profile.js';
import { GroupController } from './groups/group-controller.js';
import { GroupStore } from './groups/group-store.js';
import { SplitAppsService } from './split-apps/split-apps-service.js';
import { SplitAppsStore } from './split-apps/split-apps-store.js';
import { launchNotification } from './tray/tray-split-apps.js';

export interface AppCore {
  readonly handlers: Handlers;
  readonly tunnels: TunnelService;
  readonly helper: HelperSupervisor;
  readonly settings: SettingsStore;
  readonly profiles: ProfileStore;
  readonly groups: GroupController;
  readonly restore: SessionRestore;
  tray(): TrayModel;
  onTrayChange(listener: (model: TrayModel) => void): () => void;
  runTrayAction(action: TrayAction): Promise<void>;
  /** Clicks the tray item with this id, as a user would. */
  clickTrayItem(id: string): Promise<void>;
}

export function createAppCore(ports: AppPorts): AppCore {
  const profiles = new ProfileStore(join(ports.userDataDir, 'tunnels'), ports.secretBox);
  const settings = new SettingsStore(join(ports.userDataDir, 'settings.json'));
  const helper = new HelperSupervisor(ports.launcher);
  const tunnels = new TunnelService(profiles, settings, helper, ports.emit, ports.now);
  const tunnelPrefs = new TunnelPrefs(join(ports.userDataDir, 'tunnel-prefs.json'));
  const routing = createRoutingHandlers(tunnelPrefs, profiles, tunnels, helper);
  const groups = new GroupController({
    store: new GroupStore(join(ports.userDataDir, 'groups.json'), (n) => profiles.has(n)),
    tunnels, profiles, helper, emit: ports.emit, now: ports.now ?? Date.now,
  });
  const language = () => resolveLanguage(settings.get().language, ports.appInfo.systemLocale);
  const onDemandStore = new OnDemandStore(join(ports.userDataDir, 'on-demand.json'));
  const splitDns = new SplitDnsStore(join(ports.userDataDir, 'split-dns.json'));
  tunnels.useTunnelOptions((name) => ({ excludeLan: tunnelPrefs.get(name).excludeLan, splitDns: splitDns.get(name) }));
  const onDemand = new OnDemandController(onDemandStore, tunnels, helper, (name, text) => tunnels.note(name, text));
  const restore = new SessionRestore({
    file: join(ports.userDataDir, 'restore.json'), helper, enabled: () => settings.get().restoreTunnels,
    tunnelExists: (name) => profiles.has(name), groupExists: (name) => groups.list().some((g) => g.name === name),
    switchTunnel: (name) => tunnels.setActive(name, true), switchGroup: (name) => groups.setActive(name, true),
    log: (name, text) => tunnels.note(name, text),
  });
  const splitAppsStore = new SplitAppsStore(join(ports.userDataDir, 'split-apps.json'));
  const splitApps = new SplitAppsService({
    store: splitAppsStore, helper, home: homedir(), env: process.env, uid: process.getuid?.() ?? 0,
    locale: () => (language() === 'ja' ? 'ja_JP' : 'en_US'),
    isOn: (name) => tunnels.summaries().some((t) => t.name === name && t.state !== 'down' && t.state !== 'error'),
  });

  const trayListeners = new Set<(m: TrayModel) => void>();
  const tray = (): TrayModel => trayModel({
    tunnels: tunnels.summaries().map((t) => ({
      name: t.name, state: t.state, rxRate: t.rxRate, txRate: t.txRate, ...(t.diagnosis ? { diagnosis: t.diagnosis } : {}), ...(onDemand.reasonFor(t.name) ? { byRule: true } : {}),
      ...(tunnelPrefs.get(t.name).excludeLan ? { excludeLan: true } : {}),
    })),
    helper: helper.getStatus(),
    language: language(),
    groups: groups.list(),
    splitApps: splitApps.trayApps(),
  });
  const redrawTray = () => {
    if (trayListeners.size === 0) return;
    const model = tray();
    for (const l of trayListeners) l(model);
  };
  tunnels.onChange((change) => {
    if (change) {
      const spec = notificationFor(change, language());
      if (spec) ports.notifier.show(spec);
    }
    redrawTray();
  });
  groups.onChange(() => redrawTray());
  helper.onStatus((status) => {
    ports.emit('helper:status', status);
    redrawTray();
  });
  onDemand.onChange((view) => {
    ports.emit('ondemand:changed', view);
    redrawTray();
  });

  const runTrayAction = async (action: TrayAction): Promise<void> => {
    switch (action.kind) {
      case 'toggle':
        onDemand.switchedByHand(action.name);
        restore.switched('tunnel', action.name, action.active);
        await tunnels.setActive(action.name, action.active).catch(() => undefined); // the state and a notification report it
        return;
      case 'exclude-lan':
        await Promise.resolve().then(() => routing['tunnels:setExcludeLan'](action.name, action.on)).catch((e: Error) => tunnels.note(action.name, e.message));
        redrawTray();
        return;
      case 'toggle-group':
        restore.switched('group', action.name, action.active);
        await groups.setActive(action.name, action.active).catch(() => undefined);
        return;
      case 'launch-app': {
        const app = splitApps.trayApps().find((a) => a.id === action.id && a.tunnel === action.tunnel) ?? { id: action.id, name: action.id, tunnel: action.tunnel };
        const failed = launchNotification(app, await splitApps.launch(action.id, action.tunnel), language());
        if (failed) ports.notifier.show(failed);
        return;
      }
      case 'import':
        ports.showWindow();
        ports.emit('app:navigate', { view: 'import' });
        return;
      case 'manage':
        ports.showWindow();
        ports.emit('app:navigate', { view: 'list' });
        return;
      case 'restart-helper':
        await helper.restart();
        return;
      case 'update-helper':
        await helper.setup();
        return;
      case 'quit':
        ports.quit();
    }
  };

  const setSettings = async (patch: Partial<Settings>): Promise<Settings> => {
    const before = settings.get();
    const after = settings.update(patch);
    if (after.startAtLogin !== before.startAtLogin || after.startHidden !== before.startHidden) ports.autostart.set(after.startAtLogin, after.startHidden);
    if (after.killSwitch !== before.killSwitch || after.allowLan !== before.allowLan || after.deadAfterSeconds !== before.deadAfterSeconds) await tunnels.optionsChanged();
    ports.emit('settings:changed', after);
    redrawTray();
    return after;
  };

  const handlers: Handlers = {
    'app:info': () => ports.appInfo,
    'splitdns:get': (name) => splitDns.get(name),
    'splitdns:set': async (name, domains) => {
      const before = splitDns.get(name).join(',');
      const saved = splitDns.set(name, domains);
      if (saved.join(',') !== before) await tunnels.splitDnsChanged(name);
      return saved;
    },
    'ondemand:get': () => onDemand.view(),
    'ondemand:setRule': (name, rule) => onDemand.setRule(name, rule),
    'ondemand:trustCurrent': () => onDemand.trustCurrent(),
    'ondemand:untrust': (key) => onDemand.untrust(key),
    'tunnels:list': () => tunnels.summaries(),
    'tunnels:detail': (name) => tunnels.detail(name),
    'tunnels:history': (name) => tunnels.history(name),
    'tunnels:setActive': (name, active) => {
      onDemand.switchedByHand(name);
      restore.switched('tunnel', name, active);
      return tunnels.setActive(name, active);
    },
    'tunnels:readConfig': (name) => profiles.read(name),
    'tunnels:save': (original, name, text) => {
      const saved = saveProfile(profiles, tunnels, original, name, text);
      if (saved.ok && original !== null && original !== name) groups.tunnelChanged(original, name);
      return saved;
    },
    'tunnels:remove': async (name) => {
      await tunnels.setActive(name, false);
      profiles.remove(name);
      tunnels.profilesChanged();
      groups.tunnelChanged(name, null);
    },
    ...createTransferHandlers(profiles, tunnels, ports),
    ...routing,
    'tunnels:createDemo': (host) => createDemoProfile(profiles, tunnels, host),
    'tunnels:logs': (name) => tunnels.logs(name),
    'tunnels:saveLogs': async (name, text) => {
      const path = await ports.dialogs.saveFile('Save log', `${name}-log.txt`, [{ name: 'Text', extensions: ['txt'] }]);
      if (!path) return false;
      writeFileSync(path, text, { mode: 0o600 });
      return true;
    },
    'settings:get': () => settings.get(),
    'settings:set': (patch) => setSettings(patch),
    'helper:status': () => helper.getStatus(),
    'helper:restart': () => helper.restart(),
    'helper:setup': () => helper.setup(),
    'clipboard:write': (text) => ports.clipboard.writeText(text),
    'groups:list': () => groups.list(),
    'groups:save': async (original, spec) => {
      const list = await groups.save(original, spec);
      if (original !== null && original !== spec.name) restore.renamed('group', original, spec.name);
      return list;
    },
    'groups:remove': async (name) => {
      await groups.remove(name);
      restore.renamed('group', name, null);
    },
    'groups:setActive': (name, on) => {
      restore.switched('group', name, on);
      return groups.setActive(name, on);
    },
    'splitapps:get': () => splitApps.view(),
    'splitapps:set': (lists) => {
      const view = splitApps.set(lists);
      redrawTray();
      return view;
    },
    'splitapps:launch': (id, tunnel) => splitApps.launch(id, tunnel),
  };

  // A rule follows its tunnel through a rename and goes with it.
  const save = handlers['tunnels:save'];
  const remove = handlers['tunnels:remove'];
  handlers['tunnels:save'] = async (original, name, text) => {
    const saved = await save(original, name, text);
    if (saved.ok && original !== null && original !== saved.name) {
      onDemandStore.renamed(original, saved.name);
      tunnelPrefs.renamed(original, saved.name);
      splitAppsStore.renamed(original, saved.name);
      splitDns.renamed(original, saved.name);
      restore.renamed('tunnel', original, saved.name);
    }
    return saved;
  };
  handlers['tunnels:remove'] = async (name) => {
    await remove(name);
    onDemandStore.renamed(name, null);
    tunnelPrefs.renamed(name, null);
    splitAppsStore.renamed(name, null);
    splitDns.renamed(name, null);
    restore.renamed('tunnel', name, null);
  };

  return {
    handlers, tunnels, helper, settings, profiles, groups, restore, tray, runTrayAction,
    onTrayChange(listener) {
      trayListeners.add(listener);
      return () => trayListeners.delete(listener);
    },
    async clickTrayItem(id) {
      const action = findAction(tray().items, id);
      if (!action) throw new Error(`The tray menu has no clickable item "${id}".`);
      await runTrayAction(action);
    },
  };
}
