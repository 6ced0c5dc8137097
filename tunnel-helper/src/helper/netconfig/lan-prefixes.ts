// "The network I'm on", as the LAN bypass (lan-bypass.ts) and the kill
// switch's allow-lan mode see it: the on-link prefixes of the main table, on
// interfaces that are not tunnels. Pure: it reads what `ip -j route` and
// `ip -j link` print.
//
// Counted: routes with no gateway (directly connected), of type unicast,
// prefix shorter than a host, on a link that is up and carries frames
// (Ethernet, Wi-Fi, bridges: not `none`, which is what TUN and WireGuard
// devices are, nor loopback). Left out: default routes; host routes (an
// endpoint's route loophole, a /32 or /128 that keeps a peer reachable, is
// never the LAN); anything via a gateway; IPv6 link-local (fe80::/64 exists
// on every link and is never routed through a tunnel); multicast.
// The tunnel's own Address prefixes and DNS servers are cut out, so a LAN
// that contains them (a 10/8 office network and a 10.8.0.0/24 tunnel) never
// takes them away from the tunnel.
import { difference, prefixesOf, setOf, type CidrSet } from '../../../../shared/config/cidr-set.js';
import { formatCidr, maskCidr, parseCidr, parseIp, type Cidr } from '../../../../shared/config/index.js';
import type { Family } from './journal.js';

export interface LanRoute {
  family: Family;
  /** Canonical prefix, e.g. 192.168.1.0/24. */
  prefix: string;
  /** The interface it is directly connected on. */
  dev: string;
}

interface RouteJson { dst?: string; gateway?: string; via?: unknown; dev?: string; type?: string; flags?: string[] }
interface LinkJson { ifname?: string; link_type?: string; flags?: string[] }

function parseJson<T>(text: string): T[] {
  try {
    const v = JSON.parse(text || '[]') as unknown;
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

/** Interfaces that can hold a LAN: up, with a link layer, and not one of `tunnels`. */
export function lanLinks(linksJson: string, isTunnel: (ifname: string) => boolean): Set<string> {
  const out = new Set<string>();
  for (const l of parseJson<LinkJson>(linksJson)) {
    if (!l.ifname || isTunnel(l.ifname)) continue;
    if (l.link_type === 'none' || l.link_type === 'loopback' || !(l.flags ?? []).includes('UP')) continue;
    out.add(l.ifname);
  }
  return out;
}

/** The directly connected prefixes of one family's main-table dump, on `links`. */
export function onLinkPrefixes(routesJson: string, family: Family, links: ReadonlySet<string>): LanRoute[] {
  const out: LanRoute[] = [];
  for (const r of parseJson<RouteJson>(routesJson)) {
    if (!r.dst || r.dst === 'default' || r.gateway !== undefined || r.via !== undefined || !r.dev || !links.has(r.dev)) continue;
    if ((r.type ?? 'unicast') !== 'unicast' || (r.flags ?? []).includes('linkdown')) continue;
    const c = parseCidr(r.dst);
    if (!c || c.family !== family || c.cidr === (family === 4 ? 32 : 128) || c.cidr === 0) continue;
    if (family === 6 && (c.bytes[0] === 0xff || (c.bytes[0] === 0xfe && ((c.bytes[1] ?? 0) & 0xc0) === 0x80))) continue;
    if (family === 4 && (c.bytes[0] ?? 0) >= 224) continue;
    out.push({ family, prefix: formatCidr(maskCidr(c)), dev: r.dev });
  }
  return out;
}

/** Cuts the tunnel's own ranges (Address prefixes, DNS servers) out of the LAN; each piece keeps its interface. */
export function withoutTunnelRanges(lan: readonly LanRoute[], addresses: readonly string[], dns: readonly string[]): LanRoute[] {
  const own: Cidr[] = [];
  for (const a of addresses) { const c = parseCidr(a); if (c) own.push(maskCidr(c)); }
  for (const d of dns) { const ip = parseIp(d); if (ip) own.push({ ...ip, cidr: ip.family === 4 ? 32 : 128 }); }
  const seen = new Set<string>();
  const out: LanRoute[] = [];
  for (const r of lan) {
    const c = parseCidr(r.prefix)!;
    const ownSet: CidrSet = setOf(c.family, own);
    for (const piece of prefixesOf(difference(setOf(c.family, [c]), ownSet))) {
      const prefix = formatCidr(piece);
      if (seen.has(prefix)) continue; // the same prefix on two links: the first (the kernel's choice too) wins
      seen.add(prefix);
      out.push({ family: r.family, prefix, dev: r.dev });
    }
  }
  return out;
}

/** The prefixes alone, for the kill switch's allow-lan set. */
export function lanCidrs(routes: readonly LanRoute[]): Cidr[] {
  return routes.flatMap((r) => { const c = parseCidr(r.prefix); return c ? [c] : []; });
}
