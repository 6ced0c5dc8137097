// Production crypto for the core: Node's OpenSSL where it has the primitive
// (X25519, BLAKE2s-256, HMAC-BLAKE2s, ChaCha20-Poly1305) and @noble where it
// has not (keyed BLAKE2s-128, XChaCha20-Poly1305).
import { createCipheriv, createDecipheriv, createHash, createHmac, diffieHellman, randomBytes as nodeRandomBytes } from 'node:crypto';
import { blake2s } from '@noble/hashes/blake2.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import type { Crypto } from './core/crypto.js';
import { privateKeyObject, publicKeyObject, x25519PublicKey } from './x25519-node.js';
import { generatePrivateKeyBytes } from '../../../shared/config/keys.js';
import { AEAD_TAG_SIZE } from './core/constants.js';

function isZero(b: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < b.length; i++) acc |= b[i]!;
  return acc === 0;
}

/** nonce = 4 zero bytes || counter (u64 little-endian), written into a reused buffer. */
const nonceBuf = Buffer.alloc(12);
function nonceFor(counter: bigint): Buffer {
  nonceBuf.writeBigUInt64LE(counter, 4);
  return nonceBuf;
}

export const nodeCrypto: Crypto = {
  dh(privateKey, publicKey) {
    let secret: Buffer;
    try {
      secret = diffieHellman({ privateKey: privateKeyObject(privateKey), publicKey: publicKeyObject(publicKey) });
    } catch {
      return null; // OpenSSL refuses low-order points: the result would be zero.
    }
    return isZero(secret) ? null : new Uint8Array(secret);
  },
  publicKey: x25519PublicKey,
  generatePrivateKey: generatePrivateKeyBytes,
  randomBytes(n) {
    return new Uint8Array(nodeRandomBytes(n));
  },
  hash(...parts) {
    const h = createHash('blake2s256');
    for (const p of parts) h.update(p);
    return new Uint8Array(h.digest());
  },
  hmac(key, ...parts) {
    const h = createHmac('blake2s256', key);
    for (const p of parts) h.update(p);
    return new Uint8Array(h.digest());
  },
  mac(key, data) {
    return blake2s(data, { key, dkLen: 16 });
  },
  seal(key, counter, plaintext, ad) {
    const c = createCipheriv('chacha20-poly1305', key, nonceFor(counter), { authTagLength: AEAD_TAG_SIZE });
    c.setAAD(ad, { plaintextLength: plaintext.length });
    const head = c.update(plaintext);
    const tail = c.final();
    return new Uint8Array(Buffer.concat([head, tail, c.getAuthTag()]));
  },
  open(key, counter, ciphertext, ad) {
    if (ciphertext.length < AEAD_TAG_SIZE) return null;
    const body = ciphertext.subarray(0, ciphertext.length - AEAD_TAG_SIZE);
    const d = createDecipheriv('chacha20-poly1305', key, nonceFor(counter), { authTagLength: AEAD_TAG_SIZE });
    d.setAAD(ad, { plaintextLength: body.length });
    d.setAuthTag(ciphertext.subarray(body.length));
    try {
      const head = d.update(body);
      const tail = d.final();
      return new Uint8Array(Buffer.concat([head, tail]));
    } catch {
      return null;
    }
  },
  xseal(key, nonce, plaintext, ad) {
    return xchacha20poly1305(key, nonce, ad).encrypt(plaintext);
  },
  xopen(key, nonce, ciphertext, ad) {
    try {
      return xchacha20poly1305(key, nonce, ad).decrypt(ciphertext);
    } catch {
      return null;
    }
  },
};
