// Per-app split tunneling, in English and Japanese (en.ts and ja.ts include
// these as `splitApps`).
import type { LaunchResult } from '../../../shared/ipc/split-apps.js';

type Failure = Extract<LaunchResult, { ok: false }>['reason'];

export const splitAppsEn = {
  title: 'Per-app routing',
  hint: 'Apps started from here have all their traffic, and their child processes’ traffic, routed as chosen. Start them from this list: an app already running keeps its current route.',
  outsideTitle: 'Apps outside the tunnel',
  outsideHint: 'These apps bypass every tunnel, even the kill switch, and use your network directly.',
  pinnedTitle: 'Apps in a chosen tunnel',
  pinnedHint: 'These apps use only their tunnel, even when another tunnel carries everything else. While it is off, they are blocked, never sent outside it.',
  addApp: 'Add an app…',
  chooseTunnel: 'Tunnel',
  add: 'Add',
  remove: 'Remove',
  launch: 'Start',
  noApps: 'No apps yet.',
  notInstalled: 'not installed',
  started: (name: string) => `Started ${name}.`,
  pinnedHere: 'Apps in this tunnel',
  nonePinnedHere: 'No apps use only this tunnel. Choose them in Settings → Per-app routing.',
  failures: {
    'tunnel-off': (tunnel: string) => `Switch ${tunnel} on first: an app can only be started in a tunnel that is on.`,
    'not-installed': () => 'This app is no longer installed.',
    failed: () => 'The app could not be started.',
  } satisfies Record<Failure, (tunnel: string) => string>,
};

export const splitAppsJa: typeof splitAppsEn = {
  title: 'アプリごとの経路',
  hint: 'ここから起動したアプリは、その子プロセスも含めて、すべての通信が選んだ経路を通ります。このリストから起動してください。すでに動いているアプリの経路は変わりません。',
  outsideTitle: 'トンネルを通さないアプリ',
  outsideHint: 'これらのアプリはどのトンネルも(キルスイッチも)通らず、ネットワークを直接使います。',
  pinnedTitle: '指定したトンネルを使うアプリ',
  pinnedHint: 'これらのアプリは、ほかのトンネルが全通信を運んでいても、指定したトンネルだけを使います。そのトンネルがオフの間は通信を遮断し、外へは出しません。',
  addApp: 'アプリを追加…',
  chooseTunnel: 'トンネル',
  add: '追加',
  remove: '削除',
  launch: '起動',
  noApps: 'まだアプリはありません。',
  notInstalled: '未インストール',
  started: (name) => `${name} を起動しました。`,
  pinnedHere: 'このトンネルを使うアプリ',
  nonePinnedHere: 'このトンネルだけを使うアプリはありません。設定 → アプリごとの経路 で選べます。',
  failures: {
    'tunnel-off': (tunnel) => `先に ${tunnel} をオンにしてください。アプリはオンのトンネルでのみ起動できます。`,
    'not-installed': () => 'このアプリはもうインストールされていません。',
    failed: () => 'アプリを起動できませんでした。',
  },
};
