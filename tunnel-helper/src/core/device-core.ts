// DeviceCore: the protocol state of one WireGuard interface, as a value.
// Bytes, `now` (monotonic ms) and `wallNow` (wall-clock ms, for TAI64N and
// latest-handshake) go in; a list of actions comes out. No I/O, no clock, no
// timers: the engine calls `tick` at `nextDeadline()`.
//
//   engine                          DeviceCore
//   TUN packet for peer  ------->   send / encryptInto     --> send-datagram
//   UDP datagram         ------->   receive / decryptInPlace --> write-tun, send-*, endpoint-changed
//   deadline reached     ------->   tick                   --> keepalives, retries, keys-zeroed
import type { Crypto, TransportCipher } from './crypto.js';
import type { Action, DecryptResult, Endpoint } from './actions.js';
import { DEFAULT_MTU, KEY_SIZE, MESSAGE_TRANSPORT } from './constants.js';
import { DeviceState } from './device-state.js';
import { REJECT_AFTER_MESSAGES_NUMBER } from './keypair.js';
import { equalBytes, isZero, messageType, toHex } from './messages.js';
import { Peer } from './peer.js';
import { newDecryptResult, receiveHandshake, receiveTransport, type UnderLoad } from './receive.js';
import { encryptInto, sendKeepalive, sendPacket } from './send.js';
import { expireTimers } from './timer-expiry.js';

export interface DeviceCoreOptions {
  /** The TUN MTU: padding never grows a packet beyond it. */
  mtu?: number;
}

export interface PeerOptions<E extends Endpoint> {
  presharedKey?: Uint8Array | null;
  endpoint?: E | null;
  /** Seconds; 0 disables. Use setPersistentKeepalive to also send one at once. */
  persistentKeepalive?: number;
}

export interface PeerStats<E extends Endpoint> {
  rxBytes: number;
  txBytes: number;
  /** 0 when no handshake has completed. */
  lastHandshakeWallMs: number;
  endpoint: E | null;
  persistentKeepaliveInterval: number;
  /** Packets waiting for a handshake. */
  stagedPackets: number;
}

export interface ReceiveContext {
  /** The engine's handshake queue is deep (see UNDER_LOAD_QUEUE_DEPTH): demand cookies.
   *  A function is asked only for handshake messages that passed the size and
   *  mac1 checks: the ones an engine should count toward its load. */
  underLoad: UnderLoad;
}

const RATE_LIMITER_GC_INTERVAL = 1_000;

export class DeviceCore<E extends Endpoint = Endpoint> {
  private readonly dev: DeviceState<E>;
  private readonly result: DecryptResult<E> = newDecryptResult();
  private lastGc = -Infinity;

  constructor(crypto: Crypto, cipher: TransportCipher, opts: DeviceCoreOptions = {}) {
    this.dev = new DeviceState<E>(crypto, cipher, opts.mtu ?? DEFAULT_MTU);
  }

  /** The clamped private key, for UAPI `get`; null when unset. */
  get privateKey(): Uint8Array | null {
    return this.dev.identity?.privateKey ?? null;
  }

  get publicKey(): Uint8Array | null {
    return this.dev.identity?.publicKey ?? null;
  }

  get mtu(): number {
    return this.dev.mtu;
  }

  setMtu(mtu: number): void {
    this.dev.mtu = mtu;
  }

