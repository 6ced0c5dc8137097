// The HKDF of the Noise framework instantiated with HMAC-BLAKE2s (whitepaper
// §5.4): prk = HMAC(key, input); t0 = HMAC(prk, 0x01);
// t1 = HMAC(prk, t0 || 0x02); t2 = HMAC(prk, t1 || 0x03).
import type { Crypto } from './crypto.js';

const ONE = Uint8Array.of(1);
const TWO = Uint8Array.of(2);
const THREE = Uint8Array.of(3);

export function kdf1(crypto: Crypto, key: Uint8Array, input: Uint8Array): Uint8Array {
  const prk = crypto.hmac(key, input);
  const t0 = crypto.hmac(prk, ONE);
  prk.fill(0);
  return t0;
}

export function kdf2(crypto: Crypto, key: Uint8Array, input: Uint8Array): [Uint8Array, Uint8Array] {
  const prk = crypto.hmac(key, input);
  const t0 = crypto.hmac(prk, ONE);
  const t1 = crypto.hmac(prk, t0, TWO);
  prk.fill(0);
  return [t0, t1];
}

export function kdf3(
  crypto: Crypto, key: Uint8Array, input: Uint8Array,
): [Uint8Array, Uint8Array, Uint8Array] {
  const prk = crypto.hmac(key, input);
  const t0 = crypto.hmac(prk, ONE);
  const t1 = crypto.hmac(prk, t0, TWO);
  const t2 = crypto.hmac(prk, t1, THREE);
  prk.fill(0);
  return [t0, t1, t2];
}
