// Which tunnels may run side by side. Two tunnels cannot share an interface
// name, and two cannot both carry the default route of the same family:
// wg-quick's policy routing for a /0 (table 51820, suppress_prefixlength 0)
// is one per family, and the second tunnel would silently capture the
// first's traffic. Pure.
import { parseCidr, type Cidr, type LoadedConfig } from '../../../../shared/config/index.js';

export type Family = 4 | 6;

export interface RouteClaim {
  /** Address families whose whole space this tunnel routes. */
  defaultRoutes: Family[];
}

/** True when the prefixes cover the whole family: a /0, or both /1 halves (the kill-switch trick). */
function coversAll(ips: readonly Cidr[], family: Family): boolean {
  const mine = ips.filter((ip) => ip.family === family);
  if (mine.some((ip) => ip.cidr === 0)) return true;
  const halves = new Set(mine.filter((ip) => ip.cidr === 1).map((ip) => (ip.bytes[0] ?? 0) >> 7));
  return halves.size === 2;
}

function claimOf(ips: readonly Cidr[]): RouteClaim {
  return { defaultRoutes: ([4, 6] as const).filter((f) => coversAll(ips, f)) };
}

/** The claims of a running interface, from its allowed IPs as UAPI reports them ("0.0.0.0/0"). */
export function claimFromAllowedIps(prefixes: readonly string[]): RouteClaim {
  return claimOf(prefixes.flatMap((text) => parseCidr(text) ?? []));
}

/** The route claims of a config. Table = off installs no routes, so it claims nothing. */
export function routeClaims(config: LoadedConfig): RouteClaim {
  if (config.quick.table === 'off') return { defaultRoutes: [] };
  return claimOf(config.wg.peers.flatMap((p) => p.allowedIps));
}

export interface RunningTunnel {
  name: string;
  claim: RouteClaim;
}

/** A sentence explaining why `name` cannot start next to `running`, or null when it can. */
export function findConflict(name: string, claim: RouteClaim, running: readonly RunningTunnel[]): string | null {
  const same = running.find((t) => t.name === name);
  if (same) {
    return `A tunnel named "${name}" is already running. Turn it off first, or give this tunnel another name.`;
  }
  for (const family of claim.defaultRoutes) {
    const other = running.find((t) => t.claim.defaultRoutes.includes(family));
    if (other) {
      const all = family === 4 ? 'all IPv4 traffic (0.0.0.0/0)' : 'all IPv6 traffic (::/0)';
      return `Tunnel "${other.name}" already routes ${all}, and "${name}" would route it too; only one tunnel can carry the default route. ` +
        `Turn "${other.name}" off first, or narrow this tunnel's AllowedIPs.`;
    }
  }
  return null;
}
