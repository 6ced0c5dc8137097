// PathWatch: notices when the route or local address toward a peer's
// endpoint changes under the tunnel, and tells the core (core/path-change.ts)
// which peers it concerns.
//
//   rtnetlink notification (route, address, link; any interface)
//     -> look at once, then at most once per SETTLE_MS while more arrive,
//        so a burst (a link going down reports every route on it) costs two
//        looks, the last one after the burst
//     -> for each peer with an endpoint, ask the kernel where a datagram to
//        it would go now (RouteMonitor.lookup, with the device's fwmark)
//     -> changed when
//          a. its sticky source address was removed, or the kernel no longer
//             sends from it, or sends out of another interface than the one
//             it belongs to (wg-go's route listener checks this last one;
//             here a given source is reported once per route, so a peer whose
//             packets arrive on another link than the route uses is not
//             re-handshaken on every notification), or
//          b. the route (interface, preferred source, gateway) differs from
//             the last look at the same endpoint
//     -> DeviceCore.networkChanged(changed peers)
//
// Notifications only ever cause lookups. Handshakes follow only a real change
// of the path to an endpoint, which the handshakes themselves cannot cause,
// so changes to our own interface (wg-quick adding its address and routes,
// an MTU change) cost a lookup per peer and nothing more: no loop.
import type { Peer } from './core/peer.js';
import type { NetworkChange, RouteLookup, RouteMonitor } from './io/route-monitor.js';
import type { Clock } from '../../../shared/clock.js';

/** After a look, further notifications wait this long for the next one. */
export const SETTLE_MS = 10;

export interface PathWatchTarget {
  peers(): Iterable<Peer>;
  /** The fwmark the UDP sockets carry: routes are looked up with it. */
  mark(): number;
  /** Called with the peers whose path changed (never empty). */
  pathsChanged(peers: Peer[]): void;
}

export class PathWatch {
  /** Per peer: the endpoint last looked at, the route it had, and the last
   *  sticky source found unusable on that route. */
  private readonly known = new Map<Peer, { endpointKey: string; path: string; badSource: string }>();
  private removed: Uint8Array[] = [];
  private cancelTimer: (() => void) | null = null;
  /** Notifications arrived since the last look. */
  private dirty = false;
  private stopped = false;

  constructor(private readonly routes: RouteMonitor, private readonly target: PathWatchTarget, private readonly clock: Clock) {}

  /** Listens, and records the paths as they are now. */
  start(): void {
    this.routes.onChange((c) => this.noted(c));
    this.check();
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    this.routes.close();
  }

  /** Looks at every peer's path now; reports and returns the ones that changed. */
  check(): Peer[] {
    const removed = this.removed;
    this.removed = [];
    const changed: Peer[] = [];
    const seen = new Set<Peer>();
    const mark = this.target.mark();
    for (const peer of this.target.peers()) {
      const ep = peer.endpoint;
      if (ep === null || peer.removed) continue;
      seen.add(peer);
      const path = pathKey(this.routes.lookup(ep, mark, null));
      const before = this.known.get(peer);
      let moved = before !== undefined && before.endpointKey === ep.key && before.path !== path;
      let badSource = '';
      if (ep.srcIp !== null) {
        const source = `${hex(ep.srcIp)}%${ep.srcIfIndex} ${path}`;
        if (removed.some((a) => sameBytes(a, ep.srcIp!))) moved = true;
        else if (!stillUsable(this.routes.lookup(ep, mark, ep.srcIp), ep.srcIfIndex)) {
          badSource = source;
          if (before?.badSource !== source) moved = true;
        }
      }
      this.known.set(peer, { endpointKey: ep.key, path, badSource });
      if (moved) changed.push(peer);
    }
    for (const peer of this.known.keys()) if (!seen.has(peer)) this.known.delete(peer);
    if (changed.length > 0) this.target.pathsChanged(changed);
    return changed;
  }

  private noted(change: NetworkChange): void {
    if (this.stopped) return;
    this.removed.push(...change.removedAddresses);
    this.dirty = true;
    if (this.cancelTimer === null) this.lookAndWait();
  }

  private lookAndWait(): void {
    this.dirty = false;
    this.check();
    this.cancelTimer = this.clock.setTimer(() => {
      this.cancelTimer = null;
      if (!this.stopped && this.dirty) this.lookAndWait();
    }, SETTLE_MS);
  }
}

/** The sticky source still works: the kernel accepts it and sends out of its interface. */
function stillUsable(r: RouteLookup, srcIfIndex: number): boolean {
  return r.ok && (srcIfIndex === 0 || r.oif === srcIfIndex);
}

function pathKey(r: RouteLookup): string {
  if (!r.ok) return `unreachable ${r.errno}`;
  return `${r.oif} ${hex(r.prefsrc)} ${hex(r.gateway)}`;
}

function hex(b: Uint8Array | null): string {
  return b === null ? '-' : Buffer.from(b).toString('hex');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
