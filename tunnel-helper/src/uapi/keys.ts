// Keys on the UAPI wire: 64 hex digits. wg-go decodes with Go's hex package
// (either case accepted) and always prints lowercase.

import type { Key } from './device-api.js';

export const KEY_LEN = 32;

const HEX_KEY = /^[0-9a-fA-F]{64}$/;

/** The 32 bytes of a 64-digit hex key, or null. */
export function keyFromHex(text: string): Key | null {
  if (!HEX_KEY.test(text)) return null;
  return Uint8Array.from(Buffer.from(text, 'hex'));
}

export function keyToHex(key: Key): string {
  return Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('hex');
}

export function isZeroKey(key: Key | null): boolean {
  if (key === null) return true;
  let acc = 0;
  for (const b of key) acc |= b;
  return acc === 0;
}

export function keysEqual(a: Key, b: Key): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** Curve25519 clamping, applied to every private key set over UAPI (wg-go noise-types.go). */
export function clampPrivateKey(key: Key): Key {
  const out = Uint8Array.from(key);
  out[0] = (out[0] ?? 0) & 248;
  out[31] = ((out[31] ?? 0) & 127) | 64;
  return out;
}
