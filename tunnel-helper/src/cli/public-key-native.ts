// X25519 public keys with node:crypto (OpenSSL), for validating a config in
// the CLI: the same result as @noble's, without its cold first call, which
// cost `wiredesk up` 40 ms or more of its start. Both clamp the scalar (RFC 7748).
import { createPrivateKey, createPublicKey } from 'node:crypto';

// DER wrappers of a raw 32-byte X25519 key (RFC 8410).
const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX_LENGTH = 12;

export function publicKeyNative(privateKey: Uint8Array): Uint8Array {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_X25519, privateKey]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(SPKI_PREFIX_LENGTH));
}
