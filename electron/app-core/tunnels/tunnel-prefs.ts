// Per-tunnel routing preferences that are not part of the .conf:
// "Exclude the network I'm on" (a runtime option) and the record that lets
// "Exclude private IPs" restore AllowedIPs exactly after the app restarts.
// One JSON file beside settings.json, written atomically, mode 0600; anything
// malformed in it is ignored entry by entry, never fatal.
import { excludePrivateRecord, type ExcludePrivateRecordValue } from '../../../shared/ipc/routing-options.js';
import { moveEntry, readJsonFile, writeJsonFile } from '../json-file.js';

export interface TunnelPref {
  excludeLan: boolean;
  excludePrivate: ExcludePrivateRecordValue | null;
}

const NONE: TunnelPref = { excludeLan: false, excludePrivate: null };

export class TunnelPrefs {
  private prefs = new Map<string, TunnelPref>();

  constructor(private readonly file: string) {
    const raw = readJsonFile(file);
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
    if (moveEntry(this.prefs, from, to)) this.save();
  }

  private save(): void {
    writeJsonFile(this.file, Object.fromEntries(this.prefs));
  }
}

function recordOf(v: unknown): ExcludePrivateRecordValue | null {
  try {
    return v == null ? null : excludePrivateRecord(v, 'excludePrivate', true);
  } catch {
    return null;
  }
}
