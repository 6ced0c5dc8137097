// The routing seam: what the engine needs from the kernel's routing to keep
// each peer's source address right when the network under the tunnel
// changes (../path-watch.ts). Linux: route-monitor-linux.ts, over rtnetlink.
import type { Endpoint } from '../core/endpoint.js';

/** What a batch of change notifications says, as far as routes to endpoints go. */
export interface NetworkChange {
  /** Route, address or link messages were seen (or some were lost). */
  any: boolean;
  /** Local addresses removed, 4 or 16 bytes each. */
  removedAddresses: Uint8Array[];
}

/** Where the kernel would send a datagram now (`ip route get`), or why it cannot. */
export type RouteLookup =
  | { ok: true; oif: number; prefsrc: Uint8Array | null; gateway: Uint8Array | null }
  | { ok: false; errno: number };

export interface RouteMonitor {
  /** Calls `cb` after each batch of route, address or link notifications. One listener. */
  onChange(cb: (change: NetworkChange) => void): void;
  /** The route to `to` for a socket with fwmark `mark`, sent from `src`
   *  (a local address, or null to let the kernel choose). Synchronous. */
  lookup(to: Endpoint, mark: number, src: Uint8Array | null): RouteLookup;
  /** Stops listening; idempotent. */
  close(): void;
}
