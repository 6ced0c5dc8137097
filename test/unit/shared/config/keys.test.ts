import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { x25519 } from '@noble/curves/ed25519.js';
import {
  clampPrivateKey, decodeKey, encodeKey, generatePresharedKey, generatePrivateKey, generatePrivateKeyBytes,
  hexToKey, keyToHex, publicKeyBytes, publicKeyFromPrivate,
} from '../../../../shared/config/index.js';
import { KEYS } from './helpers.js';

const hex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// RFC 7748 §6.1.
const ALICE_PRIVATE = '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a';
const ALICE_PUBLIC = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
const BOB_PRIVATE = '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb';
const BOB_PUBLIC = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
const SHARED = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';

describe('X25519 (RFC 7748 §6.1)', () => {
  it("derives Alice's public key", () => assert.equal(toHex(publicKeyBytes(hex(ALICE_PRIVATE))), ALICE_PUBLIC));
  it("derives Bob's public key", () => assert.equal(toHex(publicKeyBytes(hex(BOB_PRIVATE))), BOB_PUBLIC));
  it('agrees on the shared secret from both sides', () => {
    assert.equal(toHex(x25519.getSharedSecret(hex(ALICE_PRIVATE), publicKeyBytes(hex(BOB_PRIVATE)))), SHARED);
    assert.equal(toHex(x25519.getSharedSecret(hex(BOB_PRIVATE), publicKeyBytes(hex(ALICE_PRIVATE)))), SHARED);
  });
  it('does not modify the private key it is given', () => {
    const sk = hex(ALICE_PRIVATE);
    publicKeyBytes(sk);
    assert.equal(toHex(sk), ALICE_PRIVATE);
  });
});

describe('key text as wg writes it', () => {
  it('derives the same public keys as wg pubkey', () => {
    for (const k of KEYS) assert.equal(publicKeyFromPrivate(k.priv), k.pub);
  });
  it('clamps generated private keys', () => {
    for (let i = 0; i < 20; i++) {
      const k = generatePrivateKeyBytes();
      assert.equal((k[0] ?? 0) & 7, 0);
      assert.equal((k[31] ?? 0) & 0xc0, 0x40);
    }
  });
  it('generates 44-character keys that decode again', () => {
    for (const key of [generatePrivateKey(), generatePresharedKey()]) {
      assert.match(key, /^[A-Za-z0-9+/]{43}=$/);
      assert.ok(decodeKey(key));
    }
    assert.notEqual(generatePrivateKey(), generatePrivateKey());
  });
  it('makes clamping visible: a key starting with "/" reads back starting with "+"', () => {
    const unclamped = `/${'A'.repeat(41)}A=`;
    const bytes = decodeKey(unclamped);
    assert.ok(bytes);
    const clamped = encodeKey(clampPrivateKey(bytes));
    assert.equal(clamped[0], '+');
    // k[31] = (k[31] & 127) | 64 shows up as the "E" in the last group.
    assert.equal(clamped, `+${'A'.repeat(40)}EA=`);
  });
  it('encodes and decodes 32 bytes losslessly', () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);
    assert.deepEqual(decodeKey(encodeKey(bytes)), bytes);
  });
  const rejected: [string, string][] = [
    ['43 characters', KEYS[0].pub.slice(1)],
    ['45 characters', `A${KEYS[0].pub}`],
    ['no trailing "="', `${KEYS[0].pub.slice(0, 43)}A`],
    ['a non-base64 character', `${KEYS[0].pub.slice(0, 10)}!${KEYS[0].pub.slice(11)}`],
    ['URL-safe base64', KEYS[0].pub.replace(/\//g, '_').replace(/\+/g, '-')],
    ['stray low bits in the 43rd character', `${KEYS[0].pub.slice(0, 42)}B=`],
    ['surrounding spaces', ` ${KEYS[0].pub}`],
    ['hex', '00'.repeat(32)],
  ];
  for (const [why, text] of rejected) {
    it(`decodeKey rejects a key with ${why}`, () => assert.equal(decodeKey(text), null));
  }
  it('converts to and from the lower-case hex UAPI uses', () => {
    const key = KEYS[1].pub;
    const h = keyToHex(key);
    assert.match(h, /^[0-9a-f]{64}$/);
    assert.equal(hexToKey(h), key);
    assert.equal(hexToKey(h.toUpperCase()), key);
    assert.equal(hexToKey(h.slice(1)), null);
    assert.equal(keyToHex(decodeKey(key) ?? new Uint8Array()), h);
  });
  it('refuses to derive a public key from a malformed private key', () => {
    assert.throws(() => publicKeyFromPrivate('not a key'), /44 characters/);
  });
});
