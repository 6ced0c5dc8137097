// Words main shows outside the renderer (tray, notifications), in both languages.
import type { Diagnosis, Language, TunnelState } from '../../../shared/ipc/types.js';
import { describeDiagnosis } from '../../../shared/diagnosis/describe.js';
import { diagnosisEn } from '../../../shared/diagnosis/en.js';
import { diagnosisJa } from '../../../shared/diagnosis/ja.js';

const en = {
  status: 'Status',
  allOff: 'all tunnels off',
  noTunnels: 'No tunnels yet',
  tunnels: 'Tunnels',
  import: 'Import tunnel(s) from file…',
  manage: 'Manage tunnels…',
  quit: 'Quit',
  restartHelper: 'Restart helper',
  helperStopped: 'helper stopped',
  updateHelper: 'Update the helper…',
  helperOutdated: 'the helper needs an update',
  state: { down: 'off', connecting: 'connecting', up: 'on', degraded: 'degraded', error: 'error', reconnecting: 'reconnecting' } satisfies Record<TunnelState, string>,
  notifyUp: (name: string) => `${name} is on`,
  notifyDown: (name: string) => `${name} is off`,
  notifyDegraded: (name: string) => `${name} has a problem`,
  notifyError: (name: string) => `${name} failed`,
  notifyUpBody: 'The handshake completed; traffic flows through the tunnel.',
  notifyDownBody: 'The tunnel was switched off.',
  onByRule: 'on by an on-demand rule',
  excludeLan: 'Exclude the network I\u2019m on',
  diagnosis: (d: Diagnosis) => describeDiagnosis(d, diagnosisEn),
};

const ja: typeof en = {
  status: '状態',
  allOff: 'すべてのトンネルがオフ',
  noTunnels: 'トンネルはまだありません',
  tunnels: 'トンネル',
  import: 'ファイルからトンネルをインポート…',
  manage: 'トンネルを管理…',
  quit: '終了',
  restartHelper: 'ヘルパーを再起動',
  helperStopped: 'ヘルパーが停止しました',
  updateHelper: 'ヘルパーを更新…',
  helperOutdated: 'ヘルパーの更新が必要です',
  state: { down: 'オフ', connecting: '接続中', up: 'オン', degraded: '不調', error: 'エラー', reconnecting: '再接続中' },
  notifyUp: (name) => `${name} がオンになりました`,
  notifyDown: (name) => `${name} がオフになりました`,
  notifyDegraded: (name) => `${name} に問題があります`,
  notifyError: (name) => `${name} が失敗しました`,
  notifyUpBody: 'ハンドシェイクが完了し、トンネル経由で通信しています。',
  notifyDownBody: 'トンネルをオフにしました。',
  onByRule: 'オンデマンドのルールでオン',
  excludeLan: '接続中のネットワークを除外',
  diagnosis: (d) => describeDiagnosis(d, diagnosisJa),
};

export function trayStrings(lang: Language): typeof en {
  return lang === 'ja' ? ja : en;
}
