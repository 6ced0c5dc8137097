// The send half of a UDP socket: packets from engine vectors to the kernel in
// as few syscalls as possible, without ever blocking or keeping the vector.
//
//   1. Gather: each packet to send becomes one iovec pointing into its slot.
//   2. Group: with UDP GSO (UDP_SEGMENT, Linux 4.18+), a run of packets to the
//      same endpoint and of the same size (the last may be shorter) becomes one
//      message the kernel cuts into datagrams after routing, up to 64 segments.
//      Bulk WireGuard traffic is exactly that: MTU-sized, padded to 16.
//   3. sendmmsg all messages. EAGAIN (socket buffer full): copy what is left
//      into a bounded queue that drains in order when the socket is writable.
//      A refused GSO message (EIO: the route cannot segment; EINVAL: too big
//      for the route) is resent as single datagrams, and EIO turns GSO off.
//      A refused sticky source is dropped for that message, as wg-go does.
import { E, addressOf, errno, slabAddress, sys } from './libc.js';
import { MmsgBatch } from './mmsg-linux.js';
import { writePktinfo, writeSegmentSize, writeSockaddr } from './sockaddr-linux.js';
import type { BindStats } from './udp-bind.js';
import type { Endpoint } from '../core/endpoint.js';
import type { PacketVector } from './packet-vector.js';

const BATCH = 128;
/** Kernel limit on segments per GSO datagram (UDP_MAX_SEGMENTS). */
const MAX_SEGMENTS = 64;
/** Datagrams held while the socket buffer is full; beyond this they are dropped, as a full qdisc would. */
const MAX_QUEUED = 4096;

export class UdpSender {
  gso: boolean;
  private readonly tx = new MmsgBatch(BATCH);
  /** Per packet of the chunk being sent: destination, length, vector slot. */
  private readonly target: (Endpoint | null)[] = new Array<Endpoint | null>(BATCH).fill(null);
  private readonly len = new Int32Array(BATCH);
  private readonly slot = new Int32Array(BATCH);
  /** Per message: first packet and packet count. */
  private readonly msgFirst = new Int32Array(BATCH);
  private readonly msgCount = new Int32Array(BATCH);
  /** Whose sockaddr and pktinfo message slot m holds, and the pktinfo's length, to skip rewriting them. */
  private readonly named: (Endpoint | null)[] = new Array<Endpoint | null>(BATCH).fill(null);
  private readonly pktinfoLen = new Int32Array(BATCH);
  private queue: { data: Buffer; ep: Endpoint }[] = [];
  /** Set by sendFrom when a GSO message was refused: resend from its first packet as singles. */
  private regroupAt = -1;

