// X25519 keys as node:crypto (OpenSSL) objects: raw 32-byte private keys
// wrapped in their DER form (RFC 8410), public keys as JWKs. The engine's crypto uses it, and so does the
// CLI, which checks a config's keys without @noble's costly cold first call.
//
// OpenSSL 3 decodes a DER key slowly (about 0.4 ms, over 1 ms the first
// times), and a handshake uses each key more than once: the static key in
// every handshake, an ephemeral in three operations. So each raw key array
// keeps its KeyObject. A hit is checked against the bytes, which their owner
// may overwrite. (Keys are not generated as objects: Node 20 can deadlock
// exporting a key from generateKeyPairSync when a GC finalizes its generation
// job meanwhile, as both take the key's mutex. It did, in CI.)
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');

interface Known {
  readonly bytes: Uint8Array;
  readonly key: KeyObject;
  /** For a private key, its public key once asked for. */
  publicKey?: Uint8Array;
}

const privateKeys = new WeakMap<Uint8Array, Known>();
const publicKeys = new WeakMap<Uint8Array, Known>();

function known(cache: WeakMap<Uint8Array, Known>, raw: Uint8Array, decode: () => KeyObject): Known {
  const hit = cache.get(raw);
  if (hit && sameBytes(hit.bytes, raw)) return hit;
  const entry: Known = { bytes: Uint8Array.from(raw), key: decode() };
  cache.set(raw, entry);
  return entry;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function privateKeyObject(raw: Uint8Array): KeyObject {
  return known(privateKeys, raw, () => createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' })).key;
}

export function publicKeyObject(raw: Uint8Array): KeyObject {
  // As a JWK: for a public key its one member, and decoded several times faster than DER.
  return known(publicKeys, raw, () => createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(raw).toString('base64url') }, format: 'jwk' })).key;
}

/** The public key of a raw private key; OpenSSL clamps the scalar (RFC 7748). */
export function x25519PublicKey(privateKey: Uint8Array): Uint8Array {
  const entry = known(privateKeys, privateKey, () => createPrivateKey({ key: Buffer.concat([PKCS8_X25519, privateKey]), format: 'der', type: 'pkcs8' }));
  entry.publicKey ??= rawOf(createPublicKey(entry.key).export({ format: 'jwk' }).x);
  return Uint8Array.from(entry.publicKey);
}

function rawOf(base64url: string | undefined): Uint8Array {
  const bytes = Buffer.from(base64url ?? '', 'base64url');
  if (bytes.length !== 32) throw new Error('OpenSSL returned an X25519 key that is not 32 bytes');
  return new Uint8Array(bytes);
}
