// Per-app split tunneling in main: the view for the window (installed apps
// and the two lists) and launching through the helper. Main never starts an
// app itself: it sends the helper the app's ID and this session's display,
// runtime directory and session bus, which the helper checks again.
import { checkSessionEnv, SESSION_ENV_KEYS, type SessionEnv } from '../../../shared/apps/session-env.js';
import { ProtocolError } from '../../../shared/control/protocol.js';
import type { AppItem, LaunchResult, SplitAppsView } from '../../../shared/ipc/split-apps.js';
import type { HelperSupervisor } from '../helper/helper-supervisor.js';
import type { TraySplitApp } from '../tray/tray-split-apps.js';
import { installedApps, readDesktopEntries } from './installed-apps.js';
import type { SplitAppLists, SplitAppsStore } from './split-apps-store.js';

export interface SplitAppsDeps {
  store: SplitAppsStore;
  helper: HelperSupervisor;
  home: string;
  env: NodeJS.ProcessEnv;
  uid: number;
  /** The UI language, for localized app names. */
  locale: () => string;
  /** A tunnel is on (the helper refuses to pin to one that is not). */
  isOn: (tunnel: string) => boolean;
}

export class SplitAppsService {
  /** App names as last read, so the tray (redrawn every second) does not read the desktop entries. */
  private names: Map<string, string> | null = null;

  constructor(private readonly deps: SplitAppsDeps) {}

  /** Both lists for the tray, outside first. */
  trayApps(): TraySplitApp[] {
    const lists = this.deps.store.get();
    if (lists.outside.length + lists.pinned.length === 0) return [];
    if (!this.names) this.view();
    const name = (id: string) => this.names?.get(id) ?? id;
    return [
      ...lists.outside.map((id) => ({ id, name: name(id), tunnel: null })),
      ...lists.pinned.map((p) => ({ id: p.id, name: name(p.id), tunnel: p.tunnel })),
    ];
  }

  view(): SplitAppsView {
    const entries = readDesktopEntries(this.deps.home, this.deps.env, this.deps.locale());
    this.names = new Map([...entries].flatMap(([id, e]) => (e ? [[id, e.name] as const] : [])));
    const item = (id: string): AppItem & { installed: boolean } => {
      const e = entries.get(id);
      return e ? { id, name: e.name, icon: e.icon, installed: true } : { id, name: id, icon: null, installed: false };
    };
    const lists = this.deps.store.get();
    return {
      installed: installedApps(entries),
      outside: lists.outside.map(item),
      pinned: lists.pinned.map((p) => ({ ...item(p.id), tunnel: p.tunnel })),
    };
  }

  set(lists: SplitAppLists): SplitAppsView {
    this.deps.store.set(lists);
    return this.view();
  }

  /** This session's variables that the helper will accept (a malformed one is left out, not sent). */
  session(): SessionEnv {
    const out: SessionEnv = {};
    for (const key of SESSION_ENV_KEYS) {
      const value = this.deps.env[key];
      if (value === undefined) continue;
      if (checkSessionEnv({ [key]: value }, this.deps.uid).problem === null) out[key] = value;
    }
    return out;
  }

  async launch(id: string, tunnel: string | null): Promise<LaunchResult> {
    if (tunnel !== null && !this.deps.isOn(tunnel)) return { ok: false, reason: 'tunnel-off', detail: tunnel };
    try {
      const helper = await this.deps.helper.ensure();
      const started = await helper.call('launchApp', { desktopId: id, tunnel, session: this.session() });
      return { ok: true, name: started.name };
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      const code = e instanceof ProtocolError ? e.code : null;
      return { ok: false, reason: code === 'not-found' ? 'not-installed' : code === 'conflict' ? 'tunnel-off' : 'failed', detail };
    }
  }
}
