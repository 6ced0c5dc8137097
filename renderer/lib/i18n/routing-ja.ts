// ルーティングのオプションの日本語 (ja.ts の `routing`)。
import type { routingEn } from './routing-en.js';

export const routingJa: typeof routingEn = {
  lanTitle: 'ローカルネットワーク',
  excludeLan: '接続中のネットワークを除外',
  excludeLanHint: '接続しているサブネット (プリンター、NAS、ルーターの設定画面) はトンネルを通りません。全トラフィックのトンネルでも同じです。ネットワークが変わると追従します。.conf には何も書き込みません。',
  lanNow: '現在トンネルを迂回しているサブネット',
  lanNone: '現在ローカルのサブネットはありません。',
  lanWhenOn: 'このトンネルがオンのときに適用されます。',
  killSwitchBlocks: 'キルスイッチがローカルネットワークを遮断しています。接続するには、設定で「キルスイッチ有効時もローカルネットワーク (LAN) へのアクセスを許可する」をオンにしてください。',
  excludePrivate: 'プライベート IP を除外',
  excludePrivateHint: 'AllowedIPs を書き換えて、プライベート、リンクローカル、CGNAT、ユニークローカル、マルチキャスト以外のすべてをトンネルに通します。トンネル自身のアドレスと DNS サーバーはトンネル経由のままです。.conf はそのまま他の WireGuard アプリで使えます。',
  excludePrivateUnavailable: 'ピアの AllowedIPs に 0.0.0.0/0 または ::/0 が含まれるときに使えます。',
  excludePrivateRestore: 'オフにすると元の AllowedIPs に戻ります。',
  trayExcludeLan: (name: string) => `${name}: 接続中のネットワークを除外`,
};
