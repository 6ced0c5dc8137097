// The Noise_IKpsk2 pattern itself, without WireGuard's framing: no indices,
// no mac1/mac2, arbitrary payloads, any prologue, injected ephemeral keys.
// WireGuard is this pattern with prologue = identifier, an initiation payload
// of TAI64N and an empty response payload; keeping the layer separate lets the
// cacophony test vector check it directly.
//
//   <- s
//   ...
//   -> e, es, s, ss      (message 1: e || AEAD(s) || AEAD(payload))
//   <- e, ee, se, psk    (message 2: e || AEAD(payload))
//
// Because psk modes treat `e` as key material, every `e` token is also mixed
// into the chaining key (the `C = KDF1(C, E_pub)` steps of the paper).
import type { Crypto } from './crypto.js';
import { AEAD_TAG_SIZE, KEY_SIZE } from './constants.js';
import { kdf1, kdf2, kdf3 } from './kdf.js';

export const NOISE_CONSTRUCTION = 'Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s';
export const WG_IDENTIFIER = 'WireGuard v1 zx2c4 Jason@zx2c4.com';

/** Noise's (ck, h) pair. Mutated in place by the functions below. */
export interface SymmetricState {
  chainKey: Uint8Array;
  hash: Uint8Array;
}

const EMPTY = new Uint8Array(0);
const utf8 = new TextEncoder();

/** InitializeSymmetric(protocol name) then MixHash(prologue). For WireGuard
 *  the result is (Ci, Hi). */
export function initialState(crypto: Crypto, prologue: Uint8Array,
  protocolName: string = NOISE_CONSTRUCTION): SymmetricState {
  const name = utf8.encode(protocolName);
  let h: Uint8Array;
  if (name.length <= 32) {
    h = new Uint8Array(32);
    h.set(name);
  } else {
    h = crypto.hash(name);
  }
  return { chainKey: Uint8Array.from(h), hash: crypto.hash(h, prologue) };
}

export function cloneState(s: SymmetricState): SymmetricState {
  return { chainKey: Uint8Array.from(s.chainKey), hash: Uint8Array.from(s.hash) };
}

function mixHash(crypto: Crypto, s: SymmetricState, data: Uint8Array): void {
  s.hash = crypto.hash(s.hash, data);
}

function mixKey(crypto: Crypto, s: SymmetricState, ikm: Uint8Array): Uint8Array {
  const [ck, k] = kdf2(crypto, s.chainKey, ikm);
  s.chainKey = ck;
  return k;
}

/** `e` in a psk pattern: MixHash(e) and MixKey(e). */
function mixEphemeral(crypto: Crypto, s: SymmetricState, ephemeralPublic: Uint8Array): void {
  mixHash(crypto, s, ephemeralPublic);
  s.chainKey = kdf1(crypto, s.chainKey, ephemeralPublic);
}

function encryptAndHash(crypto: Crypto, s: SymmetricState, k: Uint8Array, plaintext: Uint8Array,
  out: Uint8Array, off: number): number {
  const c = crypto.seal(k, 0n, plaintext, s.hash);
  out.set(c, off);
  mixHash(crypto, s, c);
  return c.length;
}

function decryptAndHash(crypto: Crypto, s: SymmetricState, k: Uint8Array,
  ciphertext: Uint8Array): Uint8Array | null {
  const p = crypto.open(k, 0n, ciphertext, s.hash);
  if (p === null) return null;
  mixHash(crypto, s, ciphertext);
  return p;
}

/** Length of message 1 for a payload of `n` bytes. */
export const message1Length = (n: number) => KEY_SIZE + KEY_SIZE + AEAD_TAG_SIZE + n + AEAD_TAG_SIZE;
/** Length of message 2 for a payload of `n` bytes. */
export const message2Length = (n: number) => KEY_SIZE + n + AEAD_TAG_SIZE;

export interface Message1Input {
  localStaticPublic: Uint8Array;
  remoteStaticPublic: Uint8Array;
  ephemeralPrivate: Uint8Array;
  /** DH(s, rs), precomputed per peer by WireGuard. */
  staticStatic: Uint8Array;
  payload: Uint8Array;
}

/** Initiator: pre-message `rs`, then `e, es, s, ss` and the payload, written
 *  at out[off]. Returns false (and writes garbage) when a DH result is zero. */
