// Linux sockaddr_in / sockaddr_in6 and IP(V6)_PKTINFO control messages,
// to and from Endpoint.
//
//   sockaddr_in  (16): family u16 = 2,  port u16 BE, addr[4], zero[8]
//   sockaddr_in6 (28): family u16 = 10, port u16 BE, flowinfo u32, addr[16], scope_id u32
//   cmsghdr      (16): len u64, level i32, type i32, then data (8-byte aligned)
//   in_pktinfo   (12): ifindex i32, spec_dst[4] (our address), addr[4] (header destination)
//   in6_pktinfo  (20): addr[16] (our address), ifindex i32
import { Endpoint } from '../core/endpoint.js';

export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCKADDR_IN_SIZE = 16;
export const SOCKADDR_IN6_SIZE = 28;
export const IPPROTO_IP = 0;
export const IPPROTO_IPV6 = 41;
export const IP_PKTINFO = 8;
export const IPV6_PKTINFO = 50;
export const SOL_UDP = 17;
export const UDP_SEGMENT = 103;
/** CMSG_SPACE(sizeof(u16)): the UDP_SEGMENT (GSO size) control message. */
export const SEGMENT_SPACE = 24;
/** CMSG_SPACE(sizeof(in_pktinfo)) and CMSG_SPACE(sizeof(in6_pktinfo)). */
export const PKTINFO4_SPACE = 32;
export const PKTINFO6_SPACE = 40;
const CMSG_HDR = 16;

/** Writes `ep` as a sockaddr at `off`; returns its length. */
export function writeSockaddr(b: Buffer, off: number, ep: Endpoint): number {
  if (ep.family === 4) {
    b.fill(0, off, off + SOCKADDR_IN_SIZE);
    b.writeUInt16LE(AF_INET, off);
    b.writeUInt16BE(ep.port, off + 2);
    b.set(ep.ip, off + 4);
    return SOCKADDR_IN_SIZE;
  }
  b.fill(0, off, off + SOCKADDR_IN6_SIZE);
  b.writeUInt16LE(AF_INET6, off);
  b.writeUInt16BE(ep.port, off + 2);
  b.set(ep.ip, off + 8);
  b.writeUInt32LE(ep.scopeId, off + 24);
  return SOCKADDR_IN6_SIZE;
}

/** A sockaddr of `family` for binding to the wildcard address on `port`. */
export function wildcardSockaddr(family: 4 | 6, port: number): Buffer {
  const b = Buffer.alloc(SOCKADDR_IN6_SIZE);
  writeSockaddr(b, 0, new Endpoint(new Uint8Array(family === 4 ? 4 : 16), port));
  return b;
}

/** The port of a sockaddr (either family). */
export function sockaddrPort(b: Buffer, off = 0): number {
  return b.readUInt16BE(off + 2);
}

/**
 * Writes the PKTINFO control message that makes a reply leave from `ep`'s
 * sticky source; returns the control length (0 when `ep` has none).
 */
export function writePktinfo(b: Buffer, off: number, ep: Endpoint): number {
  const src = ep.srcIp;
  if (!src) return 0;
  if (ep.family === 4) {
    b.fill(0, off, off + PKTINFO4_SPACE);
    b.writeUInt32LE(CMSG_HDR + 12, off);
    b.writeInt32LE(IPPROTO_IP, off + 8);
    b.writeInt32LE(IP_PKTINFO, off + 12);
    b.writeInt32LE(ep.srcIfIndex, off + CMSG_HDR);
    b.set(src, off + CMSG_HDR + 4);
    return PKTINFO4_SPACE;
  }
  b.fill(0, off, off + PKTINFO6_SPACE);
  b.writeUInt32LE(CMSG_HDR + 20, off);
  b.writeInt32LE(IPPROTO_IPV6, off + 8);
  b.writeInt32LE(IPV6_PKTINFO, off + 12);
  b.set(src, off + CMSG_HDR);
  b.writeInt32LE(ep.srcIfIndex, off + CMSG_HDR + 16);
  return PKTINFO6_SPACE;
}

