// TCP GRO for TUN writes: consecutive segments of one TCP flow in a vector
// are handed to the kernel as one large segment (virtio-net GSO), so the
// stack above the TUN runs once per train instead of once per segment, and
// the receiver acknowledges trains instead of every other segment.
//
// A train is a head segment plus following segments of the same vector, in
// order, that could have come out of one TSO send: same addresses, ports,
// ACK number, TCP options, TOS/TTL (traffic class/hop limit); consecutive
// sequence numbers (and IPv4 IDs); only ACK/PSH flags, PSH only on the last;
// all payloads the size of the head's but the last, which may be shorter.
// Only adjacent packets merge, so packet order is never changed.
//
// Checksums of merged segments are not verified, as the kernel's WireGuard
// does not verify them either: the AEAD tag already proved the packet intact
// (drivers/net/wireguard/receive.c marks decrypted packets CHECKSUM_UNNECESSARY).
// The kernel recomputes them should it forward and re-segment the train.
import type { PacketVector } from './packet-vector.js';

const MAX_TRAIN = 64;
const ACK = 0x10;
const PSH = 0x08;
export const VNET_HDR_LEN = 10;
const VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;
const VIRTIO_NET_HDR_GSO_TCPV4 = 1;
const VIRTIO_NET_HDR_GSO_TCPV6 = 4;

/** Parsed facts about one packet: where its TCP header is, or -1 when it cannot merge. */
interface Segment { ipHl: number; tcpHl: number; payload: number; seq: number; v6: boolean }

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

function sum16(b: Buffer, start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i += 2) s += (b[i]! << 8) | b[i + 1]!;
  return s;
}

/** The packet's TCP geometry if it may be part of a train (plain IPv4/IPv6 + TCP, ACK set, only ACK/PSH). */
function segmentOf(b: Buffer, off: number, len: number, out: Segment): boolean {
  if (len < 40) return false;
  const version = b[off]! >> 4;
  let ipHl: number;
  if (version === 4) {
    if (b[off]! !== 0x45 || b[off + 9] !== 6 || b.readUInt16BE(off + 2) !== len) return false;
    if ((b.readUInt16BE(off + 6) & 0x3fff) !== 0) return false; // MF or fragment offset: a fragment
    ipHl = 20;
  } else if (version === 6) {
    if (len < 60 || b[off + 6] !== 6 || b.readUInt16BE(off + 4) + 40 !== len) return false;
    ipHl = 40;
  } else {
    return false;
  }
  const tcpHl = (b[off + ipHl + 12]! >> 4) * 4;
  const flags = b[off + ipHl + 13]!;
  if (tcpHl < 20 || ipHl + tcpHl >= len || (flags & ~(ACK | PSH)) !== 0 || !(flags & ACK)) return false;
  out.ipHl = ipHl;
  out.tcpHl = tcpHl;
  out.payload = len - ipHl - tcpHl;
  out.seq = b.readUInt32BE(off + ipHl + 4);
  out.v6 = version === 6;
  return true;
}

/** Whether segment q (at qo) continues the flow of head h (at ho): same headers where TSO keeps them. */
function sameFlow(hb: Buffer, ho: number, qb: Buffer, qo: number, s: Segment): boolean {
  const { ipHl, tcpHl } = s;
  if (s.v6) {
    // version/class/flow label, next header, hop limit, addresses
    if (hb.readUInt32BE(ho) !== qb.readUInt32BE(qo) || hb[ho + 7] !== qb[qo + 7]) return false;
    if (!equalBytes(hb, ho + 8, qb, qo + 8, 32)) return false;
  } else {
    if (hb[ho + 1] !== qb[qo + 1] || hb[ho + 6]! >> 5 !== qb[qo + 6]! >> 5 || hb[ho + 8] !== qb[qo + 8]) return false;
    if (!equalBytes(hb, ho + 12, qb, qo + 12, 8)) return false;
  }
  // ports, then ACK number; then the options (timestamps must match too, as in kernel GRO)
  if (hb.readUInt32BE(ho + ipHl) !== qb.readUInt32BE(qo + ipHl)) return false;
  if (hb.readUInt32BE(ho + ipHl + 8) !== qb.readUInt32BE(qo + ipHl + 8)) return false;
  return tcpHl === 20 || equalBytes(hb, ho + ipHl + 20, qb, qo + ipHl + 20, tcpHl - 20);
}

/** a[ao, ao+n) == b[bo, bo+n). A plain loop: Buffer.compare's argument checks
 *  cost more than comparing 8-40 bytes (3.7% of the receive path's profile). */
function equalBytes(a: Buffer, ao: number, b: Buffer, bo: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[ao + k] !== b[bo + k]) return false;
  return true;
}

/** Splits a vector into writes, in order: write k is `count[k]` packets from slot `first[k]` on. */
export class GroPlanner {
  first = new Int32Array(128);
  count = new Int32Array(128);
  private readonly h: Segment = { ipHl: 0, tcpHl: 0, payload: 0, seq: 0, v6: false };
  private readonly q: Segment = { ipHl: 0, tcpHl: 0, payload: 0, seq: 0, v6: false };

