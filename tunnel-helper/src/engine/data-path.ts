// The data path of one device: batches of packets between the TUN device and
// the UDP sockets, encrypted and decrypted in place in preallocated vectors.
//
//   outbound: TUN readBatch -> allowed-IPs lookup (destination) -> encryptInto
//             (header into the 16-byte headroom, padding + tag into the tail)
//             -> UDP sendBatch, each slot to its peer's endpoint
//   inbound:  UDP receiveBatch -> decryptInPlace (index, age, decrypt, replay,
//             roam) -> allowed-IPs lookup (inner source must map to the peer)
//             -> TUN writeBatch
//
// Handshake messages and everything the fast paths cannot do (staging packets
// while a handshake runs, cookie replies) go through DeviceCore's action API.
// One read is kept pending per source; the next read is issued only after the
// batch is written, which is the back-pressure.
//
// Everything runs on the JS thread. Profile under iperf3 (2-core VM, load 3-5,
// OpenSSL cipher): the thread is 40-47 % idle; sendmmsg 18 %, recvmmsg 10 %,
// TUN readv 7 %, TUN writes 7-11 %, AEAD 8-15 %, each JS function < 1 %.
// Crypto workers could win back at most the AEAD share and would add a thread
// hand-off per batch, so they wait until the cipher dominates again.
import type { DeviceCore, ReceiveContext } from './core/device-core.js';
import type { Action } from './core/actions.js';
import type { Peer } from './core/peer.js';
import { MESSAGE_TRANSPORT, TRANSPORT_MIN_SIZE, UNDER_LOAD_AFTER_TIME, UNDER_LOAD_QUEUE_DEPTH } from './core/constants.js';
import { PACKET_HEADROOM, PacketVector, slotSizeFor } from './io/packet-vector.js';
import type { TunDevice } from './io/tun.js';
import type { UdpBind, UdpReceiver } from './io/udp-bind.js';
import type { AllowedIps } from './allowed-ips.js';
import type { ActionRunner } from './action-runner.js';
import type { Clock } from '../../../shared/clock.js';

/** Datagram slots take the largest UDP payload: the peer's MTU may exceed ours. */
const RECEIVE_SLOT = slotSizeFor(65535);
const RECEIVE_BATCH = 64;
/** TUN slots take the largest IP packet too: the MTU can grow at any moment and
 *  is only learnt by polling, so slots sized from it would drop the first big
 *  packets. Untouched slot pages are never made resident: the 8 MiB vector
 *  costs about a page per slot in use. */
const TUN_SLOT = slotSizeFor(65535);
const TUN_BATCH = 128;

export class DataPath {
  private tunVec: PacketVector;
  private readonly out: Action[] = [];
  private receiveGeneration = 0;
  /** Valid handshake messages (exact size, good mac1) seen in the current
   *  one-second window: the under-load estimate. */
  private handshakeWindowStart = 0;
  private handshakesInWindow = 0;
  private underLoadUntil = -Infinity;
  /** The core asks this only after a handshake message passed its size and mac1 checks. */
  private readonly receiveContext: ReceiveContext = { underLoad: (now) => this.noteHandshake(now) };
  private stopped = false;

  constructor(
    private readonly core: DeviceCore,
    private readonly allowedIps: AllowedIps<Peer>,
    private readonly tun: TunDevice,
    private readonly bind: UdpBind,
    private readonly actions: ActionRunner,
    private readonly clock: Clock,
  ) {
    this.tunVec = new PacketVector({ capacity: TUN_BATCH, slotSize: Math.max(TUN_SLOT, slotSizeFor(tun.mtu())) });
  }

  start(): void {
    this.readTun();
  }

  stop(): void {
    this.stopped = true;
    this.receiveGeneration++;
  }

  /** Starts reading from freshly opened sockets; reads from older ones end. */
  listen(receivers: readonly UdpReceiver[]): void {
    const generation = ++this.receiveGeneration;
    for (const rx of receivers) {
      const vec = new PacketVector({ capacity: RECEIVE_BATCH, slotSize: RECEIVE_SLOT });
      this.receive(rx, vec, generation);
    }
  }

  /** The TUN MTU grew past what a slot holds: use bigger slots from the next read. */
  resizeForMtu(mtu: number): void {
    const size = slotSizeFor(Math.max(mtu, 1500));
    if (size > this.tunVec.slotSize) this.tunVec = new PacketVector({ capacity: TUN_BATCH, slotSize: size });
  }

