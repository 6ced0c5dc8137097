// Per-app routing in the tray: a "Start app" submenu with the apps of both
// lists, each started into its route as from the window. Its words, and the
// notification when a start fails, in English and Japanese.
import type { Language } from '../../../shared/ipc/types.js';
import type { LaunchResult } from '../../../shared/ipc/split-apps.js';
import type { NotificationSpec } from './notification-model.js';
import type { TrayMenuItem } from './tray-model.js';

export interface TraySplitApp {
  readonly id: string;
  readonly name: string;
  /** null: outside the tunnels. */
  readonly tunnel: string | null;
}

const en = {
  startApp: 'Start app',
  outside: 'outside the tunnel',
  failed: (name: string) => `${name} did not start`,
  failures: {
    'tunnel-off': (tunnel: string) => `Switch ${tunnel} on first: an app can only be started in a tunnel that is on.`,
    'not-installed': () => 'This app is no longer installed.',
    failed: () => 'The app could not be started.',
  } satisfies Record<Extract<LaunchResult, { ok: false }>['reason'], (tunnel: string) => string>,
};

const ja: typeof en = {
  startApp: 'アプリを起動',
  outside: 'トンネルを通さない',
  failed: (name) => `${name} を起動できませんでした`,
  failures: {
    'tunnel-off': (tunnel) => `先に ${tunnel} をオンにしてください。アプリはオンのトンネルでのみ起動できます。`,
    'not-installed': () => 'このアプリはもうインストールされていません。',
    failed: () => 'アプリを起動できませんでした。',
  },
};

const strings = (lang: Language) => (lang === 'ja' ? ja : en);

export function splitAppItems(apps: readonly TraySplitApp[], language: Language): TrayMenuItem[] {
  if (apps.length === 0) return [];
  const s = strings(language);
  return [{
    id: 'start-app',
    type: 'submenu',
    label: s.startApp,
    submenu: apps.map((a) => ({
      id: `start-app:${a.id}`,
      type: 'normal',
      label: `${a.name} (${a.tunnel ?? s.outside})`,
      action: { kind: 'launch-app', id: a.id, tunnel: a.tunnel },
    })),
  }];
}

/** The notification for a start from the tray that failed, or null when it started. */
export function launchNotification(app: TraySplitApp, result: LaunchResult, language: Language): NotificationSpec | null {
  if (result.ok) return null;
  const s = strings(language);
  return { title: s.failed(app.name), body: s.failures[result.reason](app.tunnel ?? ''), urgency: 'normal' };
}
