// Turns on again, when WireDesk starts, the tunnels and failover groups the
// user left on. The helper keeps tunnels up while the app restarts, but after
// a reboot it starts with none: without this, "on" would not survive the
// night. What the user switched (window or tray) is remembered in
// restore.json; rules and groups switching their members are not the user's
// word and are not recorded (on-demand decides again on the next network).
//
// It acts once per app session, on the first connection to a helper that
// runs (never a password prompt, as on-demand rules), with the setting on,
// and skips what the helper already has up.
import type { HelperConnection } from '../helper/helper-connection.js';
import type { HelperSupervisor } from '../helper/helper-supervisor.js';
import { readJsonFile, writeJsonFile } from '../json-file.js';

export interface RestoreDeps {
  readonly file: string;
  readonly helper: HelperSupervisor;
  readonly enabled: () => boolean;
  readonly tunnelExists: (name: string) => boolean;
  readonly groupExists: (name: string) => boolean;
  readonly switchTunnel: (name: string) => Promise<void>;
  readonly switchGroup: (name: string) => Promise<void>;
  readonly log: (tunnel: string, text: string) => void;
}

interface Remembered {
  tunnels: string[];
  groups: string[];
}

export class SessionRestore {
  private readonly on: Remembered;
  private done = false;
  /** Resolves when the session's restore has run (or was not needed); for tests and the tray. */
  restored: Promise<void> = Promise.resolve();

  constructor(private readonly d: RestoreDeps) {
    this.on = load(d.file);
    d.helper.onConnect((c) => {
      if (this.done) return;
      this.done = true;
      this.restored = this.restore(c);
    });
  }

  /** The user switched a tunnel or a group on or off. */
  switched(kind: 'tunnel' | 'group', name: string, on: boolean): void {
    const list = kind === 'tunnel' ? this.on.tunnels : this.on.groups;
    const has = list.includes(name);
    if (has === on) return;
    if (on) list.push(name);
    else list.splice(list.indexOf(name), 1);
    writeJsonFile(this.d.file, this.on);
  }

  /** A tunnel or group was renamed (to) or deleted (null). */
  renamed(kind: 'tunnel' | 'group', from: string, to: string | null): void {
    const list = kind === 'tunnel' ? this.on.tunnels : this.on.groups;
    const at = list.indexOf(from);
    if (at < 0) return;
    if (to === null) list.splice(at, 1);
    else list[at] = to;
    writeJsonFile(this.d.file, this.on);
  }

  private async restore(c: HelperConnection): Promise<void> {
    if (!this.d.enabled()) return;
    const tunnels = this.on.tunnels.filter(this.d.tunnelExists);
    const groups = this.on.groups.filter(this.d.groupExists);
    if (tunnels.length === 0 && groups.length === 0) return;
    const status = await c.call('status', {}).catch(() => null);
    if (!status) return;
    const running = new Set(status.tunnels.map((t) => t.name));
    for (const name of tunnels) {
      if (running.has(name)) continue;
      this.d.log(name, 'Switching on again: it was on when WireDesk last ran.');
      await this.d.switchTunnel(name).catch(() => undefined); // its state and diagnosis say why it failed
    }
    for (const name of groups) await this.d.switchGroup(name).catch(() => undefined);
  }
}

function load(file: string): Remembered {
  const raw = readJsonFile(file) as Partial<Record<keyof Remembered, unknown>> | null;
  const names = (v: unknown) => (Array.isArray(v) ? v.filter((n): n is string => typeof n === 'string' && n.length > 0 && n.length <= 64) : []);
  return { tunnels: names(raw?.tunnels), groups: names(raw?.groups) };
}
