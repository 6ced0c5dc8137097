import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { x25519 } from '@noble/curves/ed25519.js';
import { decodeKey, encodeKey, loadConfig } from '../../../shared/config/index.js';
import { x25519PublicKey } from '../../../tunnel-helper/src/engine/x25519-node.js';
import { nodeCrypto } from '../../../tunnel-helper/src/engine/crypto-node.js';

test('the native X25519 public key is @noble\'s, for clamped and unclamped private keys', () => {
  for (let i = 0; i < 50; i++) {
    const sk = new Uint8Array(randomBytes(32));
    if (i % 2 === 0) sk[0]! |= 7; // unclamped bits set: both must clamp
    assert.deepEqual(x25519PublicKey(sk), x25519.getPublicKey(sk));
  }
});

test('up\'s validation with the native key gives the same warning for a peer with the interface\'s own key', () => {
  const sk = new Uint8Array(randomBytes(32));
  const own = encodeKey(x25519.getPublicKey(sk));
  const text = `[Interface]\nPrivateKey = ${encodeKey(sk)}\n\n[Peer]\nPublicKey = ${own}\nAllowedIPs = 10.0.0.2/32\n`;
  const noble = loadConfig(text).diagnostics;
  const native = loadConfig(text, { publicKeyOf: x25519PublicKey }).diagnostics;
  assert.ok(noble.some((d) => d.severity === 'warning' && /own public key/.test(d.message)));
  assert.deepEqual(native, noble);
  assert.ok(decodeKey(own));
});

// (That generated keys are clamped is crypto-node.test.ts's.)
test('a generated key\'s public key and shared secrets are @noble\'s', () => {
  for (let i = 0; i < 20; i++) {
    const sk = nodeCrypto.generatePrivateKey();
    assert.deepEqual(x25519PublicKey(sk), x25519.getPublicKey(sk));
    const peer = x25519.utils.randomSecretKey();
    assert.deepEqual(nodeCrypto.dh(sk, x25519.getPublicKey(peer)), x25519.getSharedSecret(sk, x25519.getPublicKey(peer)));
  }
});

test('a key array overwritten in place is a new key: no KeyObject of its old bytes answers for it', () => {
  const sk = nodeCrypto.generatePrivateKey();
  const pub = new Uint8Array(x25519.getPublicKey(x25519.utils.randomSecretKey()));
  const before = nodeCrypto.dh(sk, pub);
  assert.deepEqual(x25519PublicKey(sk), x25519.getPublicKey(sk));
  sk.set(x25519.utils.randomSecretKey());
  assert.deepEqual(x25519PublicKey(sk), x25519.getPublicKey(sk));
  assert.deepEqual(nodeCrypto.dh(sk, pub), x25519.getSharedSecret(sk, pub));
  assert.notDeepEqual(nodeCrypto.dh(sk, pub), before);
  pub.set(x25519.getPublicKey(x25519.utils.randomSecretKey()));
  assert.deepEqual(nodeCrypto.dh(sk, pub), x25519.getSharedSecret(sk, pub));
  sk.fill(0); // an erased key: OpenSSL clamps zero to a valid scalar, as noble does
  assert.deepEqual(nodeCrypto.dh(sk, pub), x25519.getSharedSecret(sk, pub));
});
