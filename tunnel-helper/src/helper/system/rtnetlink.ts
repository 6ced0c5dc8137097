// rtnetlink's dump messages (rtnetlink(7)), built and parsed without I/O:
// the four dumps network-identity needs, and nothing more. The framing
// (nlmsghdr, splitting, rtattrs) is shared/netlink/rtnetlink.ts.
//
//   payload   rtmsg (12) | ndmsg (12) | ifaddrmsg (8) | ifinfomsg (16)
//
// Replies come from the kernel, but are still read defensively: every length
// is checked against what is left, and a malformed message ends the parse
// with RtnetlinkError instead of reading past the buffer.
import {
  NLMSG_HDR, NLM_F_DUMP, NLM_F_REQUEST, NLA_TYPE_MASK, RTM, RtnetlinkError, errnoOf, message, readU32, walkAttributes, type NlMessage,
} from '../../../../shared/netlink/rtnetlink.js';

export const RT_TABLE_MAIN = 254;
const RTN_UNICAST = 1;

export interface Route { family: number; dstLen: number; table: number; type: number; oif: number | null; gateway: string | null; priority: number }
export interface Neighbour { family: number; ifindex: number; state: number; dst: string | null; lladdr: string | null }
export interface Address { family: number; prefixLen: number; ifindex: number; address: string | null }
export interface Link { ifindex: number; name: string | null }

/** A dump request: nlmsghdr + a zeroed family header (family set) of the size the type wants. */
export function dumpRequest(type: number, family: number, seq: number): Buffer {
  const b = message(type, NLM_F_REQUEST | NLM_F_DUMP, seq, type === RTM.getLink ? 16 : type === RTM.getAddr ? 8 : 12);
  b.writeUInt8(family, NLMSG_HDR);
  return b;
}

/** NLMSG_ERROR's errno (negative in the message), 0 for an ack. */
export function errorCode(m: NlMessage): number {
  const errno = errnoOf(m);
  if (errno === null) throw new RtnetlinkError('a truncated netlink error');
  return errno;
}

/** The rtattrs after a fixed header of `skip` bytes, by type (the last of a type wins). */
export function attributes(payload: Buffer, skip: number): Map<number, Buffer> {
  const walk = walkAttributes(payload, skip);
  if (walk.error !== null) throw new RtnetlinkError(walk.error);
  return new Map(walk.items.map((a) => [a.type & NLA_TYPE_MASK, a.value]));
}

export function formatIp(b: Buffer | undefined): string | null {
  if (!b) return null;
  if (b.length === 4) return [...b].join('.');
  if (b.length !== 16) return null;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(b.readUInt16BE(i).toString(16));
  // The longest run of zero groups becomes "::" (RFC 5952).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

export function formatMac(b: Buffer | undefined): string | null {
  if (!b || b.length !== 6) return null;
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/** RTM_NEWROUTE: rtmsg is family, dst_len, src_len, tos, table, protocol, scope, type, u32 flags. */
export function parseRoute(p: Buffer): Route {
  const a = attributes(p, 12);
  return {
    family: p[0]!, dstLen: p[1]!, table: readU32(a.get(15)) ?? p[4]!, type: p[7]!,
    oif: readU32(a.get(4)), gateway: formatIp(a.get(5)), priority: readU32(a.get(6)) ?? 0,
  };
}

/** RTM_NEWNEIGH: ndmsg is family, 3 pad, s32 ifindex, u16 state, u8 flags, u8 type. */
export function parseNeighbour(p: Buffer): Neighbour {
  const a = attributes(p, 12);
  return { family: p[0]!, ifindex: p.readInt32LE(4), state: p.readUInt16LE(8), dst: formatIp(a.get(1)), lladdr: formatMac(a.get(2)) };
}

/** RTM_NEWADDR: ifaddrmsg is family, prefixlen, flags, scope, u32 index. IFA_LOCAL (2) beats IFA_ADDRESS (1) on point-to-point links. */
export function parseAddress(p: Buffer): Address {
  const a = attributes(p, 8);
  return { family: p[0]!, prefixLen: p[1]!, ifindex: p.readUInt32LE(4), address: formatIp(a.get(2) ?? a.get(1)) };
}

/** RTM_NEWLINK: ifinfomsg is family, pad, u16 type, s32 index, u32 flags, u32 change; IFLA_IFNAME is 3. */
export function parseLink(p: Buffer): Link {
  const a = attributes(p, 16);
  const name = a.get(3);
  return { ifindex: p.readInt32LE(4), name: name ? name.toString('latin1').replace(/\0.*$/s, '') : null };
}

/** The default route the main table would use: unicast /0 with the lowest metric, skipping interfaces `skip` names. */
export function defaultRoute(routes: Route[], skip: (ifindex: number) => boolean): Route | null {
  const candidates = routes.filter((r) => r.dstLen === 0 && r.table === RT_TABLE_MAIN && r.type === RTN_UNICAST && r.oif !== null && !skip(r.oif));
  candidates.sort((x, y) => x.priority - y.priority);
  return candidates[0] ?? null;
}

/** The network address of `address/prefixLen` ("192.168.1.0/24"); IPv6 keeps the first 64 bits at most. */
export function subnetOf(address: string, prefixLen: number): string {
  if (address.includes('.')) {
    const n = address.split('.').reduce((acc, o) => (acc << 8) | Number(o), 0) >>> 0;
    const mask = prefixLen === 0 ? 0 : (0xffffffff << (32 - prefixLen)) >>> 0;
    const net = (n & mask) >>> 0;
    return `${[24, 16, 8, 0].map((s) => (net >>> s) & 0xff).join('.')}/${prefixLen}`;
  }
  const len = Math.min(prefixLen, 64);
  const groups = expand6(address);
  const out = groups.map((g, i) => {
    const bits = Math.max(0, Math.min(16, len - i * 16));
    return bits === 0 ? 0 : g & ((0xffff << (16 - bits)) & 0xffff);
  });
  return `${formatIp(Buffer.from(out.flatMap((g) => [g >> 8, g & 0xff])))}/${len}`;
}

function expand6(a: string): number[] {
  const [head, tail] = a.includes('::') ? a.split('::') as [string, string] : [a, null];
  const h = head ? head.split(':').map((g) => parseInt(g, 16)) : [];
  const t = tail ? tail.split(':').map((g) => parseInt(g, 16)) : [];
  return [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}
