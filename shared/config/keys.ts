// WireGuard's Curve25519 keys: 32 bytes, written as 44 characters of standard
// base64 ending in one '=' (`wg genkey`, `wg pubkey`, `wg genpsk`, .conf files)
// or as 64 hex digits (UAPI). The one clamp lives here too: core/, the engine,
// UAPI and `wg pubkey` all use it. Pure (no node:*, no Buffer): the renderer
// uses it too, and randomness comes from the global Web Crypto.
import { x25519 } from '@noble/curves/ed25519.js';

export const KEY_LENGTH = 32;
export const KEY_BASE64_LENGTH = 44;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Map<string, number>(Array.from(ALPHABET, (c, i) => [c, i]));

function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

/** A clamped copy: Curve25519 clamping, as WireGuard applies to every private key it is given. */
export function clampPrivateKey(key: Uint8Array): Uint8Array {
  if (key.length !== KEY_LENGTH) throw new RangeError(`A key has 32 bytes, not ${key.length}.`);
  const out = Uint8Array.from(key);
  out[0] = (out[0] ?? 0) & 248;
  out[31] = ((out[31] ?? 0) & 127) | 64;
  return out;
}

export function generatePrivateKeyBytes(): Uint8Array {
  return clampPrivateKey(randomBytes(KEY_LENGTH));
}

/** X25519 base-point multiplication; the private key is clamped first, as WireGuard does. */
export function publicKeyBytes(privateKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(clampPrivateKey(privateKey));
}

/** Preshared keys are plain random bytes; WireGuard never clamps them. */
export function generatePresharedKeyBytes(): Uint8Array {
  return randomBytes(KEY_LENGTH);
}

export function encodeKey(bytes: Uint8Array): string {
  if (bytes.length !== KEY_LENGTH) throw new RangeError(`A key has 32 bytes, not ${bytes.length}.`);
  let out = '';
  for (let i = 0; i < KEY_LENGTH; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    out += ALPHABET[b0 >> 2];
    out += ALPHABET[((b0 & 3) << 4) | (b1 >> 4)];
    // 32 bytes = 10 full groups + 2 bytes, so the last group has 3 characters and '='.
    out += ALPHABET[((b1 & 15) << 2) | (b2 >> 6)];
    out += i + 2 < KEY_LENGTH ? ALPHABET[b2 & 63] : '=';
  }
  return out;
}

/**
 * A key as `wg`'s key_from_base64 accepts it: 44 characters of the standard
 * alphabet, the last one '='. The other 43 carry 258 bits for 256, so the
 * 43rd must leave its low two bits zero (one of AEIMQUYcgkosw048).
 */
export const KEY_BASE64 = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** The 32 bytes of a key written as KEY_BASE64 allows, or null. */
export function decodeKey(text: string): Uint8Array | null {
  if (!KEY_BASE64.test(text)) return null;
  const out = new Uint8Array(KEY_LENGTH);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const c of text.slice(0, KEY_BASE64_LENGTH - 1)) {
    acc = ((acc << 6) | DECODE.get(c)!) & 0xffff;
    bits += 6;
    if (bits >= 8 && o < KEY_LENGTH) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

export function generatePrivateKey(): string {
  return encodeKey(generatePrivateKeyBytes());
}

export function generatePresharedKey(): string {
  return encodeKey(generatePresharedKeyBytes());
}

/** `wg pubkey`: throws on a malformed key, since there is no sensible output. */
export function publicKeyFromPrivate(privateKeyB64: string): string {
  const privateKey = decodeKey(privateKeyB64.trim());
  if (!privateKey) throw new Error('The private key must be 44 characters of base64 (32 bytes).');
  return encodeKey(publicKeyBytes(privateKey));
}

const HEX_DIGITS = '0123456789abcdef';
const BYTE_TO_HEX = Array.from({ length: 256 }, (_, b) => (HEX_DIGITS[b >> 4] ?? '') + (HEX_DIGITS[b & 15] ?? ''));

/** UAPI writes keys as 64 lower-case hex digits, as wg-go prints them. */
export function keyToHex(key: string | Uint8Array): string {
  const bytes = typeof key === 'string' ? decodeKey(key) : key;
  if (!bytes || bytes.length !== KEY_LENGTH) throw new Error('Expected a 32-byte key.');
  let out = '';
  for (const b of bytes) out += BYTE_TO_HEX[b];
  return out;
}

/** The value of one hex digit (either case, as Go's hex package reads it), or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** The 32 bytes of a 64-digit hex key (either case), or null if malformed. */
export function keyFromHex(hex: string): Uint8Array | null {
  if (hex.length !== 2 * KEY_LENGTH) return null;
  const out = new Uint8Array(KEY_LENGTH);
  for (let i = 0; i < KEY_LENGTH; i++) {
    const hi = hexDigit(hex.charCodeAt(2 * i));
    const lo = hexDigit(hex.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return null;
    out[i] = (hi << 4) | lo;
  }
  return out;
}

/** Accepts 64 hex digits (either case) and returns base64, or null if malformed. */
export function hexToKey(hex: string): string | null {
  const bytes = keyFromHex(hex);
  return bytes ? encodeKey(bytes) : null;
}

/** True for no key or the all-zero key, which UAPI uses for "none". Constant time. */
export function isZeroKey(key: Uint8Array | null): boolean {
  if (key === null) return true;
  let acc = 0;
  for (const b of key) acc |= b;
  return acc === 0;
}

/** Compares in constant time, so secrets do not leak through timing. */
export function keysEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
