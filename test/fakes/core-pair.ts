// Two DeviceCores wired back to back over an in-memory "network" with an
// injected clock: the core-level analogue of wg-go's tuntest/bindtest pair.
// Datagrams are queued and delivered by `pump()`; every datagram on the wire
// and every action is recorded for assertions.
import type { Action } from '../../tunnel-helper/src/engine/core/actions.js';
import { DeviceCore, type DeviceCoreOptions } from '../../tunnel-helper/src/engine/core/device-core.js';
import { Endpoint } from '../../tunnel-helper/src/engine/core/endpoint.js';
import type { Peer } from '../../tunnel-helper/src/engine/core/peer.js';
import { nodeCrypto } from '../../tunnel-helper/src/engine/crypto-node.js';
import { transportCipher } from '../../tunnel-helper/src/engine/crypto-transport.js';

export function endpoint(ip: string, port: number): Endpoint {
  return Endpoint.parse(`${ip}:${port}`);
}

export type Side = 'a' | 'b';
export interface WireRecord { from: Side; data: Uint8Array; at: number }

/** A minimal IPv4 packet of `totalLength` bytes (84 = a default ping). */
export function ipv4Packet(src: string, dst: string, totalLength: number, fill = 0xab): Uint8Array {
  const p = new Uint8Array(totalLength).fill(fill);
  p[0] = 0x45;
  p[1] = 0;
  p[2] = totalLength >> 8;
  p[3] = totalLength & 0xff;
  p[9] = 1; // ICMP
  p.set(src.split('.').map(Number), 12);
  p.set(dst.split('.').map(Number), 16);
  return p;
}

export interface PairOptions extends DeviceCoreOptions {
  presharedKey?: Uint8Array;
  /** Whether B knows A's endpoint up front (A always knows B's). */
  bKnowsA?: boolean;
}

export class CorePair {
  now = 1_000_000;
  wallNow = 1_700_000_000_000;
  readonly a: DeviceCore;
  readonly b: DeviceCore;
  readonly skA = nodeCrypto.generatePrivateKey();
  readonly skB = nodeCrypto.generatePrivateKey();
  readonly pkA = nodeCrypto.publicKey(this.skA);
  readonly pkB = nodeCrypto.publicKey(this.skB);
  /** B as seen by A, and A as seen by B. */
  readonly peerB: Peer;
  readonly peerA: Peer;
  epA = endpoint('192.0.2.1', 51820);
  epB = endpoint('192.0.2.2', 51821);
  readonly wire: WireRecord[] = [];
  readonly tun: Record<Side, Uint8Array[]> = { a: [], b: [] };
  readonly events: { side: Side; action: Action }[] = [];
  /** Drop datagrams addressed to this side (a lossy or dead link). */
  readonly drop: Record<Side, boolean> = { a: false, b: false };
  readonly underLoad: Record<Side, boolean> = { a: false, b: false };
  private readonly inflight: { to: Side; from: Endpoint; data: Uint8Array }[] = [];

  constructor(opts: PairOptions = {}) {
    this.a = new DeviceCore(nodeCrypto, transportCipher, opts);
    this.b = new DeviceCore(nodeCrypto, transportCipher, opts);
    this.a.setPrivateKey(this.skA);
    this.b.setPrivateKey(this.skB);
    this.peerB = this.a.addPeer(this.pkB, { endpoint: this.epB, presharedKey: opts.presharedKey ?? null })!;
    this.peerA = this.b.addPeer(this.pkA, {
      endpoint: opts.bKnowsA ? this.epA : null, presharedKey: opts.presharedKey ?? null,
    })!;
  }

  core(side: Side): DeviceCore {
    return side === 'a' ? this.a : this.b;
  }

  peerOf(side: Side): Peer {
    return side === 'a' ? this.peerB : this.peerA;
  }

  /** Runs actions emitted by `side`: datagrams are queued for the other side. */
  run(side: Side, actions: Action[]): void {
    const other: Side = side === 'a' ? 'b' : 'a';
    const self = side === 'a' ? this.epA : this.epB;
    for (const action of actions) {
      this.events.push({ side, action });
      if (action.type === 'send-datagram') {
        this.inflight.push({ to: other, from: self, data: action.data });
      } else if (action.type === 'send-to-source') {
        const to: Side = action.endpoint.key === this.epA.key ? 'a' : 'b';
        this.inflight.push({ to, from: self, data: action.data });
      } else if (action.type === 'write-tun') {
        this.tun[side].push(Uint8Array.from(action.packet));
      }
    }
  }

  /** Delivers queued datagrams (and whatever they trigger) until quiet. */
  pump(limit = 10_000): void {
    for (let i = 0; i < limit && this.step(); i++);
  }

  /** Delivers the oldest queued datagram, if any. */
  step(): boolean {
    const d = this.inflight.shift();
    if (d === undefined) return false;
    this.wire.push({ from: d.to === 'a' ? 'b' : 'a', data: Uint8Array.from(d.data), at: this.now });
    if (!this.drop[d.to]) this.deliver(d.to, d.data, d.from);
    return true;
  }

  /** Datagrams queued but not yet delivered. */
  get queued(): number {
    return this.inflight.length;
  }

  /** Hands a datagram to `side` as if it came from `from`. */
  deliver(side: Side, data: Uint8Array, from: Endpoint): Action[] {
    const actions = this.core(side).receive(data, from, this.now, this.wallNow, { underLoad: this.underLoad[side] });
    this.run(side, actions);
    return actions;
  }

  /** `side` sends an IP packet to its peer; delivery waits for pump/step. */
  queue(side: Side, packet: Uint8Array): Action[] {
    const actions = this.core(side).send(this.peerOf(side), packet, this.now, this.wallNow);
    this.run(side, actions);
    return actions;
  }

  /** `side` sends an IP packet to its peer and the network runs until quiet. */
  send(side: Side, packet: Uint8Array): void {
    this.queue(side, packet);
    this.pump();
  }

  /** Advances the clock by `ms`, ticking both cores at every deadline on the
   *  way (as an engine sleeping until nextDeadline would). */
  advance(ms: number): void {
    const end = this.now + ms;
    for (let guard = 0; guard < 100_000; guard++) {
      const next = Math.min(this.a.nextDeadline(), this.b.nextDeadline());
      if (next > end) break;
      this.setTime(Math.max(next, this.now));
      this.run('a', this.a.tick(this.now, this.wallNow));
      this.run('b', this.b.tick(this.now, this.wallNow));
      this.pump();
    }
    this.setTime(end);
  }

  private setTime(t: number): void {
    this.wallNow += t - this.now;
    this.now = t;
  }

  /** Datagrams sent by `side` with this message type (first byte). */
  sent(side: Side, type?: number): WireRecord[] {
    return this.wire.filter((w) => w.from === side && (type === undefined || w.data[0] === type));
  }

  eventsOf(side: Side, type: Action['type']): Action[] {
    return this.events.filter((e) => e.side === side && e.action.type === type).map((e) => e.action);
  }

  /** A completes a handshake with B by sending one packet. */
  handshake(): void {
    this.send('a', ipv4Packet('10.0.0.1', '10.0.0.2', 84));
  }
}