  /** Sets (clamped) or clears (null or all zeros) our private key. Peers whose
   *  public key is now our own are removed; every session is expired and the
   *  static-static DH recomputed, so the next packet starts a new handshake. */
  setPrivateKey(privateKey: Uint8Array | null): Action<E>[] {
    const dev = this.dev;
    const sk = privateKey === null || isZero(privateKey) ? null : clamp(privateKey);
    const old = dev.identity;
    if (old === null ? sk === null : sk !== null && equalBytes(sk, 0, old.privateKey, 0, KEY_SIZE)) return [];
    const out: Action<E>[] = [];
    const pk = sk && dev.crypto.publicKey(sk);
    if (pk !== null) {
      const self = dev.peers.get(toHex(pk));
      if (self !== undefined) {
        this.removePeer(self);
        out.push({ type: 'peer-removed', peer: self });
      }
    }
    dev.identity = sk && pk && { privateKey: sk, publicKey: pk };
    dev.cookieChecker.init(pk);
    for (const peer of dev.peers.values()) {
      peer.handshake.precomputedStaticStatic = sk && dev.crypto.dh(sk, peer.publicKey);
      // wg-go ExpireCurrentKeypairs: receiving still works, sending needs a new session.
      dev.clearHandshake(peer);
      peer.handshake.lastSentHandshake = -Infinity;
      const { current, next } = peer.keypairs;
      if (current !== null) current.sendNonce = REJECT_AFTER_MESSAGES_NUMBER;
      if (next !== null) next.sendNonce = REJECT_AFTER_MESSAGES_NUMBER;
    }
    return out;
  }

  /** Adds a peer, or returns the existing one. Returns null for our own
   *  public key, which WireGuard ignores. */
  addPeer(publicKey: Uint8Array, opts: PeerOptions<E> = {}): Peer<E> | null {
    if (publicKey.length !== KEY_SIZE) throw new RangeError('A WireGuard public key is 32 bytes.');
    const dev = this.dev;
    const id = dev.identity;
    if (id !== null && equalBytes(publicKey, 0, id.publicKey, 0, KEY_SIZE)) return null;
    const existing = dev.peers.get(toHex(publicKey));
    if (existing !== undefined) return existing;
    const peer = new Peer<E>(dev.crypto, Uint8Array.from(publicKey), dev.deleteKeypair);
    peer.handshake.precomputedStaticStatic = id && dev.crypto.dh(id.privateKey, publicKey);
    if (opts.presharedKey) this.setPresharedKey(peer, opts.presharedKey);
    peer.endpoint = opts.endpoint ?? null;
    peer.persistentKeepaliveInterval = opts.persistentKeepalive ?? 0;
    dev.peers.set(peer.id, peer);
    return peer;
  }

  /** Removes a peer and erases its sessions. */
  removePeer(peerOrKey: Peer<E> | Uint8Array): boolean {
    const peer = peerOrKey instanceof Peer ? peerOrKey : this.peer(peerOrKey);
    if (peer === undefined || peer.removed) return false;
    this.dev.zeroAndFlushAll(peer);
    peer.timers.stopAll();
    peer.removed = true;
    this.dev.peers.delete(peer.id);
    return true;
  }

  peer(publicKey: Uint8Array): Peer<E> | undefined {
    return this.dev.peers.get(toHex(publicKey));
  }

  peers(): IterableIterator<Peer<E>> {
    return this.dev.peers.values();
  }

  setPresharedKey(peer: Peer<E>, psk: Uint8Array | null): void {
    if (psk !== null && psk.length !== KEY_SIZE) throw new RangeError('A preshared key is 32 bytes.');
    peer.handshake.presharedKey = psk === null ? new Uint8Array(KEY_SIZE) : Uint8Array.from(psk);
  }

  /** Turning persistent keepalive on sends one keepalive immediately. */
  setPersistentKeepalive(peer: Peer<E>, seconds: number, now: number, wallNow: number): Action<E>[] {
    const old = peer.persistentKeepaliveInterval;
    peer.persistentKeepaliveInterval = seconds;
    const out: Action<E>[] = [];
    if (seconds === 0) peer.timers.persistentKeepalive = Infinity;
    else if (old === 0 && !peer.removed) sendKeepalive(this.dev, peer, now, wallNow, out);
    return out;
  }

  setEndpoint(peer: Peer<E>, endpoint: E | null): void {
    peer.endpoint = endpoint;
  }

  /** Encapsulates an IP packet for `peer`, or stages it and starts a handshake.
   *  The packet is copied; the caller keeps its buffer. */
  send(peer: Peer<E>, ipPacket: Uint8Array, now: number, wallNow: number): Action<E>[] {
    const out: Action<E>[] = [];
    if (!peer.removed) sendPacket(this.dev, peer, ipPacket, now, wallNow, out);
    return out;
  }