  constructor(
    private readonly fd: number,
    private readonly family: 4 | 6,
    private readonly sticky: boolean,
    gso: boolean,
    private readonly stats: BindStats,
    /** Called when the queue becomes empty or non-empty: poll for writability accordingly. */
    private readonly onQueue: () => void,
  ) {
    this.gso = gso;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Sends the packets of `vec` bound for this family; returns how many it took (sent, queued or dropped). */
  send(vec: PacketVector, ep: Endpoint | null): number {
    if (this.queue.length > 0) this.flushQueue();
    const base = slabAddress(vec);
    const { offsets, lengths, endpoints, slotSize } = vec;
    let k = 0;
    let taken = 0;
    for (let i = 0; i < vec.count; i++) {
      const len = lengths[i]!;
      const to = ep ?? endpoints[i];
      if (len <= 0 || !to || to.family !== this.family) continue;
      this.tx.setIov(k, base + i * slotSize + offsets[i]!, len);
      this.target[k] = to;
      this.len[k] = len;
      this.slot[k] = i;
      if (++k === BATCH) {
        taken += this.sendChunk(vec, k);
        k = 0;
      }
    }
    if (k > 0) taken += this.sendChunk(vec, k);
    return taken;
  }

  /** Sends what the queue holds, in order, until it is empty or the socket is full again. */
  flushQueue(): void {
    const wasQueued = this.queue.length > 0;
    while (this.queue.length > 0) {
      const k = Math.min(this.queue.length, BATCH);
      for (let p = 0; p < k; p++) {
        const { data, ep } = this.queue[p]!;
        this.tx.setIov(p, addressOf(data), data.length);
        this.target[p] = ep;
        this.len[p] = data.length;
      }
      const done = this.transmit(k);
      this.queue.splice(0, done);
      if (done < k) break;
    }
    if (wasQueued && this.queue.length === 0) this.onQueue();
  }

  clear(): void {
    this.queue = [];
  }

  private sendChunk(vec: PacketVector, k: number): number {
    // While older packets wait in the queue, new ones line up behind them to keep their order.
    const done = this.queue.length > 0 ? 0 : this.transmit(k);
    if (done < k) {
      const wasEmpty = this.queue.length === 0;
      for (let p = done; p < k; p++) this.enqueue(vec.packet(this.slot[p]!), this.target[p]!);
      this.stats.queued++;
      if (wasEmpty && this.queue.length > 0) this.onQueue();
    }
    return k;
  }

  /** Sends packets 0..k-1 (iovecs and targets already set); returns how many left the queue's way (sent or dropped). */
  private transmit(k: number): number {
    let p = 0;
    let singles = !this.gso;
    for (;;) {
      const m = this.group(p, k, singles);
      const j = this.sendFrom(m);
      if (this.regroupAt < 0) return j < m ? this.msgFirst[j]! : k;
      p = this.regroupAt;
      this.regroupAt = -1;
      singles = true;
    }
  }

  /** Builds messages over packets p..k-1: GSO trains unless `singles`. Returns the message count. */
  private group(p: number, k: number, singles: boolean): number {
    let m = 0;
    const maxPayload = this.family === 4 ? 65507 : 65527;
    while (p < k) {
      const ep = this.target[p]!;
      const size = this.len[p]!;
      let n = 1;
      let total = size;
      if (!singles) {
        while (p + n < k && n < MAX_SEGMENTS && this.target[p + n] === ep) {
          const next = this.len[p + n]!;
          if (next > size || total + next > maxPayload) break;
          total += next;
          n++;
          if (next < size) break; // only the last segment may be shorter
        }
      }
      this.address(m, ep, n > 1 ? size : 0);
      this.tx.setMsgIov(m, p, n);
      this.msgFirst[m] = p;
      this.msgCount[m] = n;
      m++;
      p += n;
    }
    return m;
  }

  /** Writes message m's sockaddr and control (sticky pktinfo, GSO size), reusing what is already there. */
  private address(m: number, ep: Endpoint, gsoSize: number): void {
    const ctrl = this.tx.controlOffset(m);
    if (this.named[m] !== ep) {
      this.tx.setNameLen(m, writeSockaddr(this.tx.names, this.tx.nameOffset(m), ep));
      this.pktinfoLen[m] = this.sticky ? writePktinfo(this.tx.control, ctrl, ep) : 0;
      this.named[m] = ep;
    }
    let len = this.pktinfoLen[m]!;
    if (gsoSize) len += writeSegmentSize(this.tx.control, ctrl + len, gsoSize);
    this.tx.setControlLen(m, len);
  }

  /** sendmmsg of messages 0..m-1; returns the first one not sent (EAGAIN), or sets regroupAt. */
  private sendFrom(m: number): number {
    let j = 0;
    while (j < m) {
      const r = sys.sendmmsg(this.fd, this.tx.addressOf(j), m - j, 0);
      if (r > 0) {
        for (let x = j; x < j + r; x++) this.stats.packetsSent += this.msgCount[x]!;
        j += r;
        continue;
      }
      const err = errno();
      if (err === E.EAGAIN) break;
      if (err === E.EINTR) continue;
      if (this.msgCount[j]! > 1) {
        if (err === E.EIO) this.gso = false; // no segmentation on this path: wg-go turns GSO off too
        this.regroupAt = this.msgFirst[j]!;
        return j;
      }
      if (this.pktinfoLen[j]! > 0) {
        // The sticky source is no longer usable (address removed: EINVAL, ENETUNREACH...):
        // send from wherever the kernel routes.
        this.pktinfoLen[j] = 0;
        this.tx.setControlLen(j, 0);
        this.named[j] = null;
        continue;
      }
      this.stats.dropped++; // unreachable, message too long, ...: UDP loses it
      j++;
    }
    return j;
  }

  private enqueue(data: Buffer, ep: Endpoint): void {
    if (this.queue.length >= MAX_QUEUED) {
      this.stats.dropped++;
      return;
    }
    const copy = Buffer.from(new ArrayBuffer(data.length)); // ArrayBuffer memory: a stable address for sendmmsg
    data.copy(copy);
    this.queue.push({ data: copy, ep });
  }
}
