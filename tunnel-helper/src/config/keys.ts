// Curve25519 keys as `wg genkey`, `wg pubkey` and `wg genpsk` produce them:
// 32 bytes, written as 44 characters of standard base64 ending in one '='.
// Randomness comes from the global Web Crypto so the renderer can use it too.
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

/** Clamps in place, as WireGuard does to every private key it is given. */
export function clampPrivateKey(key: Uint8Array): Uint8Array {
  if (key.length !== KEY_LENGTH) throw new RangeError(`A key has 32 bytes, not ${key.length}.`);
  key[0] = (key[0] ?? 0) & 248;
  key[31] = ((key[31] ?? 0) & 127) | 64;
  return key;
}

export function generatePrivateKeyBytes(): Uint8Array {
  return clampPrivateKey(randomBytes(KEY_LENGTH));
}

/** X25519 base-point multiplication; the private key is clamped first, as WireGuard does. */
export function publicKeyBytes(privateKey: Uint8Array): Uint8Array {
  if (privateKey.length !== KEY_LENGTH) throw new RangeError(`A key has 32 bytes, not ${privateKey.length}.`);
  return x25519.getPublicKey(clampPrivateKey(privateKey.slice()));
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
 * Strict decoder matching `wg`'s key_from_base64: exactly 44 characters of the
 * standard alphabet, the last one '=', and no stray bits in the 43rd character.
 */
export function decodeKey(text: string): Uint8Array | null {
  if (text.length !== KEY_BASE64_LENGTH || text[KEY_BASE64_LENGTH - 1] !== '=') return null;
  const sextets: number[] = [];
  for (let i = 0; i < KEY_BASE64_LENGTH - 1; i++) {
    const v = DECODE.get(text[i] ?? '');
    if (v === undefined) return null;
    sextets.push(v);
  }
  // 43 sextets carry 258 bits; the 2 beyond 256 must be zero.
  if (((sextets[42] ?? 0) & 3) !== 0) return null;
  const out = new Uint8Array(KEY_LENGTH);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const s of sextets) {
    acc = ((acc << 6) | s) & 0xffff;
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

/** UAPI writes keys as 64 lower-case hex digits. */
export function keyToHex(key: string | Uint8Array): string {
  const bytes = typeof key === 'string' ? decodeKey(key) : key;
  if (!bytes || bytes.length !== KEY_LENGTH) throw new Error('Expected a 32-byte key.');
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Accepts 64 hex digits (either case) and returns base64, or null if malformed. */
export function hexToKey(hex: string): string | null {
  const bytes = hexToKeyBytes(hex);
  return bytes ? encodeKey(bytes) : null;
}

export function hexToKeyBytes(hex: string): Uint8Array | null {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return null;
  const out = new Uint8Array(KEY_LENGTH);
  for (let i = 0; i < KEY_LENGTH; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function isZeroKey(key: Uint8Array): boolean {
  return key.every((b) => b === 0);
}
