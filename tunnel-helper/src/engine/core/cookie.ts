// mac1, mac2 and cookies (whitepaper §5.4.4, §5.4.7; wg-go cookie.go).
//
// Every handshake message ends in mac1 || mac2:
//   mac1 = MAC(HASH("mac1----" || S_receiver_pub), msg up to mac1)   always
//   mac2 = MAC(cookie, msg up to mac2)                               zero without a fresh cookie
// A responder under load answers a message without a valid mac2 with a cookie
// reply instead of doing Diffie-Hellman:
//   cookie = MAC(R_m, source ip || port)          R_m: 32 random bytes, rotated every 120 s
//   reply  = XAEAD(HASH("cookie--" || S_responder_pub), random nonce, cookie, ad = mac1)
// MAC is keyed BLAKE2s-128, not HMAC.
import type { Crypto } from './crypto.js';
import { COOKIE_REFRESH_TIME, COOKIE_REPLY_SIZE, MESSAGE_COOKIE_REPLY } from './constants.js';
import {
  COOKIE_ENCRYPTED, COOKIE_NONCE, COOKIE_NONCE_SIZE, COOKIE_RECEIVER, MAC_SIZE, equalBytes, writeU32,
} from './messages.js';

const utf8 = new TextEncoder();
const LABEL_MAC1 = utf8.encode('mac1----');
const LABEL_COOKIE = utf8.encode('cookie--');

export function mac1Key(crypto: Crypto, publicKey: Uint8Array): Uint8Array {
  return crypto.hash(LABEL_MAC1, publicKey);
}

export function cookieKey(crypto: Crypto, publicKey: Uint8Array): Uint8Array {
  return crypto.hash(LABEL_COOKIE, publicKey);
}

/** The bytes a cookie binds to: source IP || port (big-endian). Only the
 *  responder ever computes it, so the encoding is ours to choose. */
export function sourceBytes(ip: Uint8Array, port: number): Uint8Array {
  const b = new Uint8Array(ip.length + 2);
  b.set(ip);
  b[ip.length] = port >>> 8;
  b[ip.length + 1] = port & 0xff;
  return b;
}

/** The responder side: checks macs and issues cookies. Keyed by OUR public key. */
export class CookieChecker {
  private mac1Key: Uint8Array | null = null;
  private encryptionKey: Uint8Array | null = null;
  private secret: Uint8Array = new Uint8Array(32);
  private secretSetAt = -Infinity;

  constructor(private readonly crypto: Crypto) {}

  init(publicKey: Uint8Array | null): void {
    this.mac1Key = publicKey && mac1Key(this.crypto, publicKey);
    this.encryptionKey = publicKey && cookieKey(this.crypto, publicKey);
    this.secretSetAt = -Infinity;
  }

  checkMac1(msg: Uint8Array): boolean {
    if (this.mac1Key === null) return false;
    const smac1 = msg.length - 2 * MAC_SIZE;
    const mac1 = this.crypto.mac(this.mac1Key, msg.subarray(0, smac1));
    return equalBytes(mac1, 0, msg, smac1, MAC_SIZE);
  }

  checkMac2(msg: Uint8Array, source: Uint8Array, now: number): boolean {
    if (now - this.secretSetAt > COOKIE_REFRESH_TIME) return false;
    const cookie = this.crypto.mac(this.secret, source);
    const smac2 = msg.length - MAC_SIZE;
    const mac2 = this.crypto.mac(cookie, msg.subarray(0, smac2));
    return equalBytes(mac2, 0, msg, smac2, MAC_SIZE);
  }

  /** A cookie reply to `msg` (an initiation or response whose mac1 was valid). */
  createReply(msg: Uint8Array, receiverIndex: number, source: Uint8Array, now: number): Uint8Array | null {
    if (this.encryptionKey === null) return null;
    if (now - this.secretSetAt > COOKIE_REFRESH_TIME) {
      this.secret = this.crypto.randomBytes(32);
      this.secretSetAt = now;
    }
    const cookie = this.crypto.mac(this.secret, source);
    const smac1 = msg.length - 2 * MAC_SIZE;
    const reply = new Uint8Array(COOKIE_REPLY_SIZE);
    writeU32(reply, 0, MESSAGE_COOKIE_REPLY);
    writeU32(reply, COOKIE_RECEIVER, receiverIndex);
    const nonce = this.crypto.randomBytes(COOKIE_NONCE_SIZE);
    reply.set(nonce, COOKIE_NONCE);
    reply.set(this.crypto.xseal(this.encryptionKey, nonce, cookie,
      msg.subarray(smac1, smac1 + MAC_SIZE)), COOKIE_ENCRYPTED);
    return reply;
  }
}

/** The initiator side, one per peer: fills mac1/mac2 and stores cookies.
 *  Keyed by the PEER's public key. */
export class CookieGenerator {
  private readonly mac1Key: Uint8Array;
  private readonly encryptionKey: Uint8Array;
  private cookie: Uint8Array = new Uint8Array(MAC_SIZE);
  private cookieSetAt = -Infinity;
  private lastMac1: Uint8Array | null = null;

  constructor(private readonly crypto: Crypto, peerPublicKey: Uint8Array) {
    this.mac1Key = mac1Key(crypto, peerPublicKey);
    this.encryptionKey = cookieKey(crypto, peerPublicKey);
  }

  /** Writes mac1, and mac2 if a cookie younger than COOKIE_REFRESH_TIME is held. */
  addMacs(msg: Uint8Array, now: number): void {
    const smac1 = msg.length - 2 * MAC_SIZE;
    const smac2 = msg.length - MAC_SIZE;
    const mac1 = this.crypto.mac(this.mac1Key, msg.subarray(0, smac1));
    msg.set(mac1, smac1);
    this.lastMac1 = mac1;
    if (now - this.cookieSetAt > COOKIE_REFRESH_TIME) {
      msg.fill(0, smac2);
      return;
    }
    msg.set(this.crypto.mac(this.cookie, msg.subarray(0, smac2)), smac2);
  }

  /** Decrypts a cookie reply to the last message we sent. */
  consumeReply(reply: Uint8Array, now: number): boolean {
    if (this.lastMac1 === null) return false;
    const cookie = this.crypto.xopen(this.encryptionKey,
      reply.subarray(COOKIE_NONCE, COOKIE_NONCE + COOKIE_NONCE_SIZE),
      reply.subarray(COOKIE_ENCRYPTED, COOKIE_REPLY_SIZE), this.lastMac1);
    if (cookie === null || cookie.length !== MAC_SIZE) return false;
    this.cookie = cookie;
    this.cookieSetAt = now;
    return true;
  }

  hasCookie(now: number): boolean {
    return now - this.cookieSetAt <= COOKIE_REFRESH_TIME;
  }
}