  /** Processes one UDP datagram from `source`. Never throws on bad input.
   *  A transport datagram is decrypted IN PLACE and its write-tun packet is a
   *  view into `datagram`. */
  receive(datagram: Uint8Array, source: E, now: number, wallNow: number, ctx: ReceiveContext): Action<E>[] {
    const out: Action<E>[] = [];
    const type = messageType(datagram);
    if (type === 0) return out;
    if (type !== MESSAGE_TRANSPORT) {
      receiveHandshake(this.dev, datagram, type, source, now, wallNow, ctx.underLoad, out);
      return out;
    }
    const r = receiveTransport(this.dev, datagram, 0, datagram.length, source, now, wallNow, out, this.result);
    if (r.kind === 'data' && r.peer !== null) {
      out.push({
        type: 'write-tun', peer: r.peer,
        packet: datagram.subarray(r.offset, r.offset + r.length),
        source: datagram.subarray(r.sourceOffset, r.sourceOffset + r.sourceLength),
      });
    }
    return out;
  }

  /** Fast path for data: seals buf[off, off+len) in place. The caller reserves
   *  16 bytes before `off` (the header is written there) and 31 bytes after
   *  off+len (padding + tag). Returns the datagram length (it starts at
   *  off-16 and goes to peer.endpoint), or -1 if there is no usable session or
   *  packets are staged: then call `send`. Handshakes it triggers are appended
   *  to `out`. */
  encryptInto(peer: Peer<E>, buf: Uint8Array, off: number, len: number, now: number, wallNow: number,
    out: Action<E>[]): number {
    if (peer.removed) return -1;
    return encryptInto(this.dev, peer, buf, off, len, now, wallNow, out);
  }

  /** Fast path for a transport datagram in buf[off, off+len): decrypts in place.
   *  Other message types give a 'not-transport' drop: pass those to `receive`.
   *  The returned object is reused by the next call. */
  decryptInPlace(buf: Uint8Array, off: number, len: number, source: E, now: number, wallNow: number,
    out: Action<E>[]): DecryptResult<E> {
    return receiveTransport(this.dev, buf, off, len, source, now, wallNow, out, this.result);
  }

  /** Runs every timer whose deadline has passed. */
  tick(now: number, wallNow: number): Action<E>[] {
    const out: Action<E>[] = [];
    for (const peer of this.dev.peers.values()) {
      if (peer.timers.next() <= now) expireTimers(this.dev, peer, now, wallNow, out);
    }
    if (now - this.lastGc >= RATE_LIMITER_GC_INTERVAL) {
      this.lastGc = now;
      this.dev.rateLimiter.gc(now);
    }
    return out;
  }

  /** The earliest timer deadline (monotonic ms), Infinity when none is pending. */
  nextDeadline(): number {
    let next = Infinity;
    for (const peer of this.dev.peers.values()) {
      const t = peer.timers.next();
      if (t < next) next = t;
    }
    return next;
  }

  peerStats(peer: Peer<E>): PeerStats<E> {
    return {
      rxBytes: peer.rxBytes,
      txBytes: peer.txBytes,
      lastHandshakeWallMs: peer.lastHandshakeWallMs,
      endpoint: peer.endpoint,
      persistentKeepaliveInterval: peer.persistentKeepaliveInterval,
      stagedPackets: peer.staged.length,
    };
  }

  /** Erases every session of every peer (the interface went down). */
  resetSessions(): void {
    for (const peer of this.dev.peers.values()) {
      this.dev.zeroAndFlushAll(peer);
      peer.timers.stopAll();
      peer.handshake.lastSentHandshake = -Infinity;
    }
  }
}

/** Curve25519 clamping, as wg-go applies to every private key it is given. */
export function clamp(key: Uint8Array): Uint8Array {
  if (key.length !== KEY_SIZE) throw new RangeError('A WireGuard private key is 32 bytes.');
  const k = Uint8Array.from(key);
  k[0]! &= 248;
  k[31] = (k[31]! & 127) | 64;
  return k;
}
