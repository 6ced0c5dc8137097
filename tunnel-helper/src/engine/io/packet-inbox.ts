// A queue of received packets in front of one pull-style batch reader
// (TunDevice.readBatch / UdpReceiver.receiveBatch), for seams whose packets
// arrive one by one as JS events: the in-memory fakes (fakes.ts).
// Deliveries run on setImmediate, so `done` never runs inside the caller and
// a busy peer cannot starve the event loop.
import type { Endpoint } from '../core/endpoint.js';
import type { PacketVector } from './packet-vector.js';
import type { ReadDone } from './tun.js';

interface Queued { data: Buffer; from: Endpoint | null }

/** Packets waiting for the reader, with at most one batch read pending. */
export class PacketInbox {
  /** Packets refused because `limit` packets were already waiting (like a full socket buffer). */
  overflowed = 0;
  private queue: Queued[] = [];
  private pending: { vec: PacketVector; done: ReadDone } | null = null;
  private scheduled = false;
  private closedWith: Error | null = null;

  constructor(private readonly limit = 4096) {}

  /** Packets queued and not yet read. */
  get waiting(): number {
    return this.queue.length;
  }

  read(vec: PacketVector, done: ReadDone): void {
    if (this.pending) throw new Error('a read is already pending');
    this.pending = { vec, done };
    this.schedule();
  }

  /** Queues a packet; `owned` means the caller hands `data` over, so it is not copied. */
  push(data: Uint8Array, from: Endpoint | null, owned = false): void {
    if (this.closedWith) return;
    if (this.queue.length >= this.limit) {
      this.overflowed++;
      return;
    }
    this.queue.push({ data: owned ? Buffer.from(data.buffer, data.byteOffset, data.length) : Buffer.from(data), from });
    this.schedule();
  }

  close(err: Error): void {
    if (this.closedWith) return;
    this.closedWith = err;
    this.queue = [];
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || !this.pending || (this.queue.length === 0 && !this.closedWith)) return;
    this.scheduled = true;
    setImmediate(() => this.deliver());
  }

  private deliver(): void {
    this.scheduled = false;
    const p = this.pending;
    if (!p) return;
    if (this.closedWith) {
      this.pending = null;
      p.done(this.closedWith, 0);
      return;
    }
    const { vec } = p;
    let n = 0;
    while (n < vec.capacity && this.queue.length > 0) {
      const { data, from } = this.queue.shift()!;
      vec.offsets[n] = vec.headroom;
      // Too big for the slot (tailroom included): dropped, as the real devices do.
      const fits = vec.headroom + data.length <= vec.slotSize;
      if (fits) vec.bufs[n]!.set(data, vec.headroom);
      vec.lengths[n] = fits ? data.length : 0;
      vec.endpoints[n] = from;
      n++;
    }
    if (n === 0) return;
    vec.count = n;
    this.pending = null;
    p.done(null, n);
    this.schedule();
  }
}

