// The data-path ciphers crypto-transport.ts chooses between, OpenSSL through
// koffi (crypto-openssl.ts) and node:crypto (crypto-node-aead.ts): each must
// produce exactly the bytes of the reference AEAD (nodeCrypto.seal, checked
// against RFC 8439 in crypto-node.test.ts), in place, and refuse tampering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeCrypto } from '../../../tunnel-helper/src/engine/crypto-node.js';
import { nodeAeadCipher } from '../../../tunnel-helper/src/engine/crypto-node-aead.js';
import { openSslTransportCipher } from '../../../tunnel-helper/src/engine/crypto-openssl.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const c = nodeCrypto;

// Both data-path backends must produce exactly the bytes of the reference AEAD.
// OpenSSL twice: the runtime's (Node's, which it exports for addons) and the system's libcrypto.
for (const [name, cipher] of [
  ['OpenSSL backend (the runtime\'s)', openSslTransportCipher('runtime')],
  ['OpenSSL backend (the system\'s libcrypto)', openSslTransportCipher('system')],
  ['node:crypto backend', nodeAeadCipher],
] as const) {
  test(`${name}: the transport cipher seals in place at an offset exactly as seal does, and opens it back`, () => {
    const key = c.hash(utf8('transport key'));
    const len = 1420;
    const plaintext = Uint8Array.from({ length: len }, (_, i) => (i * 7 + 3) & 0xff);
    for (const counter of [0n, 1n, 0xfffffffen, (1n << 60n) + 5n]) {
      const buf = new Uint8Array(16 + len + 16 + 8).fill(0xaa);
      buf.set(plaintext, 16);
      cipher.sealInPlace(key, counter, buf, 16, len);
      const expected = c.seal(key, counter, plaintext, new Uint8Array(0));
      assert.equal(hex(buf.subarray(16, 16 + len + 16)), hex(expected), `counter ${counter}`);
      assert.equal(hex(buf.subarray(0, 16)), 'aa'.repeat(16), 'bytes before the offset are untouched');
      assert.equal(hex(buf.subarray(16 + len + 16)), 'aa'.repeat(8), 'bytes after the tag are untouched');
      assert.equal(cipher.openInPlace(key, counter, buf, 16, len + 16), len);
      assert.equal(hex(buf.subarray(16, 16 + len)), hex(plaintext));
    }
  });

  test(`${name}: a keepalive seals to a bare 16-byte tag`, () => {
    const key = c.hash(utf8('keepalive key'));
    const buf = new Uint8Array(32);
    cipher.sealInPlace(key, 7n, buf, 16, 0);
    assert.equal(hex(buf.subarray(16)), hex(c.seal(key, 7n, new Uint8Array(0), new Uint8Array(0))));
    assert.equal(cipher.openInPlace(key, 7n, buf, 16, 16), 0);
  });

  test(`${name}: the transport cipher rejects tampering and wrong counters without touching the buffer`, () => {
    const key = c.hash(utf8('transport key'));
    const buf = new Uint8Array(16 + 100 + 16);
    buf.set(utf8('x'.repeat(100)), 16);
    cipher.sealInPlace(key, 42n, buf, 16, 100);
    for (const pos of [16, 70, 115, 116, 131]) {
      const bad = Uint8Array.from(buf);
      bad[pos]! ^= 0x80;
      const before = hex(bad);
      assert.equal(cipher.openInPlace(key, 42n, bad, 16, 116), -1, `bit flipped at ${pos}`);
      assert.equal(hex(bad), before, 'no unauthenticated plaintext is written');
    }
    assert.equal(cipher.openInPlace(key, 43n, Uint8Array.from(buf), 16, 116), -1);
    assert.equal(cipher.openInPlace(c.hash(utf8('other')), 42n, Uint8Array.from(buf), 16, 116), -1);
    assert.equal(cipher.openInPlace(key, 42n, Uint8Array.from(buf), 16, 15), -1);
  });
}
