// The tunnel MTU when the config sets none: the lowest MTU on the way to the
// peers' endpoints, else the default route's, minus 80 bytes of WireGuard
// overhead (IPv6 40 + UDP 8 + WireGuard 32). 1420 when nothing is known.
// (wg-quick's code keeps the largest endpoint MTU although its manual says
// the lowest; the lowest is what never fragments, so WireDesk takes that.)
import type { Log } from './exec.js';
import { firstDefaultRoute, linkInfo, routeGet } from './link-netlink.js';
import type { RouteEntry } from '../system/rtnetlink-change.js';

export const WIREGUARD_OVERHEAD = 80;
export const FALLBACK_MTU = 1420;

/** MTU of a route: its own `mtu` metric, else its device's. */
function mtuOfRoute(route: RouteEntry | null): number | null {
  if (!route) return null;
  if (route.mtu !== null) return route.mtu;
  return route.oif !== null ? linkInfo(route.oif)?.mtu ?? null : null;
}

/** A route read that fails counts as no route (the fallback MTU), as a failed `ip route get` did. */
function readRoute(read: () => RouteEntry | null): RouteEntry | null {
  try {
    return read();
  } catch {
    return null;
  }
}

/** Must run before the tunnel's own routes exist, or they would be asked about themselves. */
export async function autoMtu(endpointHosts: readonly string[], log?: Log): Promise<number> {
  let lowest = 0;
  for (const host of endpointHosts) {
    const mtu = mtuOfRoute(readRoute(() => routeGet(host)));
    if (mtu !== null && mtu > 0 && (lowest === 0 || mtu < lowest)) lowest = mtu;
  }
  if (lowest === 0) lowest = mtuOfRoute(readRoute(firstDefaultRoute)) ?? 0;
  const mtu = lowest > 0 ? lowest - WIREGUARD_OVERHEAD : FALLBACK_MTU;
  log?.(`[#] MTU ${mtu}: ${lowest > 0 ? `${lowest} on the way to the endpoints, minus ${WIREGUARD_OVERHEAD}` : 'nothing known, the WireGuard default'}`);
  return mtu;
}
