// The link, address and route steps of up as rtnetlink requests made in this
// process (system/rtnetlink-change.ts), where wg-quick spawns `ip` for each:
// a request costs well under a millisecond, a spawn of `ip` tens of them,
// and up makes several in a row. Each is logged, and fails, with the `ip`
// command it stands for ("ip -4 route add P dev IF: RTNETLINK answers: File
// exists"), so logs and errors read as before. Undo still runs `ip`.
import { formatCidr, maskInPlace, parseIp, type Cidr } from '../../../../shared/config/index.js';
import { AF_INET, AF_INET6, RTM, RtnetlinkError } from '../../../../shared/netlink/rtnetlink.js';
import { RtnetlinkRefused, rtnetlinkDump, rtnetlinkRequest, rtnetlinkSeq } from '../system/netlink-socket.js';
import { RT_TABLE_MAIN } from '../system/rtnetlink.js';
import {
  getLinkRequest, getRouteRequest, newAddressRequest, newRouteRequest, parseLinkInfo, parseRouteEntry, setLinkUpRequest, type RouteEntry,
} from '../system/rtnetlink-change.js';
import { CommandError, type Log } from './exec.js';

/** Runs one request as the `ip` command `args`: logged as it, failing as it would. */
function asIp<T>(args: readonly string[], log: Log | undefined, request: () => T): T {
  log?.(`[#] ip ${args.join(' ')}`);
  try {
    return request();
  } catch (err) {
    const why = err instanceof RtnetlinkRefused ? `RTNETLINK answers: ${err.message}` : err instanceof Error ? err.message : String(err);
    throw new CommandError('ip', args, why, 2);
  }
}

/** A link's index and MTU, by name or index; null when there is none. */
export function linkInfo(link: string | number): { ifindex: number; mtu: number | null } | null {
  const seq = rtnetlinkSeq();
  try {
    const [reply] = rtnetlinkRequest(getLinkRequest(link, seq), seq);
    return reply ? parseLinkInfo(reply) : null;
  } catch (err) {
    if (err instanceof RtnetlinkError) return null;
    throw err;
  }
}

function ifindexOf(ifname: string): number {
  const info = linkInfo(ifname);
  if (!info) throw new RtnetlinkRefused(19); // ENODEV, as `ip` reports a missing device
  return info.ifindex;
}

/** `ip -F address add A/P dev IF` */
export async function addAddress(ifname: string, a: Cidr, log?: Log): Promise<void> {
  asIp([`-${a.family}`, 'address', 'add', formatCidr(a), 'dev', ifname], log, () => {
    const seq = rtnetlinkSeq();
    rtnetlinkRequest(newAddressRequest(ifindexOf(ifname), a.bytes, a.cidr, seq), seq);
  });
}

/** `ip link set mtu M up dev IF` */
export async function setLinkUp(ifname: string, mtu: number, log?: Log): Promise<void> {
  asIp(['link', 'set', 'mtu', String(mtu), 'up', 'dev', ifname], log, () => {
    const seq = rtnetlinkSeq();
    rtnetlinkRequest(setLinkUpRequest(ifindexOf(ifname), mtu, seq), seq);
  });
}

/** `ip -F route add P dev IF [table T]` (T: a number or main). */
export async function addRoute(ifname: string, a: Cidr, table: number | 'main' | null, log?: Log): Promise<void> {
  const args = [`-${a.family}`, 'route', 'add', formatCidr(a), 'dev', ifname, ...(table === null ? [] : ['table', String(table)])];
  asIp(args, log, () => {
    const seq = rtnetlinkSeq();
    const t = table === null || table === 'main' ? RT_TABLE_MAIN : table;
    rtnetlinkRequest(newRouteRequest(a.bytes, a.cidr, ifindexOf(ifname), t, seq), seq);
  });
}

/** What `ip -F route show dev IF match P` answers: a main-table route through IF that covers P. */
export function routedThrough(ifname: string, a: Cidr): boolean {
  const link = linkInfo(ifname);
  if (!link) return false;
  return rtnetlinkDump(RTM.getRoute, a.family === 4 ? AF_INET : AF_INET6).map(parseRouteEntry).some((r) => {
    if (r.table !== RT_TABLE_MAIN || r.oif !== link.ifindex || r.dstLen > a.cidr) return false;
    const dst = r.dst === null ? null : parseIp(r.dst);
    if (r.dstLen === 0) return true;
    return dst !== null && sameBytes(maskInPlace(Uint8Array.from(a.bytes), r.dstLen), maskInPlace(Uint8Array.from(dst.bytes), r.dstLen));
  });
}

/** `ip route get ADDRESS`; null when there is no route (or the address does not parse). */
export function routeGet(address: string): RouteEntry | null {
  const ip = parseIp(address.replace(/%.*$/, ''));
  if (!ip) return null;
  const seq = rtnetlinkSeq();
  try {
    const [reply] = rtnetlinkRequest(getRouteRequest(ip.bytes, seq), seq);
    return reply ? parseRouteEntry(reply) : null;
  } catch (err) {
    if (err instanceof RtnetlinkError) return null;
    throw err;
  }
}

/** The first line of `ip route show default`: the main table's first IPv4 /0, if any. */
export function firstDefaultRoute(): RouteEntry | null {
  try {
    return rtnetlinkDump(RTM.getRoute, AF_INET).map(parseRouteEntry).find((r) => r.dstLen === 0 && r.table === RT_TABLE_MAIN) ?? null;
  } catch (err) {
    if (err instanceof RtnetlinkError) return null;
    throw err;
  }
}

function sameBytes(x: Uint8Array, y: Uint8Array): boolean {
  return x.length === y.length && x.every((v, i) => v === y[i]);
}
