// rtnetlink messages the engine reads and writes, as bytes (rtnetlink(7)):
// change notifications from the route, address and link groups, and an
// RTM_GETROUTE query for the route to one endpoint ("ip route get").
//
//   nlmsghdr   (16): len u32, type u16, flags u16, seq u32, pid u32
//   rtmsg      (12): family u8, dst_len u8, src_len u8, tos u8, table u8,
//                    protocol u8, scope u8, type u8, flags u32
//   ifaddrmsg   (8): family u8, prefixlen u8, flags u8, scope u8, index u32
//   ifinfomsg  (16): family u8, pad u8, type u16, index i32, flags u32, change u32
//   rtattr      (4): len u16, type u16, then data, padded to 4 bytes
// All in host order (little-endian on the machines the engine runs on);
// addresses in network order.
import type { Endpoint } from '../core/endpoint.js';
import type { NetworkChange, RouteLookup } from './route-monitor.js';

export const NETLINK_ROUTE = 0;
export const RTMGRP_LINK = 0x1;
export const RTMGRP_IPV4_IFADDR = 0x10;
export const RTMGRP_IPV4_ROUTE = 0x40;
export const RTMGRP_IPV6_IFADDR = 0x100;
export const RTMGRP_IPV6_ROUTE = 0x400;

const NLMSG_ERROR = 2;
const NLMSG_HDR = 16;
const NLM_F_REQUEST = 1;
const RTM_NEWLINK = 16;
const RTM_DELLINK = 17;
const RTM_NEWADDR = 20;
const RTM_DELADDR = 21;
const RTM_NEWROUTE = 24;
const RTM_DELROUTE = 25;
const RTM_GETROUTE = 26;
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
const AF_INET = 2;
const AF_INET6 = 10;

const align4 = (n: number) => (n + 3) & ~3;

/** Reads the notifications in one datagram of the monitor socket. Malformed
 *  parts end the walk; what was read before them counts. */
export function readNotifications(b: Buffer, len: number, into: NetworkChange): void {
  for (let off = 0; off + NLMSG_HDR <= len;) {
    const msgLen = b.readUInt32LE(off);
    if (msgLen < NLMSG_HDR || off + msgLen > len) return;
    const type = b.readUInt16LE(off + 4);
    switch (type) {
      case RTM_NEWROUTE: case RTM_DELROUTE: case RTM_NEWLINK: case RTM_DELLINK: case RTM_NEWADDR:
        into.any = true;
        break;
      case RTM_DELADDR: {
        into.any = true;
        const body = off + NLMSG_HDR;
        if (msgLen < NLMSG_HDR + IFADDRMSG_SIZE) break;
        const size = b[body] === AF_INET ? 4 : b[body] === AF_INET6 ? 16 : 0;
        if (size === 0) break;
        // IFA_LOCAL is the local address on point-to-point links, where IFA_ADDRESS is the far end.
        const local = findAttr(b, body + IFADDRMSG_SIZE, off + msgLen, IFA_LOCAL, size)
          ?? findAttr(b, body + IFADDRMSG_SIZE, off + msgLen, IFA_ADDRESS, size);
        if (local) into.removedAddresses.push(local);
        break;
      }
      default:
        break;
    }
    off += align4(msgLen);
  }
}

/** An RTM_GETROUTE request for the route to `to` under `mark`, from `src` when given. */
export function routeRequest(to: Endpoint, mark: number, src: Uint8Array | null, seq: number): Buffer {
  const size = to.ip.length;
  const attrs = [[RTA_DST, to.ip], ...(src && src.length === size ? [[RTA_SRC, src] as const] : []), [RTA_MARK, u32(mark)]] as const;
  const len = NLMSG_HDR + RTMSG_SIZE + attrs.reduce((n, [, v]) => n + 4 + align4(v.length), 0);
  const b = Buffer.from(new ArrayBuffer(len)); // ArrayBuffer memory: a stable address for write()
  b.writeUInt32LE(len, 0);
  b.writeUInt16LE(RTM_GETROUTE, 4);
  b.writeUInt16LE(NLM_F_REQUEST, 6);
  b.writeUInt32LE(seq >>> 0, 8);
  b[NLMSG_HDR] = size === 4 ? AF_INET : AF_INET6;
  b[NLMSG_HDR + 1] = size * 8;
  b[NLMSG_HDR + 2] = src && src.length === size ? size * 8 : 0;
  let off = NLMSG_HDR + RTMSG_SIZE;
  for (const [type, value] of attrs) {
    b.writeUInt16LE(4 + value.length, off);
    b.writeUInt16LE(type, off + 2);
    b.set(value, off + 4);
    off += 4 + align4(value.length);
  }
  return b;
}

/** The answer to the request with `seq` in one datagram of the query socket,
 *  or null when the datagram holds no answer to it. */
export function readRouteReply(b: Buffer, len: number, seq: number): RouteLookup | null {
  for (let off = 0; off + NLMSG_HDR <= len;) {
    const msgLen = b.readUInt32LE(off);
    if (msgLen < NLMSG_HDR || off + msgLen > len) return null;
    const type = b.readUInt16LE(off + 4);
    if (b.readUInt32LE(off + 8) === seq >>> 0) {
      if (type === NLMSG_ERROR && msgLen >= NLMSG_HDR + 4) return { ok: false, errno: -b.readInt32LE(off + NLMSG_HDR) };
      if (type === RTM_NEWROUTE && msgLen >= NLMSG_HDR + RTMSG_SIZE) {
        const body = off + NLMSG_HDR;
        const size = b[body] === AF_INET6 ? 16 : 4;
        const end = off + msgLen;
        const oif = findAttr(b, body + RTMSG_SIZE, end, RTA_OIF, 4);
        return {
          ok: true,
          oif: oif ? Buffer.from(oif).readUInt32LE(0) : 0,
          prefsrc: findAttr(b, body + RTMSG_SIZE, end, RTA_PREFSRC, size),
          gateway: findAttr(b, body + RTMSG_SIZE, end, RTA_GATEWAY, size),
        };
      }
    }
    off += align4(msgLen);
  }
  return null;
}

/** A copy of the first attribute `type` of exactly `size` bytes in [off, end). */
function findAttr(b: Buffer, off: number, end: number, type: number, size: number): Uint8Array | null {
  while (off + 4 <= end) {
    const len = b.readUInt16LE(off);
    if (len < 4 || off + len > end) return null;
    if (b.readUInt16LE(off + 2) === type && len - 4 === size) return Uint8Array.from(b.subarray(off + 4, off + len));
    off += align4(len);
  }
  return null;
}

function u32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
}
