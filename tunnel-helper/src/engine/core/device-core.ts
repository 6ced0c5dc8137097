// DeviceCore: the protocol state of one WireGuard interface, as a value.
// Bytes, `now` (monotonic ms) and `wallNow` (wall-clock ms, for TAI64N and
// latest-handshake) go in; a list of actions comes out. No I/O, no clock, no
// timers: the engine calls `tick` at `nextDeadline()`.
//
//   engine                          DeviceCore
//   TUN packet for peer  ------->   send / encryptInto     --> send-datagram
//   UDP datagram         ------->   receive / decryptInPlace --> write-tun, send-*, endpoint-changed
//   deadline reached     ------->   tick                   --> keepalives, retries, keys-zeroed
//   path to peer moved   ------->   networkChanged         --> path-changed, initiations
import { clampPrivateKey } from '../../../../shared/config/keys.js';
import type { Crypto, TransportCipher } from './crypto.js';
import type { Action, DecryptResult } from './actions.js';
import type { Endpoint } from './endpoint.js';
import { DEFAULT_MTU, KEY_SIZE, MESSAGE_TRANSPORT } from './constants.js';
import { DeviceContext } from './device-context.js';
import { REJECT_AFTER_MESSAGES_NUMBER } from './keypair.js';
import { equalBytes, isZero, messageType, toHex } from './messages.js';
import { Peer } from './peer.js';
import { newDecryptResult, receiveHandshake, receiveTransport, type UnderLoad } from './receive.js';
import { encryptInto, sendKeepalive, sendPacket } from './send.js';
import { expireTimers } from './timer-expiry.js';
import { pathChanged } from './path-change.js';

export interface DeviceCoreOptions {
  /** The TUN MTU: padding never grows a packet beyond it. */
  mtu?: number;
}

export interface PeerOptions {
  presharedKey?: Uint8Array | null;
  endpoint?: Endpoint | null;
  /** Seconds; 0 disables. Use setPersistentKeepalive to also send one at once. */
  persistentKeepalive?: number;
}

/** A peer as wg(8) shows it, read from the core at one moment: what UAPI
 *  `get` reports, apart from the allowed IPs, which the engine routes by. */
export interface PeerSnapshot {
  readonly publicKey: Uint8Array;
  /** null when none is set. */
  readonly presharedKey: Uint8Array | null;
  readonly endpoint: Endpoint | null;
  /** Wall-clock ms since the epoch; 0 when no handshake has completed. */
  readonly latestHandshakeMs: number;
  readonly rxBytes: number;
  readonly txBytes: number;
  /** Seconds, 0 when off. */
  readonly persistentKeepaliveInterval: number;
  /** Packets waiting for a handshake. */
  readonly stagedPackets: number;
}

export interface ReceiveContext {
  /** The engine's handshake queue is deep (see UNDER_LOAD_QUEUE_DEPTH): demand cookies.
   *  A function is asked only for handshake messages that passed the size and
   *  mac1 checks: the ones an engine should count toward its load. */
  underLoad: UnderLoad;
}

const RATE_LIMITER_GC_INTERVAL = 1_000;

export class DeviceCore {
  private readonly dev: DeviceContext;
  private readonly result: DecryptResult = newDecryptResult();
  private lastGc = -Infinity;

