// Per-app split tunneling as the window and main see it: the apps the user
// chose to run outside the tunnels, and those pinned to one tunnel. An app
// is its desktop file ID; main lists the installed ones and starts a chosen
// one through the helper (`launchApp` in shared/control/protocol.ts).
import { arr, obj, str } from '../check.js';
import { tunnelName } from '../config/interface-name.js';
import { DESKTOP_ID_PATTERN } from '../apps/desktop-entry.js';

export const desktopId = str({ max: 255, pattern: DESKTOP_ID_PATTERN, hint: 'a desktop file ID such as firefox.desktop' });
export const pinnedApp = obj({ id: desktopId, tunnel: tunnelName });
export const splitAppLists = obj({ outside: arr(desktopId, 200), pinned: arr(pinnedApp, 200) });

export interface AppItem {
  readonly id: string;
  readonly name: string;
  readonly icon: string | null;
}

export interface SplitAppsView {
  /** Launchable apps installed for this user, by name. */
  readonly installed: readonly AppItem[];
  /** Chosen apps; one no longer installed keeps its ID as its name. */
  readonly outside: readonly (AppItem & { readonly installed: boolean })[];
  readonly pinned: readonly (AppItem & { readonly installed: boolean; readonly tunnel: string })[];
}

/**
 * A launch: started, or why not, as a reason the window words in every
 * language (the helper's own sentence, in English, comes as `detail`).
 */
export type LaunchResult =
  | { ok: true; name: string }
  | { ok: false; reason: 'tunnel-off' | 'not-installed' | 'failed'; detail: string };