export function writeMessage1(crypto: Crypto, s: SymmetricState, m: Message1Input,
  out: Uint8Array, off: number): boolean {
  mixHash(crypto, s, m.remoteStaticPublic);
  const e = crypto.publicKey(m.ephemeralPrivate);
  out.set(e, off);
  mixEphemeral(crypto, s, e);
  const es = crypto.dh(m.ephemeralPrivate, m.remoteStaticPublic);
  if (es === null) return false;
  let k = mixKey(crypto, s, es);
  off += KEY_SIZE;
  off += encryptAndHash(crypto, s, k, m.localStaticPublic, out, off);
  k = mixKey(crypto, s, m.staticStatic);
  encryptAndHash(crypto, s, k, m.payload, out, off);
  return true;
}

/** Responder, first half of message 1: `e, es, s`. Returns the initiator's
 *  static key, which the caller needs to find the peer (and its precomputed
 *  DH(s, rs)) before `readMessage1Payload` can continue. */
export function readMessage1Static(crypto: Crypto, s: SymmetricState,
  localStaticPrivate: Uint8Array, localStaticPublic: Uint8Array,
  msg: Uint8Array): { remoteEphemeral: Uint8Array; remoteStatic: Uint8Array } | null {
  if (msg.length < message1Length(0)) return null;
  mixHash(crypto, s, localStaticPublic);
  const e = msg.slice(0, KEY_SIZE);
  mixEphemeral(crypto, s, e);
  const es = crypto.dh(localStaticPrivate, e);
  if (es === null) return null;
  const k = mixKey(crypto, s, es);
  const remoteStatic = decryptAndHash(crypto, s, k,
    msg.subarray(KEY_SIZE, 2 * KEY_SIZE + AEAD_TAG_SIZE));
  if (remoteStatic === null) return null;
  return { remoteEphemeral: e, remoteStatic };
}

/** Responder, second half of message 1: `ss` and the payload. */
export function readMessage1Payload(crypto: Crypto, s: SymmetricState, staticStatic: Uint8Array,
  msg: Uint8Array): Uint8Array | null {
  const k = mixKey(crypto, s, staticStatic);
  return decryptAndHash(crypto, s, k, msg.subarray(2 * KEY_SIZE + AEAD_TAG_SIZE));
}

export interface Message2Input {
  ephemeralPrivate: Uint8Array;
  remoteEphemeral: Uint8Array;
  remoteStaticPublic: Uint8Array;
  presharedKey: Uint8Array;
  payload: Uint8Array;
}

/** Responder: `e, ee, se, psk` and the payload, written at out[off].
 *  Returns false when a DH result is zero. */
export function writeMessage2(crypto: Crypto, s: SymmetricState, m: Message2Input,
  out: Uint8Array, off: number): boolean {
  const e = crypto.publicKey(m.ephemeralPrivate);
  out.set(e, off);
  mixEphemeral(crypto, s, e);
  const ee = crypto.dh(m.ephemeralPrivate, m.remoteEphemeral);
  if (ee === null) return false;
  s.chainKey = kdf1(crypto, s.chainKey, ee);
  const se = crypto.dh(m.ephemeralPrivate, m.remoteStaticPublic);
  if (se === null) return false;
  s.chainKey = kdf1(crypto, s.chainKey, se);
  const k = mixKeyAndHash(crypto, s, m.presharedKey);
  encryptAndHash(crypto, s, k, m.payload, out, off + KEY_SIZE);
  return true;
}

/** Initiator: reads message 2. Returns the payload, or null. */
export function readMessage2(crypto: Crypto, s: SymmetricState, localEphemeralPrivate: Uint8Array,
  localStaticPrivate: Uint8Array, presharedKey: Uint8Array, msg: Uint8Array): Uint8Array | null {
  if (msg.length < message2Length(0)) return null;
  const e = msg.subarray(0, KEY_SIZE);
  mixEphemeral(crypto, s, e);
  const ee = crypto.dh(localEphemeralPrivate, e);
  if (ee === null) return null;
  s.chainKey = kdf1(crypto, s.chainKey, ee);
  const se = crypto.dh(localStaticPrivate, e);
  if (se === null) return null;
  s.chainKey = kdf1(crypto, s.chainKey, se);
  const k = mixKeyAndHash(crypto, s, presharedKey);
  return decryptAndHash(crypto, s, k, msg.subarray(KEY_SIZE));
}

/** `psk`: (ck, tau, k) = KDF3(ck, psk); MixHash(tau). */
function mixKeyAndHash(crypto: Crypto, s: SymmetricState, psk: Uint8Array): Uint8Array {
  const [ck, tau, k] = kdf3(crypto, s.chainKey, psk);
  s.chainKey = ck;
  mixHash(crypto, s, tau);
  return k;
}

/** Split(): the initiator sends with the first key, the responder with the second. */
export function split(crypto: Crypto, s: SymmetricState): [Uint8Array, Uint8Array] {
  return kdf2(crypto, s.chainKey, EMPTY);
}
