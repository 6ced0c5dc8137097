// The launchable apps installed for this user, read from the XDG data
// directories with the same parser the helper uses when it starts one.
// Entries hidden from menus (NoDisplay) and console programs are left out:
// the lists are for apps a user starts from their desktop.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { applicationDirs, isDesktopId, parseDesktopEntry, type DesktopEntry } from '../../../shared/apps/desktop-entry.js';
import type { AppItem } from '../../../shared/ipc/split-apps.js';

const MAX_ENTRY_BYTES = 256 * 1024;

/** Every desktop entry by ID: the first directory that has an ID decides it (the user's own first). */
export function readDesktopEntries(home: string, env: { XDG_DATA_HOME?: string; XDG_DATA_DIRS?: string }, locale: string): Map<string, DesktopEntry | null> {
  const found = new Map<string, DesktopEntry | null>();
  for (const dir of applicationDirs(home, env)) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const id of names) {
      if (found.has(id) || !isDesktopId(id)) continue;
      try {
        const path = `${dir}/${id}`;
        if (statSync(path).size > MAX_ENTRY_BYTES) continue;
        found.set(id, parseDesktopEntry(id, readFileSync(path, 'utf8'), locale));
      } catch {
        // Unreadable or a dangling link: not an app.
      }
    }
  }
  return found;
}

/** The apps worth listing, by name. */
export function installedApps(entries: Map<string, DesktopEntry | null>): AppItem[] {
  const out: AppItem[] = [];
  for (const e of entries.values()) if (e && !e.noDisplay && !e.terminal) out.push({ id: e.id, name: e.name, icon: e.icon });
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
