// The per-peer timers of the whitepaper (§6) as deadlines, not JS timers
// (kernel timers.c, wg-go timers.go). Each deadline is a monotonic ms value,
// or Infinity when the timer is not pending. The hooks below are the events
// that arm and cancel them; `tick` (timer-expiry.ts) runs the expired ones.
//
//   event                            arms / cancels
//   handshake initiation sent        retransmitHandshake = now + 5 s + jitter
//   handshake complete               retransmitHandshake cancelled, attempts = 0
//   session derived                  zeroKeyMaterial = now + 540 s
//   data sent                        newHandshake = now + 15 s + jitter (if not pending)
//   any authenticated packet recv    newHandshake cancelled
//   data received                    sendKeepalive = now + 10 s (or note another is needed)
//   any authenticated packet sent    sendKeepalive cancelled
//   any authenticated packet either  persistentKeepalive = now + interval (if enabled)
//   network path changed, too soon   pathHandshake = last initiation + 20 ms
import type { Crypto } from './crypto.js';
import {
  KEEPALIVE_TIMEOUT, NEW_HANDSHAKE_AFTER, REKEY_TIMEOUT, REKEY_TIMEOUT_JITTER_MAX, ZERO_KEYS_AFTER,
} from './constants.js';

export class PeerTimers {
  retransmitHandshake = Infinity;
  sendKeepalive = Infinity;
  newHandshake = Infinity;
  zeroKeyMaterial = Infinity;
  persistentKeepalive = Infinity;
  /** An initiation owed to a network change that came within
   *  HANDSHAKE_INITIATION_RATE of the previous initiation (see path-change.ts). */
  pathHandshake = Infinity;
  /** Retransmissions of the current handshake so far. */
  handshakeAttempts = 0;
  /** Data arrived while a passive keepalive was already pending. */
  needAnotherKeepalive = false;
  /** keepKeyFreshReceiving fires only once per session. */
  sentLastMinuteHandshake = false;

  /** The earliest pending deadline. */
  next(): number {
    return Math.min(this.retransmitHandshake, this.sendKeepalive, this.newHandshake,
      this.zeroKeyMaterial, this.persistentKeepalive, this.pathHandshake);
  }

  stopAll(): void {
    this.retransmitHandshake = this.sendKeepalive = this.newHandshake = Infinity;
    this.zeroKeyMaterial = this.persistentKeepalive = this.pathHandshake = Infinity;
    this.handshakeAttempts = 0;
    this.needAnotherKeepalive = false;
    this.sentLastMinuteHandshake = false;
  }

  handshakeInitiated(now: number, jitter: number): void {
    this.retransmitHandshake = now + REKEY_TIMEOUT + jitter;
  }

  handshakeComplete(): void {
    this.retransmitHandshake = Infinity;
    this.handshakeAttempts = 0;
    this.sentLastMinuteHandshake = false;
  }

  sessionDerived(now: number): void {
    this.zeroKeyMaterial = now + ZERO_KEYS_AFTER;
  }

  dataSent(now: number, jitter: Jitter): void {
    if (this.newHandshake === Infinity) this.newHandshake = now + NEW_HANDSHAKE_AFTER + jitter.next();
  }

  dataReceived(now: number): void {
    if (this.sendKeepalive === Infinity) this.sendKeepalive = now + KEEPALIVE_TIMEOUT;
    else this.needAnotherKeepalive = true;
  }

  anyAuthenticatedPacketSent(): void {
    this.sendKeepalive = Infinity;
  }

  anyAuthenticatedPacketReceived(): void {
    this.newHandshake = Infinity;
  }

  /** `intervalSeconds` is the persistent keepalive interval, 0 when off. */
  anyAuthenticatedPacketTraversal(now: number, intervalSeconds: number): void {
    if (intervalSeconds > 0) this.persistentKeepalive = now + intervalSeconds * 1000;
  }
}

/** Random 0..REKEY_TIMEOUT_JITTER_MAX-1 ms, drawn from the injected Crypto in
 *  batches so arming a timer on the data path costs no call into it. */
export class Jitter {
  private pool: Uint8Array = new Uint8Array(0);
  private pos = 0;

  constructor(private readonly crypto: Crypto) {}

  next(): number {
    if (this.pos + 2 > this.pool.length) {
      this.pool = this.crypto.randomBytes(256);
      this.pos = 0;
    }
    const v = this.pool[this.pos]! | (this.pool[this.pos + 1]! << 8);
    this.pos += 2;
    return v % REKEY_TIMEOUT_JITTER_MAX;
  }
}