  /** Plans the writes of `vec`; with `merge` false, one write per packet. */
  plan(vec: PacketVector, merge = true): number {
    if (this.first.length < vec.count) {
      this.first = new Int32Array(vec.capacity);
      this.count = new Int32Array(vec.capacity);
    }
    const { bufs, offsets, lengths } = vec;
    let writes = 0;
    let i = 0;
    while (i < vec.count) {
      if (lengths[i]! <= 0) {
        i++;
        continue;
      }
      let n = 1;
      const hb = bufs[i]!;
      const ho = offsets[i]!;
      if (merge && segmentOf(hb, ho, lengths[i]!, this.h) && !(hb[ho + this.h.ipHl + 13]! & PSH)) {
        const h = this.h;
        let next = (h.seq + h.payload) >>> 0;
        let total = lengths[i]!;
        let id = h.v6 ? 0 : hb.readUInt16BE(ho + 4);
        while (i + n < vec.count && n < MAX_TRAIN) {
          const j = i + n;
          const qb = bufs[j]!;
          const qo = offsets[j]!;
          const q = this.q;
          if (!segmentOf(qb, qo, lengths[j]!, q) || q.v6 !== h.v6 || q.tcpHl !== h.tcpHl || q.seq !== next) break;
          if (q.payload > h.payload || total + q.payload > 65535) break;
          if (!h.v6 && qb.readUInt16BE(qo + 4) !== ((id + 1) & 0xffff)) break;
          if (!sameFlow(hb, ho, qb, qo, q)) break;
          n++;
          total += q.payload;
          next = (next + q.payload) >>> 0;
          id++;
          // A short segment or a PSH ends the train, as in a TSO send.
          if (q.payload < h.payload || qb[qo + q.ipHl + 13]! & PSH) break;
        }
      }
      this.first[writes] = i;
      this.count[writes] = n;
      writes++;
      i += n;
    }
    return writes;
  }
}

/**
 * Turns the head of a train of `n` segments into the header of the merged
 * segment, in place, and writes its virtio-net header into `vnet`. Returns
 * what restoreHead needs to undo it (the header's original words).
 */
export function mergeHead(vec: PacketVector, first: number, n: number, vnet: Buffer): number[] {
  const b = vec.bufs[first]!;
  const o = vec.offsets[first]!;
  const s: Segment = { ipHl: 0, tcpHl: 0, payload: 0, seq: 0, v6: false };
  segmentOf(b, o, vec.lengths[first]!, s);
  let total = vec.lengths[first]!;
  for (let k = 1; k < n; k++) total += vec.lengths[first + k]! - s.ipHl - s.tcpHl;
  const t = o + s.ipHl;
  const saved = [b.readUInt16BE(o + 2), b.readUInt16BE(o + 4), b.readUInt16BE(o + 10), b[t + 13]!, b.readUInt16BE(t + 16)];
  const last = vec.bufs[first + n - 1]!;
  b[t + 13] = b[t + 13]! | (last[vec.offsets[first + n - 1]! + s.ipHl + 13]! & PSH);
  const tcpLen = total - s.ipHl;
  let pseudo: number;
  if (s.v6) {
    b.writeUInt16BE(tcpLen, o + 4);
    pseudo = sum16(b, o + 8, o + 40) + tcpLen + 6;
  } else {
    b.writeUInt16BE(total, o + 2);
    b.writeUInt16BE(0, o + 10);
    b.writeUInt16BE(~fold(sum16(b, o, o + 20)) & 0xffff, o + 10);
    pseudo = sum16(b, o + 12, o + 20) + tcpLen + 6;
  }
  // CHECKSUM_PARTIAL: the field holds the folded pseudo-header sum; the rest is the kernel's job.
  b.writeUInt16BE(fold(pseudo), t + 16);
  vnet[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
  vnet[1] = s.v6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
  vnet.writeUInt16LE(s.ipHl + s.tcpHl, 2);
  vnet.writeUInt16LE(s.payload, 4); // gso_size
  vnet.writeUInt16LE(s.ipHl, 6); // csum_start
  vnet.writeUInt16LE(16, 8); // csum_offset: the TCP checksum field
  return saved;
}

/** Undoes mergeHead, so the train's packets can be written one by one. */
export function restoreHead(vec: PacketVector, first: number, saved: number[]): void {
  const b = vec.bufs[first]!;
  const o = vec.offsets[first]!;
  const t = o + ((b[o]! >> 4) === 6 ? 40 : 20);
  b.writeUInt16BE(saved[0]!, o + 2);
  b.writeUInt16BE(saved[1]!, o + 4);
  b.writeUInt16BE(saved[2]!, o + 10);
  b[t + 13] = saved[3]!;
  b.writeUInt16BE(saved[4]!, t + 16);
}
