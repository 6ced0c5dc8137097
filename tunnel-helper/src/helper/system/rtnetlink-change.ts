// rtnetlink requests that change or ask about one object (rtnetlink(7)),
// built and read without I/O: what `ip address add`, `ip link set mtu M up`,
// `ip route add`, `ip route get` and `ip link show dev` send, the same
// fields as iproute2 fills them in, so the kernel's result is the same.
//
//   ifaddrmsg (8)   family, prefixlen, flags, scope, u32 index
//   ifinfomsg (16)  family, pad, u16 type, s32 index, u32 flags, u32 change
//   rtmsg (12)      family, dst_len, src_len, tos, table, protocol, scope, type, u32 flags
import {
  AF_INET, AF_INET6, NLMSG_HDR, NLM_F_REQUEST, RTM, attrSize, message, putAttr, readU32, u32Bytes,
} from '../../../../shared/netlink/rtnetlink.js';
import { attributes, formatIp, parseRoute, type Route } from './rtnetlink.js';

export const NLM_F_ACK = 0x4;
const NLM_F_EXCL = 0x200;
const NLM_F_CREATE = 0x400;
const IFF_UP = 0x1;
const IFLA_IFNAME = 3;
const IFLA_MTU = 4;
const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;
const RTA_DST = 1;
const RTA_OIF = 4;
const RTA_METRICS = 8;
const RTA_TABLE = 15;
const RTAX_MTU = 2;
const RTPROT_BOOT = 3;
const RT_SCOPE_LINK = 253;
const RTN_UNICAST = 1;

const familyOf = (bytes: Uint8Array): number => (bytes.length === 4 ? AF_INET : AF_INET6);

/** Asks for one link, by name (IFLA_IFNAME) or index (RTM_GETLINK); the reply is its RTM_NEWLINK. */
export function getLinkRequest(link: string | number, seq: number): Buffer {
  const name = typeof link === 'string' ? Buffer.from(`${link}\0`, 'latin1') : null;
  const b = message(RTM.getLink, NLM_F_REQUEST | NLM_F_ACK, seq, 16 + (name ? attrSize(name.length) : 0));
  if (name) putAttr(b, NLMSG_HDR + 16, IFLA_IFNAME, name);
  else b.writeInt32LE(link as number, NLMSG_HDR + 4);
  return b;
}

/** A link's index and MTU from its RTM_NEWLINK. */
export function parseLinkInfo(p: Buffer): { ifindex: number; mtu: number | null } {
  return { ifindex: p.readInt32LE(4), mtu: readU32(attributes(p, 16).get(IFLA_MTU)) };
}

/** `ip address add ADDRESS/PREFIX dev IF`: IFA_LOCAL and IFA_ADDRESS both the address; exclusive. */
export function newAddressRequest(ifindex: number, address: Uint8Array, prefixLen: number, seq: number): Buffer {
  const b = message(RTM.newAddr, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, seq, 8 + 2 * attrSize(address.length));
  const o = NLMSG_HDR;
  b.writeUInt8(familyOf(address), o);
  b.writeUInt8(prefixLen, o + 1);
  b.writeUInt32LE(ifindex, o + 4);
  putAttr(b, putAttr(b, o + 8, IFA_LOCAL, address), IFA_ADDRESS, address);
  return b;
}

/** `ip link set mtu MTU up dev IF`: one RTM_NEWLINK with IFLA_MTU and IFF_UP. */
export function setLinkUpRequest(ifindex: number, mtu: number, seq: number): Buffer {
  const b = message(RTM.newLink, NLM_F_REQUEST | NLM_F_ACK, seq, 16 + attrSize(4));
  const o = NLMSG_HDR;
  b.writeInt32LE(ifindex, o + 4);
  b.writeUInt32LE(IFF_UP, o + 8);
  b.writeUInt32LE(IFF_UP, o + 12);
  putAttr(b, o + 16, IFLA_MTU, u32Bytes(mtu));
  return b;
}

/** `ip route add PREFIX dev IF [table T]`: unicast, scope link, proto boot; a table past 255 goes in RTA_TABLE. */
export function newRouteRequest(prefix: Uint8Array, prefixLen: number, ifindex: number, table: number, seq: number): Buffer {
  const bigTable = table > 255;
  const b = message(RTM.newRoute, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, seq,
    12 + attrSize(prefix.length) + attrSize(4) + (bigTable ? attrSize(4) : 0));
  const o = NLMSG_HDR;
  b.writeUInt8(familyOf(prefix), o);
  b.writeUInt8(prefixLen, o + 1);
  b.writeUInt8(bigTable ? 0 : table, o + 4);
  b.writeUInt8(RTPROT_BOOT, o + 5);
  b.writeUInt8(RT_SCOPE_LINK, o + 6);
  b.writeUInt8(RTN_UNICAST, o + 7);
  const end = putAttr(b, putAttr(b, o + 12, RTA_DST, prefix), RTA_OIF, u32Bytes(ifindex));
  if (bigTable) putAttr(b, end, RTA_TABLE, u32Bytes(table));
  return b;
}

/** `ip route get ADDRESS`: the route the kernel would pick; the reply is one RTM_NEWROUTE. */
export function getRouteRequest(address: Uint8Array, seq: number): Buffer {
  const b = message(RTM.getRoute, NLM_F_REQUEST | NLM_F_ACK, seq, 12 + attrSize(address.length));
  b.writeUInt8(familyOf(address), NLMSG_HDR);
  b.writeUInt8(address.length * 8, NLMSG_HDR + 1);
  putAttr(b, NLMSG_HDR + 12, RTA_DST, address);
  return b;
}

export interface RouteEntry extends Route {
  /** The destination prefix's address (null for a /0 without RTA_DST). */
  dst: string | null;
  /** The route's own `mtu` metric (RTA_METRICS / RTAX_MTU), if it has one. */
  mtu: number | null;
}

/** An RTM_NEWROUTE (dump entry or `get` reply) with its destination and MTU metric. */
export function parseRouteEntry(p: Buffer): RouteEntry {
  const a = attributes(p, 12);
  const metrics = a.get(RTA_METRICS);
  return { ...parseRoute(p), dst: formatIp(a.get(RTA_DST)), mtu: metrics ? readU32(attributes(metrics, 0).get(RTAX_MTU)) : null };
}
