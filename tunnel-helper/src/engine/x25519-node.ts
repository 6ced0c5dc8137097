// X25519 keys as node:crypto (OpenSSL) objects: raw 32-byte keys wrapped in
// their DER forms (RFC 8410). The engine's crypto uses it, and so does the
// CLI, which checks a config's keys without @noble's costly cold first call.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

const PKCS8_X25519 = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519 = Buffer.from('302a300506032b656e032100', 'hex');

export function privateKeyObject(raw: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_X25519, raw]), format: 'der', type: 'pkcs8' });
}

export function publicKeyObject(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_X25519, raw]), format: 'der', type: 'spki' });
}

/** The public key of a raw private key; OpenSSL clamps the scalar (RFC 7748). */
export function x25519PublicKey(privateKey: Uint8Array): Uint8Array {
  const der = createPublicKey(privateKeyObject(privateKey)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}
