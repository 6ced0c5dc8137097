// rtnetlink messages the engine reads and writes, as bytes (rtnetlink(7)):
// change notifications from the route, address and link groups, and an
// RTM_GETROUTE query for the route to one endpoint ("ip route get"). The
// framing (nlmsghdr, splitting, rtattrs) is shared/netlink/rtnetlink.ts.
//
//   rtmsg      (12): family u8, dst_len u8, src_len u8, tos u8, table u8,
//                    protocol u8, scope u8, type u8, flags u32
//   ifaddrmsg   (8): family u8, prefixlen u8, flags u8, scope u8, index u32
// Addresses in network order.
import type { Endpoint } from '../core/endpoint.js';
import type { NetworkChange, RouteLookup } from './route-monitor.js';
import {
  AF_INET, AF_INET6, NLMSG_ERROR, NLMSG_HDR, NLM_F_REQUEST, RTM, attrSize, errnoOf, message, putAttr, readU32, u32Bytes, walkAttributes, walkMessages,
} from '../../../../shared/netlink/rtnetlink.js';

export const NETLINK_ROUTE = 0;
export const RTMGRP_LINK = 0x1;
export const RTMGRP_IPV4_IFADDR = 0x10;
export const RTMGRP_IPV4_ROUTE = 0x40;
export const RTMGRP_IPV6_IFADDR = 0x100;
export const RTMGRP_IPV6_ROUTE = 0x400;

const RTMSG_SIZE = 12;
const IFADDRMSG_SIZE = 8;
const RTA_DST = 1;
const RTA_SRC = 2;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_PREFSRC = 7;
const RTA_MARK = 16;
const IFA_ADDRESS = 1;
const IFA_LOCAL = 2;

/** Reads the notifications in one datagram of the monitor socket. Malformed
 *  parts end the walk; what was read before them counts. */
export function readNotifications(b: Buffer, len: number, into: NetworkChange): void {
  for (const m of walkMessages(b, len).items) {
    switch (m.type) {
      case RTM.newRoute: case RTM.delRoute: case RTM.newLink: case RTM.delLink: case RTM.newAddr:
        into.any = true;
        break;
      case RTM.delAddr: {
        into.any = true;
        const p = m.payload;
        if (p.length < IFADDRMSG_SIZE) break;
        const size = p[0] === AF_INET ? 4 : p[0] === AF_INET6 ? 16 : 0;
        if (size === 0) break;
        // IFA_LOCAL is the local address on point-to-point links, where IFA_ADDRESS is the far end.
        const local = findAttr(p, IFADDRMSG_SIZE, IFA_LOCAL, size) ?? findAttr(p, IFADDRMSG_SIZE, IFA_ADDRESS, size);
        if (local) into.removedAddresses.push(local);
        break;
      }
      default:
        break;
    }
  }
}

/** An RTM_GETROUTE request for the route to `to` under `mark`, from `src` when given. */
export function routeRequest(to: Endpoint, mark: number, src: Uint8Array | null, seq: number): Buffer {
  const size = to.ip.length;
  const attrs = [[RTA_DST, to.ip], ...(src && src.length === size ? [[RTA_SRC, src] as const] : []), [RTA_MARK, u32Bytes(mark)]] as const;
  const b = message(RTM.getRoute, NLM_F_REQUEST, seq, RTMSG_SIZE + attrs.reduce((n, [, v]) => n + attrSize(v.length), 0));
  b[NLMSG_HDR] = size === 4 ? AF_INET : AF_INET6;
  b[NLMSG_HDR + 1] = size * 8;
  b[NLMSG_HDR + 2] = src && src.length === size ? size * 8 : 0;
  let off = NLMSG_HDR + RTMSG_SIZE;
  for (const [type, value] of attrs) off = putAttr(b, off, type, value);
  return b;
}

/** The answer to the request with `seq` in one datagram of the query socket,
 *  or null when the datagram holds no answer to it. */
export function readRouteReply(b: Buffer, len: number, seq: number): RouteLookup | null {
  for (const m of walkMessages(b, len).items) {
    if (m.seq !== seq >>> 0) continue;
    const errno = m.type === NLMSG_ERROR ? errnoOf(m) : null;
    if (errno !== null) return { ok: false, errno };
    if (m.type === RTM.newRoute && m.payload.length >= RTMSG_SIZE) {
      const size = m.payload[0] === AF_INET6 ? 16 : 4;
      return {
        ok: true,
        oif: readU32(findAttr(m.payload, RTMSG_SIZE, RTA_OIF, 4)) ?? 0,
        prefsrc: findAttr(m.payload, RTMSG_SIZE, RTA_PREFSRC, size),
        gateway: findAttr(m.payload, RTMSG_SIZE, RTA_GATEWAY, size),
      };
    }
  }
  return null;
}

/** A copy of the first attribute `type` of exactly `size` bytes after `skip`. */
function findAttr(payload: Buffer, skip: number, type: number, size: number): Uint8Array | null {
  const a = walkAttributes(payload, skip).items.find((x) => x.type === type && x.value.length === size);
  return a ? Uint8Array.from(a.value) : null;
}
