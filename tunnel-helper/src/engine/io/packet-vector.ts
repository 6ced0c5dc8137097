// A PacketVector is the unit of batched, zero-copy I/O between the engine and
// the OS seams (TunDevice, UdpBind). The engine allocates it once and reuses
// it: one contiguous slab cut into equal slots, one packet per slot, plus
// per-slot offset, length and endpoint.
//
//   slot i:  [ headroom | packet ........................ | tailroom ]
//            ^ bufs[i]  ^ bufs[i][offsets[i]], lengths[i] bytes
//
// The headroom lets the engine prepend the 16-byte transport header and
// encrypt in place; the tailroom takes the zero padding and the 16-byte tag.
// Devices write each packet at `headroom` when reading and send each packet
// from `offsets[i]` for `lengths[i]` bytes when writing, so the engine only
// adjusts offsets/lengths between a read on one side and a write on the other.
import type { Endpoint } from '../core/endpoint.js';

/** Bytes before each packet: room for the WireGuard transport header (type, receiver, counter). */
export const PACKET_HEADROOM = 16;
/** Bytes after each packet: up to 15 bytes of zero padding plus the 16-byte Poly1305 tag. */
export const PACKET_TAILROOM = 32;
/** Default number of slots: the batch size of recvmmsg/sendmmsg (wg-go's IdealBatchSize). */
export const DEFAULT_BATCH_SIZE = 128;

/** Slot size that holds one packet of `mtu` bytes with full head- and tailroom, rounded to 64 bytes. */
export function slotSizeFor(mtu: number): number {
  return (PACKET_HEADROOM + mtu + PACKET_TAILROOM + 63) & ~63;
}

export interface PacketVectorOptions {
  /** Number of slots (maximum packets per batch). Default 128. */
  capacity?: number;
  /** Bytes per slot. Default slotSizeFor(1420). */
  slotSize?: number;
  /** Where reads place each packet inside its slot. Default PACKET_HEADROOM. */
  headroom?: number;
  /**
   * Back the slab with a SharedArrayBuffer so worker threads can encrypt or
   * decrypt the slots in place. `offsets` and `lengths` live in the same memory.
   */
  shared?: boolean;
  /** Attach to an existing vector's `memory` (e.g. one posted to a worker) instead of allocating. */
  memory?: ArrayBuffer | SharedArrayBuffer;
}

export class PacketVector {
  readonly capacity: number;
  readonly slotSize: number;
  readonly headroom: number;
  /** The whole slab: slots, then offsets (Int32 × capacity), then lengths (Int32 × capacity). */
  readonly memory: ArrayBuffer | SharedArrayBuffer;
  /** Slot views, slotSize bytes each, contiguous in `memory`. Fixed for the vector's life. */
  readonly bufs: readonly Buffer[];
  /** Start of packet i inside bufs[i]. */
  readonly offsets: Int32Array;
  /** Length of packet i; a slot of length 0 holds no packet (dropped) and is skipped by writers. */
  readonly lengths: Int32Array;
  /** UDP only: source endpoint of a received packet, or destination of a packet to send. */
  readonly endpoints: (Endpoint | null)[];
  /** Number of slots in use, from slot 0. */
  count = 0;

  constructor(opts: PacketVectorOptions = {}) {
    const capacity = opts.capacity ?? DEFAULT_BATCH_SIZE;
    const slotSize = opts.slotSize ?? slotSizeFor(1420);
    const headroom = opts.headroom ?? PACKET_HEADROOM;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`PacketVector capacity must be a positive integer, got ${capacity}`);
    if (!Number.isInteger(slotSize) || slotSize % 8 !== 0 || slotSize <= headroom) {
      throw new RangeError(`PacketVector slotSize must be a multiple of 8 larger than the headroom, got ${slotSize}`);
    }
    this.capacity = capacity;
    this.slotSize = slotSize;
    this.headroom = headroom;
    const slab = capacity * slotSize;
    const bytes = slab + 8 * capacity;
    // An explicit (Shared)ArrayBuffer lives outside V8's moving heap, so native
    // code may keep the slab's address for the vector's life.
    if (opts.memory && opts.memory.byteLength !== bytes) {
      throw new RangeError(`PacketVector memory of ${opts.memory.byteLength} bytes does not match ${capacity} slots of ${slotSize}`);
    }
    this.memory = opts.memory ?? (opts.shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    const bufs: Buffer[] = [];
    for (let i = 0; i < capacity; i++) bufs.push(Buffer.from(this.memory, i * slotSize, slotSize));
    this.bufs = bufs;
    this.offsets = new Int32Array(this.memory, slab, capacity);
    this.lengths = new Int32Array(this.memory, slab + 4 * capacity, capacity);
    this.endpoints = new Array<Endpoint | null>(capacity).fill(null);
  }

  /** The bytes of packet i (a view, not a copy). */
  packet(i: number): Buffer {
    const off = this.offsets[i]!;
    return this.bufs[i]!.subarray(off, off + this.lengths[i]!);
  }

  /** Copies `data` into the next free slot at the headroom; returns its index. For tests and control messages. */
  push(data: Uint8Array, endpoint: Endpoint | null = null): number {
    const i = this.count;
    if (i >= this.capacity) throw new RangeError('PacketVector is full');
    if (this.headroom + data.length > this.slotSize) throw new RangeError(`packet of ${data.length} bytes does not fit a ${this.slotSize}-byte slot`);
    this.bufs[i]!.set(data, this.headroom);
    this.offsets[i] = this.headroom;
    this.lengths[i] = data.length;
    this.endpoints[i] = endpoint;
    this.count = i + 1;
    return i;
  }

  /** Empties the vector (keeps the memory). */
  clear(): void {
    this.count = 0;
  }
}
