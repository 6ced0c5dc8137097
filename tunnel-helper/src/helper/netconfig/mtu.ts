// The tunnel MTU when the config sets none: the lowest MTU on the way to the
// peers' endpoints, else the default route's, minus 80 bytes of WireGuard
// overhead (IPv6 40 + UDP 8 + WireGuard 32). 1420 when nothing is known.
// (wg-quick's code keeps the largest endpoint MTU although its manual says
// the lowest; the lowest is what never fragments, so WireDesk takes that.)
import { ip, type Log } from './exec.js';

export const WIREGUARD_OVERHEAD = 80;
export const FALLBACK_MTU = 1420;

/** `... mtu 1400 ...` in `ip route get` / `ip route show` output. */
export function routeMtu(routeText: string): number | null {
  const m = /\bmtu (?:lock )?([0-9]+)/.exec(routeText);
  return m ? Number(m[1]) : null;
}

/** The device a route uses (`dev eth0`). */
export function routeDevice(routeText: string): string | null {
  const m = /\bdev (\S+)/.exec(routeText);
  return m ? m[1] ?? null : null;
}

async function linkMtu(dev: string): Promise<number | null> {
  try {
    const links = JSON.parse(await ip(['-j', 'link', 'show', 'dev', dev])) as { mtu?: number }[];
    return links[0]?.mtu ?? null;
  } catch {
    return null;
  }
}

/** MTU of a route: its own `mtu` metric, else its device's. */
async function mtuOfRoute(routeText: string): Promise<number | null> {
  const own = routeMtu(routeText);
  if (own !== null) return own;
  const dev = routeDevice(routeText);
  return dev ? linkMtu(dev) : null;
}

/** Must run before the tunnel's own routes exist, or they would be asked about themselves. */
export async function autoMtu(endpointHosts: readonly string[], log?: Log): Promise<number> {
  let lowest = 0;
  for (const host of endpointHosts) {
    const text = await ip(['route', 'get', host.replace(/%.*$/, '')]).catch(() => '');
    const mtu = text ? await mtuOfRoute(text) : null;
    if (mtu !== null && mtu > 0 && (lowest === 0 || mtu < lowest)) lowest = mtu;
  }
  if (lowest === 0) {
    const text = (await ip(['route', 'show', 'default']).catch(() => '')).split('\n')[0] ?? '';
    lowest = (text ? await mtuOfRoute(text) : null) ?? 0;
  }
  const mtu = lowest > 0 ? lowest - WIREGUARD_OVERHEAD : FALLBACK_MTU;
  log?.(`[#] MTU ${mtu}: ${lowest > 0 ? `${lowest} on the way to the endpoints, minus ${WIREGUARD_OVERHEAD}` : 'nothing known, the WireGuard default'}`);
  return mtu;
}
