// On-demand rules and trusted networks, in English and Japanese (en.ts and
// ja.ts include these as `onDemand`).
import type { NetworkIdentity } from '../../../shared/control/protocol.js';
import type { OnDemandMode, OnDemandReason } from '../../../shared/ipc/on-demand.js';

export const onDemandEn = {
  title: 'On-demand',
  currentNetwork: 'Current network',
  network: (n: NetworkIdentity): string =>
    n.source === 'networkmanager' ? (n.ssid !== null ? `Wi-Fi “${n.ssid}” (connection “${n.connectionName ?? ''}”)` : `Connection “${n.connectionName ?? ''}”`)
      : n.source === 'gateway' ? `Network ${n.subnet ?? ''} (gateway ${n.gatewayMac ?? ''})` : 'Offline',
  unknownNetwork: 'Not known yet: the helper reports the network once it runs.',
  trusted: 'Trusted',
  trustThis: 'Trust this network',
  untrust: 'Remove',
  trustedNetworks: 'Trusted networks',
  trustedHint: 'Tunnels whose rule says so switch off on these networks. Networks are named by their Wi-Fi name and connection (NetworkManager) or by their subnet and gateway.',
  noTrusted: 'No trusted networks yet.',
  rule: 'Rule',
  modes: {
    never: 'Never switch automatically',
    untrusted: 'Connect on any network that is not trusted, disconnect on trusted ones',
    listed: 'Connect on these networks, disconnect when leaving them',
    'off-trusted': 'Disconnect on trusted networks',
  } satisfies Record<OnDemandMode, string>,
  listedNetworks: 'Connect on',
  noKnownNetworks: 'No networks to choose yet: trust one, or connect to one first.',
  reasons: {
    'untrusted-network': 'On because this network is not trusted.',
    'listed-network': 'On because this network is in its list.',
    'trusted-network': 'Off because this network is trusted.',
    'unlisted-network': 'Off because this network is not in its list.',
  } satisfies Record<OnDemandReason, string>,
  suspended: 'Switched by hand: the rule waits until the network changes.',
};

export const onDemandJa: typeof onDemandEn = {
  title: 'オンデマンド',
  currentNetwork: '現在のネットワーク',
  network: (n) =>
    n.source === 'networkmanager' ? (n.ssid !== null ? `Wi-Fi「${n.ssid}」（接続「${n.connectionName ?? ''}」）` : `接続「${n.connectionName ?? ''}」`)
      : n.source === 'gateway' ? `ネットワーク ${n.subnet ?? ''}（ゲートウェイ ${n.gatewayMac ?? ''}）` : 'オフライン',
  unknownNetwork: 'まだわかりません。ヘルパーが動作するとネットワークを報告します。',
  trusted: '信頼済み',
  trustThis: 'このネットワークを信頼',
  untrust: '削除',
  trustedNetworks: '信頼するネットワーク',
  trustedHint: 'ルールでそう指定したトンネルは、これらのネットワークではオフになります。ネットワークは Wi-Fi 名と接続名（NetworkManager）、またはサブネットとゲートウェイで識別します。',
  noTrusted: '信頼するネットワークはまだありません。',
  rule: 'ルール',
  modes: {
    never: '自動では切り替えない',
    untrusted: '信頼していないネットワークでは接続し、信頼するネットワークでは切断する',
    listed: 'これらのネットワークで接続し、離れたら切断する',
    'off-trusted': '信頼するネットワークでは切断する',
  },
  listedNetworks: '接続するネットワーク',
  noKnownNetworks: '選べるネットワークがまだありません。ネットワークを信頼するか、先に接続してください。',
  reasons: {
    'untrusted-network': 'このネットワークは信頼されていないため、オンにしました。',
    'listed-network': 'このネットワークが一覧にあるため、オンにしました。',
    'trusted-network': 'このネットワークは信頼されているため、オフにしました。',
    'unlisted-network': 'このネットワークが一覧にないため、オフにしました。',
  },
  suspended: '手動で切り替えました。ネットワークが変わるまでルールは待機します。',
};