  private readTun(): void {
    if (this.stopped) return;
    const vec = this.tunVec;
    this.tun.readBatch(vec, (err) => {
      if (err) return; // the device owner handles closure through onClosed
      this.encryptBatch(vec);
      this.readTun();
    });
  }

  private encryptBatch(vec: PacketVector): void {
    const { core, allowedIps, out } = this;
    const now = this.clock.now();
    const wallNow = this.clock.wallNow();
    out.length = 0;
    for (let i = 0; i < vec.count; i++) {
      const len = vec.lengths[i]!;
      if (len === 0) continue;
      const buf = vec.bufs[i]!;
      const off = vec.offsets[i]!;
      const version = buf[off]! >> 4;
      const peer = version === 4 && len >= 20 ? allowedIps.lookupV4(buf, off + 16)
        : version === 6 && len >= 40 ? allowedIps.lookupV6(buf, off + 24) : undefined;
      vec.lengths[i] = 0;
      if (peer === undefined) continue; // no peer routes this destination: drop, as wg-go does
      const n = core.encryptInto(peer, buf, off, len, now, wallNow, out);
      if (n < 0) {
        for (const a of core.send(peer, buf.subarray(off, off + len), now, wallNow)) out.push(a);
        continue;
      }
      vec.offsets[i] = off - PACKET_HEADROOM;
      vec.lengths[i] = n;
      vec.endpoints[i] = peer.endpoint;
    }
    this.bind.sendBatch(vec, null);
    this.actions.run(out, wallNow);
  }

  private receive(rx: UdpReceiver, vec: PacketVector, generation: number): void {
    rx.receiveBatch(vec, (err) => {
      if (err || this.stopped || generation !== this.receiveGeneration) return;
      this.decryptBatch(vec);
      this.receive(rx, vec, generation);
    });
  }

  private decryptBatch(vec: PacketVector): void {
    const { core, allowedIps, out } = this;
    const now = this.clock.now();
    const wallNow = this.clock.wallNow();
    out.length = 0;
    for (let i = 0; i < vec.count; i++) {
      const len = vec.lengths[i]!;
      if (len === 0) continue;
      vec.lengths[i] = 0;
      const buf = vec.bufs[i]!;
      const off = vec.offsets[i]!;
      const source = vec.endpoints[i];
      if (!source) continue;
      const type = buf[off]!;
      if (type === MESSAGE_TRANSPORT && len >= TRANSPORT_MIN_SIZE) {
        const r = core.decryptInPlace(buf, off, len, source, now, wallNow, out);
        if (r.kind !== 'data' || r.peer === null) continue;
        const owner = r.ipVersion === 4 ? allowedIps.lookupV4(buf, r.sourceOffset) : allowedIps.lookupV6(buf, r.sourceOffset);
        if (owner !== r.peer) continue; // cryptokey routing: the inner source must belong to the sender
        vec.offsets[i] = r.offset;
        vec.lengths[i] = r.length;
      } else if (type >= 1 && type <= 3) {
        for (const a of core.receive(buf.subarray(off, off + len), source, now, wallNow, this.receiveContext)) out.push(a);
      }
    }
    try {
      this.tun.writeBatch(vec);
    } catch {
      // the TUN device is gone; the device owner shuts down through onClosed
    }
    this.actions.run(out, wallNow);
  }

  /** wg-go counts a device under load while its handshake queue is deep, and for
   *  a second after. Here handshakes are handled as they arrive, so the rate of
   *  arrivals over the last second stands in for the queue depth. Only messages
   *  that passed the size and mac1 checks are counted (the core calls this
   *  after them): junk leaves wg-go's queue at the cost of one BLAKE2s and never
   *  deepens it, but counted per arrival it would demand cookies of everyone. */
  private noteHandshake(now: number): boolean {
    if (now - this.handshakeWindowStart >= 1000) {
      this.handshakeWindowStart = now;
      this.handshakesInWindow = 0;
    }
    if (++this.handshakesInWindow >= UNDER_LOAD_QUEUE_DEPTH) this.underLoadUntil = now + UNDER_LOAD_AFTER_TIME;
    return now < this.underLoadUntil;
  }
}
