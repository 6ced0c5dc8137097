// Per-tunnel routing preferences that are not part of the .conf:
// "Exclude the network I'm on" (a runtime option) and the record that lets
// "Exclude private IPs" restore AllowedIPs exactly after the app restarts.
// One JSON file beside settings.json, written atomically, mode 0600; anything
// malformed in it is ignored entry by entry, never fatal.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { excludePrivateRecord, type ExcludePrivateRecordValue } from '../../../shared/ipc/routing-options.js';

export interface TunnelPref {
  excludeLan: boolean;
  excludePrivate: ExcludePrivateRecordValue | null;
}

const NONE: TunnelPref = { excludeLan: false, excludePrivate: null };

export class TunnelPrefs {
  private prefs = new Map<string, TunnelPref>();

  constructor(private readonly file: string) {
    let raw: unknown;
    try { raw = JSON.parse(readFileSync(file, 'utf8')); } catch { return; }
    if (typeof raw !== 'object' || raw === null) return;
    for (const [name, v] of Object.entries(raw as Record<string, unknown>)) {
      const p = v as { excludeLan?: unknown; excludePrivate?: unknown } | null;
      if (typeof p !== 'object' || p === null) continue;
      this.prefs.set(name, { excludeLan: p.excludeLan === true, excludePrivate: recordOf(p.excludePrivate) });
    }
  }

  get(name: string): TunnelPref {
    return this.prefs.get(name) ?? NONE;
  }

  set(name: string, patch: Partial<TunnelPref>): TunnelPref {
    const next = { ...this.get(name), ...patch };
    if (!next.excludeLan && next.excludePrivate === null) this.prefs.delete(name);
    else this.prefs.set(name, next);
    this.save();
    return next;
  }

  /** A renamed tunnel keeps its preferences; a removed one (to null) loses them. */
  renamed(from: string, to: string | null): void {
    const p = this.prefs.get(from);
    if (!p) return;
    this.prefs.delete(from);
    if (to !== null) this.prefs.set(to, p);
    this.save();
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(Object.fromEntries(this.prefs), null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

function recordOf(v: unknown): ExcludePrivateRecordValue | null {
  try {
    return v == null ? null : excludePrivateRecord(v, 'excludePrivate', true);
  } catch {
    return null;
  }
}
