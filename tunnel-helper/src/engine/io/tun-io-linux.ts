// The two ways LinuxTun moves packets through its fd.
//
// PlainIo (IFF_TUN|IFF_NO_PI): one read() or write() per packet.
//
// VnetIo (plus IFF_VNET_HDR): every packet carries a 10-byte virtio-net
// header. Reads ask for no offloads (TUNSETOFFLOAD 0), so the header is
// always empty and lands in a scratch buffer via readv. Writes go through
// writev: runs of TCP segments become one GSO segment (tcp-gro.ts) written as
// [header, head packet, payloads of the rest], straight from the slots; other
// packets get an empty header. This cuts the kernel's per-packet cost of the
// write path, the most expensive seam (see test/bench/io-tun-udp.ts).
import { E, addressOf, errno, slabAddress, sys } from './libc.js';
import { DetachedError } from './netdev-linux.js';
import { GroPlanner, VNET_HDR_LEN, mergeHead, restoreHead } from './tcp-gro.js';
import type { PacketVector } from './packet-vector.js';
import type { TunStats } from './tun.js';

export interface PacketIo {
  /** Reads one packet into `room` bytes at native address `addr`: its length, -1 with errno set, or DROP. */
  read(addr: number, room: number): number;
  /** Writes the vector's packets; returns how many the kernel took. Throws DetachedError on EBADFD. */
  write(vec: PacketVector, stats: TunStats): number;
}

/** read() returned a packet the device must not deliver (an unexpected offload header). */
export const DROP = -2;

export class PlainIo implements PacketIo {
  constructor(private readonly fd: number) {}

  read(addr: number, room: number): number {
    return sys.read(this.fd, addr, room);
  }

  write(vec: PacketVector, stats: TunStats): number {
    const base = slabAddress(vec);
    const { offsets, lengths, slotSize } = vec;
    let written = 0;
    for (let i = 0; i < vec.count; i++) {
      const len = lengths[i]!;
      if (len <= 0) continue;
      if (sys.write(this.fd, base + i * slotSize + offsets[i]!, len) >= 0) written++;
      else refused(stats, 1);
    }
    return written;
  }
}

/** EBADFD means the interface is gone; anything else (EINVAL: not IP, EIO: down) drops the packets. */
function refused(stats: TunStats, packets: number): void {
  if (errno() === E.EBADFD) throw new DetachedError('the TUN interface is gone');
  stats.dropped += packets;
}

const MAX_IOV = 2 + 64;

export class VnetIo implements PacketIo {
  private readonly iovMem = new ArrayBuffer(MAX_IOV * 16); // struct iovec[], at a stable address
  private readonly iov = new Uint32Array(this.iovMem);
  private readonly iovAddr = addressOf(this.iov);
  private readonly hdr = Buffer.from(new ArrayBuffer(16));
  private readonly hdrAddr = addressOf(this.hdr);
  private readonly planner = new GroPlanner();

  constructor(private readonly fd: number, private readonly gro = true) {}

  read(addr: number, room: number): number {
    this.setIov(0, this.hdrAddr, VNET_HDR_LEN);
    this.setIov(1, addr, room);
    const n = sys.readv(this.fd, this.iovAddr, 2);
    if (n < 0) return n;
    // No offloads were offered, so a GSO or partial-checksum packet is a surprise: drop it.
    if (n < VNET_HDR_LEN || this.hdr[0] !== 0 || this.hdr[1] !== 0) return DROP;
    return n - VNET_HDR_LEN;
  }

  write(vec: PacketVector, stats: TunStats): number {
    const base = slabAddress(vec);
    const { offsets, lengths, slotSize } = vec;
    const writes = this.planner.plan(vec, this.gro);
    const { first, count } = this.planner;
    let written = 0;
    for (let w = 0; w < writes; w++) {
      const i = first[w]!;
      const n = count[w]!;
      if (n === 1) {
        written += this.writeOne(base + i * slotSize + offsets[i]!, lengths[i]!, stats);
        continue;
      }
      const saved = mergeHead(vec, i, n, this.hdr);
      this.setIov(0, this.hdrAddr, VNET_HDR_LEN);
      this.setIov(1, base + i * slotSize + offsets[i]!, lengths[i]!);
      const headers = this.hdr.readUInt16LE(2); // hdr_len: IP + TCP header, skipped in the followers
      for (let k = 1; k < n; k++) {
        const j = i + k;
        this.setIov(1 + k, base + j * slotSize + offsets[j]! + headers, lengths[j]! - headers);
      }
      if (sys.writev(this.fd, this.iovAddr, n + 1) >= 0) {
        written += n;
        stats.coalesced += n;
        continue;
      }
      if (errno() === E.EBADFD) throw new DetachedError('the TUN interface is gone');
      // The kernel refused the merged segment: fall back to the packets as they came.
      restoreHead(vec, i, saved);
      for (let k = 0; k < n; k++) written += this.writeOne(base + (i + k) * slotSize + offsets[i + k]!, lengths[i + k]!, stats);
    }
    return written;
  }

  /** One packet with an empty virtio-net header. */
  private writeOne(addr: number, len: number, stats: TunStats): number {
    this.hdr.fill(0, 0, VNET_HDR_LEN);
    this.setIov(0, this.hdrAddr, VNET_HDR_LEN);
    this.setIov(1, addr, len);
    if (sys.writev(this.fd, this.iovAddr, 2) >= 0) return 1;
    refused(stats, 1);
    return 0;
  }

  private setIov(k: number, addr: number, len: number): void {
    const w = k * 4;
    this.iov[w] = addr >>> 0;
    this.iov[w + 1] = Math.floor(addr / 0x1_0000_0000);
    this.iov[w + 2] = len;
    this.iov[w + 3] = 0;
  }
}
