// The user's split-tunneling lists, as a small JSON file beside the
// settings. A malformed file or entry falls back to empty lists rather than
// stopping the app.
import type { Infer } from '../../../shared/check.js';
import { splitAppLists } from '../../../shared/ipc/split-apps.js';
import { readJsonFile, writeJsonFile } from '../json-file.js';

export type SplitAppLists = Infer<typeof splitAppLists>;

export class SplitAppsStore {
  private lists: SplitAppLists = { outside: [], pinned: [] };

  constructor(private readonly file: string) {
    try {
      this.lists = normalize(splitAppLists(readJsonFile(file) ?? {}, 'split-apps', false));
    } catch {
      // Missing or malformed: no apps chosen.
    }
  }

  get(): SplitAppLists {
    return this.lists;
  }

  set(lists: SplitAppLists): SplitAppLists {
    this.lists = normalize(lists);
    writeJsonFile(this.file, this.lists);
    return this.lists;
  }

  /** A tunnel was renamed or removed: its pins follow it or go. */
  renamed(from: string, to: string | null): void {
    if (!this.lists.pinned.some((p) => p.tunnel === from)) return;
    this.set({
      outside: this.lists.outside,
      pinned: this.lists.pinned.flatMap((p) => (p.tunnel !== from ? [p] : to !== null ? [{ id: p.id, tunnel: to }] : [])),
    });
  }
}

/** One entry per app: an app is either outside or pinned to one tunnel (the last choice wins). */
function normalize(l: SplitAppLists): SplitAppLists {
  const pinned = new Map<string, string>();
  for (const p of l.pinned) pinned.set(p.id, p.tunnel);
  const outside = [...new Set(l.outside)].filter((id) => !pinned.has(id));
  return { outside, pinned: [...pinned].map(([id, tunnel]) => ({ id, tunnel })) };
}