/** Writes a UDP_SEGMENT control message: the kernel cuts the datagram into `gsoSize`-byte datagrams. */
export function writeSegmentSize(b: Buffer, off: number, gsoSize: number): number {
  b.fill(0, off, off + SEGMENT_SPACE);
  b.writeUInt32LE(CMSG_HDR + 2, off);
  b.writeInt32LE(SOL_UDP, off + 8);
  b.writeInt32LE(UDP_SEGMENT, off + 12);
  b.writeUInt16LE(gsoSize, off + CMSG_HDR);
  return SEGMENT_SPACE;
}

/** Finds the PKTINFO in a received control buffer: byte offset of its data, or -1. */
function findPktinfo(b: Buffer, off: number, len: number): number {
  let p = off;
  while (p + CMSG_HDR <= off + len) {
    const cmsgLen = b.readUInt32LE(p);
    if (cmsgLen < CMSG_HDR) return -1;
    const level = b.readInt32LE(p + 8);
    const type = b.readInt32LE(p + 12);
    if ((level === IPPROTO_IP && type === IP_PKTINFO) || (level === IPPROTO_IPV6 && type === IPV6_PKTINFO)) return p + CMSG_HDR;
    p += (cmsgLen + 7) & ~7;
  }
  return -1;
}

const CACHE_LIMIT = 1024;

interface Cached4 { ep: Endpoint; srcAddr: number; srcIf: number }

/**
 * Turns received (sockaddr, pktinfo) bytes into interned Endpoints: the same
 * sender and local address give the same object, so decoding a batch from one
 * peer allocates nothing. IPv4 keys are plain numbers (port and address fit in
 * 48 bits); IPv6 keys are the raw bytes as a string. Bounded, since sources
 * are attacker-chosen.
 */
export class EndpointCache {
  private readonly v4 = new Map<number, Cached4>();
  private readonly v6 = new Map<string, Endpoint>();

  decode(names: Buffer, nameOff: number, ctrl: Buffer, ctrlOff: number, ctrlLen: number): Endpoint | null {
    const family = names.readUInt16LE(nameOff);
    const info = ctrlLen > 0 ? findPktinfo(ctrl, ctrlOff, ctrlLen) : -1;
    const port = names.readUInt16BE(nameOff + 2);
    if (family === AF_INET) {
      const remote = port * 0x1_0000_0000 + names.readUInt32LE(nameOff + 4);
      const srcIf = info < 0 ? 0 : ctrl.readInt32LE(info);
      const srcAddr = info < 0 ? -1 : ctrl.readUInt32LE(info + 4);
      const hit = this.v4.get(remote);
      if (hit && hit.srcAddr === srcAddr && hit.srcIf === srcIf) return hit.ep;
      const ip = names.subarray(nameOff + 4, nameOff + 8);
      const ep = info < 0 ? new Endpoint(ip, port) : new Endpoint(ip, port, 0, ctrl.subarray(info + 4, info + 8), srcIf);
      if (this.v4.size >= CACHE_LIMIT) this.v4.clear();
      this.v4.set(remote, { ep, srcAddr, srcIf }); // a peer's latest local address replaces the older one
      return ep;
    }
    if (family !== AF_INET6) return null;
    // port, address and scope, then pktinfo (address, ifindex); the flow label is left out.
    let key = names.toString('latin1', nameOff + 2, nameOff + 4) + names.toString('latin1', nameOff + 8, nameOff + SOCKADDR_IN6_SIZE);
    if (info >= 0) key += ctrl.toString('latin1', info, info + 20);
    const hit = this.v6.get(key);
    if (hit) return hit;
    const ip = names.subarray(nameOff + 8, nameOff + 24);
    const scope = names.readUInt32LE(nameOff + 24);
    const ep = info < 0
      ? new Endpoint(ip, port, scope)
      : new Endpoint(ip, port, scope, ctrl.subarray(info, info + 16), ctrl.readInt32LE(info + 16));
    if (this.v6.size >= CACHE_LIMIT) this.v6.clear();
    this.v6.set(key, ep);
    return ep;
  }
}
