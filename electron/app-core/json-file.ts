// The app's small JSON files beside settings.json: settings, failover groups,
// on-demand rules, tunnel preferences, split DNS and per-app lists. Mode 0600,
// written to a temporary file and renamed over it, so a crash mid-write never
// leaves half a file to be read as "malformed" (and so emptied) next start.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/** The parsed file, or undefined when it is missing or not JSON; each store checks the shape itself. */
export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function writeJsonFile(file: string, value: unknown): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** A tunnel was renamed (or removed: to null): its entry follows it, or goes. False when it had none. */
export function moveEntry<V>(map: Map<string, V>, from: string, to: string | null): boolean {
  const v = map.get(from);
  if (v === undefined) return false;
  map.delete(from);
  if (to !== null) map.set(to, v);
  return true;
}