  constructor(crypto: Crypto, cipher: TransportCipher, opts: DeviceCoreOptions = {}) {
    this.dev = new DeviceContext(crypto, cipher, opts.mtu ?? DEFAULT_MTU);
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
  setPrivateKey(privateKey: Uint8Array | null): Action[] {
    const dev = this.dev;
    const sk = privateKey === null || isZero(privateKey) ? null : clampPrivateKey(privateKey);
    const old = dev.identity;
    if (old === null ? sk === null : sk !== null && equalBytes(sk, 0, old.privateKey, 0, KEY_SIZE)) return [];
    const out: Action[] = [];
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
  addPeer(publicKey: Uint8Array, opts: PeerOptions = {}): Peer | null {
    if (publicKey.length !== KEY_SIZE) throw new RangeError('A WireGuard public key is 32 bytes.');
    const dev = this.dev;
    const id = dev.identity;
    if (id !== null && equalBytes(publicKey, 0, id.publicKey, 0, KEY_SIZE)) return null;
    const existing = dev.peers.get(toHex(publicKey));
    if (existing !== undefined) return existing;
    const peer = new Peer(dev.crypto, Uint8Array.from(publicKey), dev.deleteKeypair);
    peer.handshake.precomputedStaticStatic = id && dev.crypto.dh(id.privateKey, publicKey);
    if (opts.presharedKey) this.setPresharedKey(peer, opts.presharedKey);
    peer.endpoint = opts.endpoint ?? null;
    peer.persistentKeepaliveInterval = opts.persistentKeepalive ?? 0;
    dev.peers.set(peer.id, peer);
    return peer;
  }

  /** Removes a peer and erases its sessions. */
  removePeer(peerOrKey: Peer | Uint8Array): boolean {
    const peer = peerOrKey instanceof Peer ? peerOrKey : this.peer(peerOrKey);
    if (peer === undefined || peer.removed) return false;
    this.dev.zeroAndFlushAll(peer);
    peer.timers.stopAll();
    peer.removed = true;
    this.dev.peers.delete(peer.id);
    return true;
  }

  peer(publicKey: Uint8Array): Peer | undefined {
    return this.dev.peers.get(toHex(publicKey));
  }

  peers(): IterableIterator<Peer> {
    return this.dev.peers.values();
  }

  setPresharedKey(peer: Peer, psk: Uint8Array | null): void {
    if (psk !== null && psk.length !== KEY_SIZE) throw new RangeError('A preshared key is 32 bytes.');
    peer.handshake.presharedKey = psk === null ? new Uint8Array(KEY_SIZE) : Uint8Array.from(psk);
  }

  /** Turning persistent keepalive on sends one keepalive immediately. */
  setPersistentKeepalive(peer: Peer, seconds: number, now: number, wallNow: number): Action[] {
    const old = peer.persistentKeepaliveInterval;
    peer.persistentKeepaliveInterval = seconds;
    const out: Action[] = [];
    if (seconds === 0) peer.timers.persistentKeepalive = Infinity;
    else if (old === 0 && !peer.removed) sendKeepalive(this.dev, peer, now, wallNow, out);
    return out;
  }

  /** A tunnel coming up: a handshake at once, whose keepalive confirms the
   *  session to the peer, so its first packet finds keys rather than waiting
   *  for a handshake. As turning persistent keepalive on does. */
  handshakeNow(peer: Peer, now: number, wallNow: number): Action[] {
    const out: Action[] = [];
    if (!peer.removed && peer.endpoint !== null) sendKeepalive(this.dev, peer, now, wallNow, out);
    return out;
  }

  setEndpoint(peer: Peer, endpoint: Endpoint | null): void {
    peer.endpoint = endpoint;
  }

  /** Encapsulates an IP packet for `peer`, or stages it and starts a handshake.
   *  The packet is copied; the caller keeps its buffer. */
  send(peer: Peer, ipPacket: Uint8Array, now: number, wallNow: number): Action[] {
    const out: Action[] = [];
    if (!peer.removed) sendPacket(this.dev, peer, ipPacket, now, wallNow, out);
    return out;
  }

  /** Processes one UDP datagram from `source`. Never throws on bad input.
   *  A transport datagram is decrypted IN PLACE and its write-tun packet is a
   *  view into `datagram`. */
  receive(datagram: Uint8Array, source: Endpoint, now: number, wallNow: number, ctx: ReceiveContext): Action[] {
    const out: Action[] = [];
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
  encryptInto(peer: Peer, buf: Uint8Array, off: number, len: number, now: number, wallNow: number,
    out: Action[]): number {
    if (peer.removed) return -1;
    return encryptInto(this.dev, peer, buf, off, len, now, wallNow, out);
  }

  /** Fast path for a transport datagram in buf[off, off+len): decrypts in place.
   *  Other message types give a 'not-transport' drop: pass those to `receive`.
   *  The returned object is reused by the next call. */
  decryptInPlace(buf: Uint8Array, off: number, len: number, source: Endpoint, now: number, wallNow: number,
    out: Action[]): DecryptResult {
    return receiveTransport(this.dev, buf, off, len, source, now, wallNow, out, this.result);
  }

  /** The route or local address toward these peers' endpoints changed:
   *  clears their sticky sources and re-handshakes the ones in use at once
   *  (path-change.ts). */
  networkChanged(peers: Iterable<Peer>, now: number, wallNow: number): Action[] {
    const out: Action[] = [];
    for (const peer of peers) pathChanged(this.dev, peer, now, wallNow, out);
    return out;
  }

  /** Runs every timer whose deadline has passed. */
  tick(now: number, wallNow: number): Action[] {
    const out: Action[] = [];
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

  /** Copied out: later changes to the peer do not show in it. */
  peerSnapshot(peer: Peer): PeerSnapshot {
    const psk = peer.handshake.presharedKey;
    return {
      publicKey: Uint8Array.from(peer.publicKey),
      presharedKey: isZero(psk) ? null : Uint8Array.from(psk),
      endpoint: peer.endpoint,
      latestHandshakeMs: peer.latestHandshakeMs,
      rxBytes: peer.rxBytes,
      txBytes: peer.txBytes,
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
