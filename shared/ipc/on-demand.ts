// On-demand rules, as the window, main and the rules file see them. A rule
// belongs to one tunnel; the trusted networks are the user's one list.
//
//   never        never switched automatically (the default)
//   untrusted    on on any network that is not trusted, off on trusted ones
//   listed       on on the rule's own networks, off elsewhere (if the rule switched it on)
//   off-trusted  off on trusted networks, never switched on automatically
//
// A network is the helper's NetworkIdentity key ("wifi:SSID",
// "connection:NAME", "gateway:MAC@SUBNET"), with a label to show.
import { arr, obj, oneOf, str, type Infer } from '../check.js';
import type { NetworkIdentity } from '../control/protocol.js';

export const onDemandMode = oneOf('never', 'untrusted', 'listed', 'off-trusted');
export const knownNetwork = obj({ key: str({ min: 1, max: 400 }), label: str({ max: 300 }) });
export const onDemandRule = obj({ mode: onDemandMode, networks: arr(knownNetwork, 256) });

export type OnDemandMode = Infer<typeof onDemandMode>;
export type KnownNetwork = Infer<typeof knownNetwork>;
export type OnDemandRule = Infer<typeof onDemandRule>;

export const NEVER: OnDemandRule = { mode: 'never', networks: [] };

/** Why a rule acted: the window and the tray word it. */
export type OnDemandReason = 'untrusted-network' | 'listed-network' | 'trusted-network' | 'unlisted-network';

/** Everything the window shows about on-demand. */
export interface OnDemandView {
  /** The network the helper reports; null before the helper has said (not running yet). */
  readonly network: NetworkIdentity | null;
  readonly trusted: readonly KnownNetwork[];
  readonly rules: Readonly<Record<string, OnDemandRule>>;
  /** Tunnels a rule switched on, and why. */
  readonly byRule: Readonly<Record<string, OnDemandReason>>;
  /** Tunnels a rule switched off, and why, until they are switched on again. */
  readonly offByRule: Readonly<Record<string, OnDemandReason>>;
  /** Tunnels switched by hand on this network: their rules wait for the next network. */
  readonly suspended: readonly string[];
}

/** What to show for a network: its SSID, its connection name, or its subnet and gateway. */
export function networkLabel(n: NetworkIdentity): string {
  return n.ssid ?? n.connectionName ?? (n.subnet && n.gatewayMac ? `${n.subnet} · ${n.gatewayMac}` : '');
}
