// What assistive technology hears, in English and Japanese (en.ts and ja.ts
// include these as `a11y`): state announcements, names that carry the
// tunnel, the graph's text alternative, the shortcuts' labels.
import type { TunnelState } from '../../../shared/ipc/types.js';

export const a11yEn = {
  /** The one live region's sentence for a tunnel's new state; `why` is the diagnosis' first sentence. */
  announce: (name: string, state: TunnelState, why: string | null): string => {
    const said: Record<TunnelState, string> = {
      up: `${name} is on`, down: `${name} is off`, connecting: `${name} is connecting`,
      degraded: `${name} degraded`, reconnecting: `${name} is reconnecting`, error: `${name} failed`,
    };
    return why ? `${said[state]}: ${why}` : said[state];
  },
  stateOf: (name: string) => `${name} state:`,
  editTunnel: (name: string) => `Edit ${name}`,
  exportTunnel: (name: string) => `Export ${name}`,
  removeTunnel: (name: string) => `Delete ${name}`,
  received: 'received',
  sent: 'sent',
  /** The throughput graph's text alternative. */
  graphSummary: (rx: string, tx: string, peakRx: string, peakTx: string) =>
    `Now: ${rx} received, ${tx} sent. Peak over the last minute: ${peakRx} received, ${peakTx} sent.`,
  graphSummaryOff: 'The tunnel is off; no current throughput.',
  filterTunnels: 'Filter tunnels',
  noMatch: 'No tunnel matches the filter.',
  jumpToLine: (line: number) => `Go to line ${line}`,
  chooseFilesInput: 'Configuration files',
  shortcuts: 'Keyboard shortcuts: Ctrl+I import, Ctrl+N new tunnel, Ctrl+F filter, Delete removes the selected tunnel, Escape closes a dialog.',
};

export const a11yJa: typeof a11yEn = {
  announce: (name, state, why) => {
    const said: Record<TunnelState, string> = {
      up: `${name} はオンです`, down: `${name} はオフです`, connecting: `${name} に接続中です`,
      degraded: `${name} は不調です`, reconnecting: `${name} は再接続中です`, error: `${name} でエラーが発生しました`,
    };
    return why ? `${said[state]}: ${why}` : said[state];
  },
  stateOf: (name) => `${name} の状態:`,
  editTunnel: (name) => `${name} を編集`,
  exportTunnel: (name) => `${name} をエクスポート`,
  removeTunnel: (name) => `${name} を削除`,
  received: '受信',
  sent: '送信',
  graphSummary: (rx, tx, peakRx, peakTx) => `現在: 受信 ${rx}、送信 ${tx}。直近 1 分間のピーク: 受信 ${peakRx}、送信 ${peakTx}。`,
  graphSummaryOff: 'トンネルはオフです。現在のスループットはありません。',
  filterTunnels: 'トンネルを絞り込む',
  noMatch: '条件に一致するトンネルはありません。',
  jumpToLine: (line) => `${line} 行目へ移動`,
  chooseFilesInput: '設定ファイル',
  shortcuts: 'キーボードショートカット: Ctrl+I インポート、Ctrl+N 新規トンネル、Ctrl+F 絞り込み、Delete 選択中のトンネルを削除、Escape ダイアログを閉じる。',
};

/** The first sentence of a diagnosis, for an announcement that stays short. */
export function firstSentence(text: string): string {
  const m = /^.*?(?:\.(?=\s|$)|。)/u.exec(text);
  return (m ? m[0] : text).trim();
}
