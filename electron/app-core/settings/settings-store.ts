// User settings as a small JSON file next to the profiles. Unknown or
// malformed values fall back to defaults instead of stopping the app.
import type { Settings } from '../../../shared/ipc/types.js';
import { readJsonFile, writeJsonFile } from '../json-file.js';

export const defaultSettings: Settings = {
  startAtLogin: false,
  startHidden: false,
  restoreTunnels: true,
  killSwitch: false,
  allowLan: true,
  deadAfterSeconds: 20,
  language: 'system',
  theme: 'system',
};

export class SettingsStore {
  private current: Settings;

  constructor(private readonly file: string) {
    this.current = load(file);
  }

  get(): Settings {
    return this.current;
  }

  update(patch: Partial<Settings>): Settings {
    this.current = { ...this.current, ...patch };
    writeJsonFile(this.file, this.current);
    return this.current;
  }
}

function load(file: string): Settings {
  const raw = readJsonFile(file);
  if (typeof raw !== 'object' || raw === null) return defaultSettings;
  const r = raw as Record<string, unknown>;
  const flag = (k: keyof Settings) => (typeof r[k] === 'boolean' ? (r[k] as boolean) : (defaultSettings[k] as boolean));
  const pick = <T extends string>(v: unknown, allowed: readonly T[], d: T): T => (allowed.includes(v as T) ? (v as T) : d);
  return {
    startAtLogin: flag('startAtLogin'),
    startHidden: flag('startHidden'),
    restoreTunnels: flag('restoreTunnels'),
    killSwitch: flag('killSwitch'),
    allowLan: flag('allowLan'),
    deadAfterSeconds: Number.isInteger(r.deadAfterSeconds) && (r.deadAfterSeconds as number) >= 5 && (r.deadAfterSeconds as number) <= 3600
      ? r.deadAfterSeconds as number : defaultSettings.deadAfterSeconds,
    language: pick(r.language, ['system', 'en', 'ja'] as const, defaultSettings.language),
    theme: pick(r.theme, ['system', 'light', 'dark'] as const, defaultSettings.theme),
  };
}
