// The TUN seam (wg-go tun.Device): the engine's view of the OS network
// interface. It moves whole batches of IP packets (no packet-information
// header) between the kernel and engine-owned PacketVectors, never copying
// a packet on the JS side and never blocking the event loop.
//
// Reading is a pull: the engine lends a vector with `readBatch` and gets it
// back, filled, in `done`. The engine keeps one read pending to keep packets
// flowing and stops reading to push back. Writing is synchronous: when
// `writeBatch` returns, the vector is the engine's again.
import type { PacketVector } from './packet-vector.js';

/** Called once per readBatch: with the number of packets now in `vec` (>= 1), or with the error that ended reading. */
export type ReadDone = (err: Error | null, count: number) => void;

export interface TunDevice {
  /**
   * Reads between 1 and `vec.capacity` packets into `vec` and then calls `done`.
   * Packet i is placed at `vec.bufs[i]` from `vec.headroom` (so `offsets[i] = headroom`),
   * with its length in `lengths[i]`; `vec.count` is set to the number of packets.
   * A packet that would not leave the PACKET_TAILROOM free gets length 0 (dropped).
   * Only one read may be pending per device. `done` always runs asynchronously.
   * After the device is closed or deleted, `done` gets a TunClosedError.
   */
  readBatch(vec: PacketVector, done: ReadDone): void;

  /**
   * Writes packets 0..vec.count-1, each `lengths[i]` bytes from `bufs[i][offsets[i]]`,
   * skipping slots of length 0. Each packet must be exactly one IP packet (trimmed to
   * its IP length). Returns the number of packets the kernel accepted; malformed
   * packets are dropped (and counted in `stats`), as the kernel would drop them.
   * May rewrite packet headers in place (merging TCP segments); the vector is the
   * caller's again on return. Throws TunClosedError once the device is closed or deleted.
   */
  writeBatch(vec: PacketVector): number;

  /** The interface name as the kernel reports it through the fd (follows renames and namespace moves). */
  name(): string;
  /** The interface index in the namespace the interface is in now. */
  ifIndex(): number;
  /** The current MTU, queried live (cheap; call it on a timer, not per packet). */
  mtu(): number;
  setMtu(mtu: number): void;
  /** Sets the interface administratively up (IFF_UP). */
  up(): void;
  /** Sets the interface administratively down. */
  down(): void;
  /** Whether the interface is administratively up. */
  isUp(): boolean;

  /**
   * Registers `cb` to run once when the device stops for good: the interface was
   * deleted (`ip link del`, its namespace destroyed) or close() was called.
   * The engine exits when this fires with a TunClosedError whose `deleted` is true.
   */
  onClosed(cb: (err: TunClosedError) => void): void;
  /** Stops reading (a pending read gets TunClosedError), closes the fd; the kernel then deletes the interface. Idempotent. */
  close(): void;
  readonly closed: boolean;
  readonly stats: TunStats;
}

export interface TunStats {
  packetsRead: number;
  packetsWritten: number;
  /** Packets dropped: too large for a slot on read, or refused by the kernel on write. */
  dropped: number;
  /** Packets written as part of a merged TCP segment (GRO), included in packetsWritten. */
  coalesced: number;
}

export class TunClosedError extends Error {
  /** True when the interface disappeared underneath us, false after close(). */
  readonly deleted: boolean;
  constructor(name: string, deleted: boolean) {
    super(deleted
      ? `The tunnel interface ${name} was deleted, so the tunnel stopped. Bring the tunnel up again to recreate it.`
      : `The tunnel interface ${name} is closed.`);
    this.name = 'TunClosedError';
    this.deleted = deleted;
  }
}
