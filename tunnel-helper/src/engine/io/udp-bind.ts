// The UDP seam (wg-go conn.Bind): the engine's sockets. A bind listens on one
// port for both IPv4 and IPv6 (two sockets, the IPv6 one V6ONLY), receives
// and sends whole batches through engine-owned PacketVectors, and carries the
// fwmark that keeps wg-quick's policy routing from looping tunnel traffic
// back into the tunnel.
//
// Receiving is a pull per socket, like TunDevice.readBatch: `open` returns one
// UdpReceiver per socket and the engine keeps one receiveBatch pending on each.
// Sending is synchronous: when sendBatch returns the vector is the engine's
// again (a bind that hits a full socket buffer copies what is left and sends
// it when the socket drains).
import type { Endpoint } from '../core/endpoint.js';
import type { PacketVector } from './packet-vector.js';
import type { ReadDone } from './tun.js';

export interface UdpReceiver {
  /** 4 or 6: the family of the socket this receiver reads. */
  readonly family: 4 | 6;
  /**
   * Receives between 1 and `vec.capacity` datagrams into `vec`, then calls `done`.
   * Datagram i is placed at `vec.bufs[i]` from `vec.headroom`, `lengths[i]` long,
   * from `endpoints[i]` (interned: the same sender yields the same object while it
   * stays in the bind's cache). A datagram too large for its slot gets length 0.
   * One receive may be pending per receiver; `done` always runs asynchronously.
   * When the bind closes (or reopens on another port) `done` gets a BindClosedError.
   */
  receiveBatch(vec: PacketVector, done: ReadDone): void;
}

export interface OpenResult {
  /** The port actually bound (the random one when 0 was asked for). */
  port: number;
  /** One per socket opened (IPv4 and/or IPv6). */
  receivers: readonly UdpReceiver[];
}

export interface UdpBind {
  /**
   * Opens sockets on `port` (0 picks a random port free for both families).
   * Closes sockets already open first, so it also serves for rebinding on a
   * `listen_port` change. Applies the current fwmark. Throws BindError.
   */
  open(port: number): OpenResult;
  /** Closes all sockets; pending receives get BindClosedError. Idempotent. */
  close(): void;
  /**
   * Sets SO_MARK on the open sockets and on every socket opened later
   * (0 clears it). Throws BindError when the kernel refuses (needs CAP_NET_ADMIN).
   */
  setMark(mark: number): void;
  /**
   * Sends packets 0..vec.count-1 (slots of length 0 are skipped), packet i as
   * `lengths[i]` bytes from `bufs[i][offsets[i]]`, to `endpoint`, or when that is
   * null to `vec.endpoints[i]`. A packet to an address family with no socket, or
   * refused by the kernel (unreachable network, ...), is dropped and counted.
   * Returns the number of packets sent or queued.
   */
  sendBatch(vec: PacketVector, endpoint: Endpoint | null): number;
  /** The bound port, 0 when closed. */
  readonly port: number;
  readonly stats: BindStats;
}

export interface BindStats {
  packetsReceived: number;
  packetsSent: number;
  /** Packets dropped: too large for a slot, refused by the kernel, or no socket for the family. */
  dropped: number;
  /** Send batches that hit a full socket buffer and were queued. */
  queued: number;
}

export class BindError extends Error {
  readonly errno: number;
  constructor(message: string, errno = 0) {
    super(message);
    this.name = 'BindError';
    this.errno = errno;
  }
}

export class BindClosedError extends Error {
  constructor() {
    super('The UDP sockets of the tunnel are closed.');
    this.name = 'BindClosedError';
  }
}
