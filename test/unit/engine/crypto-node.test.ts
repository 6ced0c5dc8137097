// Known-answer tests for the production crypto (engine/crypto-node.ts): every
// primitive WireGuard uses, against published vectors. Sources:
//   BLAKE2s-256        RFC 7693 Appendix B ("abc"), and the empty string
//   keyed BLAKE2s-128  Linux lib/crypto/blake2s-selftest.c blake2s_testvecs
//                      (the 16-byte-output entries), and the RFC 7693
//                      Appendix E self-test grand hash
//   HMAC-BLAKE2s       blake2s-selftest.c blake2s_hmac_testvecs, and the three
//                      KDF vectors of wireguard-go device/kdf_test.go
//   ChaCha20-Poly1305  RFC 8439 Appendix A.5 (its nonce 00000000‖0102030405060708
//                      is WireGuard's layout with counter 0x0807060504030201;
//                      §2.8.2's nonce starts 07000000, which no WireGuard
//                      counter can produce, so it is not used)
//   XChaCha20-Poly1305 draft-irtf-cfrg-xchacha-03 Appendix A.3.1
//   X25519             RFC 7748 §6.1, and the seven low-order points of the
//                      kernel's netns.sh
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blake2s } from '@noble/hashes/blake2.js';
import { nodeCrypto } from '../../../tunnel-helper/src/engine/crypto-node.js';

const h = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const c = nodeCrypto;

test('BLAKE2s-256 of "abc" matches RFC 7693 Appendix B', () => {
  assert.equal(hex(c.hash(utf8('abc'))), '508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982');
});

test('BLAKE2s-256 of the empty string, and of parts, is the hash of their concatenation', () => {
  assert.equal(hex(c.hash()), '69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9');
  assert.equal(hex(c.hash(new Uint8Array(0))), '69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9');
  assert.equal(hex(c.hash(utf8('a'), utf8(''), utf8('bc'))), hex(c.hash(utf8('abc'))));
});

// blake2s-selftest.c: key[0] = key[1] = 1, key[i] = key[i-2] + key[i-1] (mod 256);
// vector i hashes bytes 0..i-1 with the last (13 i mod 33) key bytes and
// outputs 1 + (i mod 32) bytes. These are its four 16-byte outputs.
const KERNEL_KEY = (() => {
  const k = new Uint8Array(32);
  k[0] = k[1] = 1;
  for (let i = 2; i < 32; i++) k[i] = (k[i - 2]! + k[i - 1]!) & 0xff;
  return k;
})();
const KERNEL_BUF = Uint8Array.from({ length: 256 }, (_, i) => i);

test('keyed BLAKE2s-128 (mac) matches the kernel blake2s self-test 16-byte vectors', () => {
  const vectors: Array<[number, string]> = [
    [15, '4fe0f95212da84b7abaeb0a6472ac7f5'],
    [47, 'a3504da51d0368e95778d604f1c394d8'],
    [79, 'b1dec9f5dbf32f4cd6417d39183ec7c3'],
    [111, '08975b80aec41d5077df1fd024f017c0'],
  ];
  for (const [i, want] of vectors) {
    const keylen = (13 * i) % 33;
    assert.equal(1 + (i % 32), 16);
    const key = KERNEL_KEY.subarray(32 - keylen);
    assert.equal(hex(c.mac(key, KERNEL_BUF.subarray(0, i))), want, `vector ${i} (key ${keylen} bytes)`);
  }
});

test('keyed BLAKE2s-128 is not the truncated 32-byte hash: the output length is in the parameter block', () => {
  const key = KERNEL_KEY;
  const data = utf8('mac1 input');
  assert.notEqual(hex(c.mac(key, data)), hex(blake2s(data, { key, dkLen: 32 }).subarray(0, 16)));
});

test('keyed BLAKE2s-128 with a 16-byte key (as mac2 uses) is part of the RFC 7693 Appendix E grand hash', () => {
  // RFC 7693 Appendix E: hash unkeyed and keyed digests of Fibonacci-generated
  // inputs for 4 output and 6 input lengths, then BLAKE2s-256 them all.
  const seq = (len: number, seed: number): Uint8Array => {
    const out = new Uint8Array(len);
    let a = Math.imul(0xdead4bad, seed) >>> 0;
    let b = 1;
    for (let i = 0; i < len; i++) {
      const t = (a + b) >>> 0;
      a = b;
      b = t;
      out[i] = t >>> 24;
    }
    return out;
  };
  const parts: Uint8Array[] = [];
  for (const outlen of [16, 20, 28, 32]) {
    for (const inlen of [0, 3, 64, 65, 255, 1024]) {
      const input = seq(inlen, inlen);
      parts.push(outlen === 32 ? c.hash(input) : blake2s(input, { dkLen: outlen }));
      const key = seq(outlen, outlen);
      parts.push(outlen === 16 ? c.mac(key, input) : blake2s(input, { key, dkLen: outlen }));
    }
  }
  assert.equal(hex(c.hash(...parts)), '6a411f08ce25adcdfb02aba641451cec53c598b24f4fc787fbdc88797f4c1dfe');
});

test('HMAC-BLAKE2s matches the kernel blake2s self-test HMAC vectors (short and long key)', () => {
  assert.equal(hex(c.hmac(KERNEL_KEY, KERNEL_BUF)),
    'cee1576982dcbf43ad564c70ed681696cfa473e8e8fc3279080a7582da3f0511');
  // A 256-byte key is longer than the 64-byte block, so HMAC hashes it first.
  assert.equal(hex(c.hmac(KERNEL_BUF, KERNEL_KEY)),
    '772f0c7141f44b2bb3c6b6f960dee4523866e8bf9b96c49f60d9243799d6ec31');
  assert.equal(hex(c.hmac(KERNEL_KEY, KERNEL_BUF.subarray(0, 100), KERNEL_BUF.subarray(100))),
    'cee1576982dcbf43ad564c70ed681696cfa473e8e8fc3279080a7582da3f0511', 'parts are concatenated');
});

/** WireGuard's HKDF over HMAC-BLAKE2s, as the whitepaper defines KDF1..3. */
function kdf3(key: Uint8Array, input: Uint8Array): [Uint8Array, Uint8Array, Uint8Array] {
  const prk = c.hmac(key, input);
  const t0 = c.hmac(prk, Uint8Array.of(1));
  const t1 = c.hmac(prk, t0, Uint8Array.of(2));
  const t2 = c.hmac(prk, t1, Uint8Array.of(3));
  return [t0, t1, t2];
}

test('HMAC-BLAKE2s reproduces all three wireguard-go KDF vectors', () => {
  const vectors = [
    ['746573742d6b6579', '746573742d696e707574',
      '6f0e5ad38daba1bea8a0d213688736f19763239305e0f58aba697f9ffc41c633',
      'df1194df20802a4fe594cde27e92991c8cae66c366e8106aaa937a55fa371e8a',
      'fac6e2745a325f5dc5d11a5b165aad08b0ada28e7b4e666b7c077934a4d76c24'],
    ['776972656775617264', '776972656775617264',
      '491d43bbfdaa8750aaf535e334ecbfe5129967cd64635101c566d4caefda96e8',
      '1e71a379baefd8a79aa4662212fcafe19a23e2b609a3db7d6bcba8f560e3d25f',
      '31e1ae48bddfbe5de38f295e5452b1909a1b4e38e183926af3780b0c1e1f0160'],
    ['', '',
      '8387b46bf43eccfcf349552a095d8315c4055beb90208fb1be23b894bc2ed5d0',
      '58a0e5f6faefccf4807bff1f05fa8a9217945762040bcec2f4b4a62bdfe0e86e',
      '0ce6ea98ec548f8e281e93e32db65621c45eb18dc6f0a7ad94178610a2f7338e'],
  ] as const;
  for (const [key, input, ...want] of vectors) {
    assert.deepEqual(kdf3(h(key), h(input)).map(hex), want, `key "${key}"`);
  }
});

// RFC 8439 Appendix A.5.
const A5_KEY = h('1c9240a5eb55d38af333888604f6b5f0473917c1402b80099dca5cbc207075c0');
const A5_COUNTER = 0x0807060504030201n; // nonce 00000000 0102030405060708
const A5_AAD = h('f33388860000000000004e91');
const A5_PLAINTEXT = utf8('Internet-Drafts are draft documents valid for a maximum of six months and may be ' +
  'updated, replaced, or obsoleted by other documents at any time. It is inappropriate to use ' +
  'Internet-Drafts as reference material or to cite them other than as /\u201cwork in progress./\u201d');
const A5_CIPHERTEXT = h(`
  64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2
  4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf
  332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855
  9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4
  b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e
  af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a
  0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10
  49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29
  a6ad5cb4022b02709b`);
const A5_TAG = h('eead9d67890cbb22392336fea1851f38');

test('ChaCha20-Poly1305 open and seal match RFC 8439 Appendix A.5 through the counter nonce', () => {
  assert.equal(A5_PLAINTEXT.length, 265);
  const sealed = new Uint8Array([...A5_CIPHERTEXT, ...A5_TAG]);
  const opened = c.open(A5_KEY, A5_COUNTER, sealed, A5_AAD);
  assert.ok(opened, 'the RFC ciphertext authenticates');
  assert.equal(hex(opened), hex(A5_PLAINTEXT));
  assert.equal(hex(c.seal(A5_KEY, A5_COUNTER, A5_PLAINTEXT, A5_AAD)), hex(sealed));
});

test('ChaCha20-Poly1305 open rejects a flipped bit, a wrong counter, wrong AD and a short input', () => {
  const sealed = new Uint8Array([...A5_CIPHERTEXT, ...A5_TAG]);
  for (const pos of [0, 100, 264, 265, 280]) {
    const bad = Uint8Array.from(sealed);
    bad[pos]! ^= 0x01;
    assert.equal(c.open(A5_KEY, A5_COUNTER, bad, A5_AAD), null, `bit flipped at ${pos}`);
  }
  assert.equal(c.open(A5_KEY, A5_COUNTER + 1n, sealed, A5_AAD), null);
  assert.equal(c.open(A5_KEY, A5_COUNTER, sealed, new Uint8Array(0)), null);
  assert.equal(c.open(A5_KEY, A5_COUNTER, sealed.subarray(0, 15), A5_AAD), null);
});

test('XChaCha20-Poly1305 matches draft-irtf-cfrg-xchacha-03 A.3.1 and rejects tampering', () => {
  const key = h('808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f');
  const nonce = h('404142434445464748494a4b4c4d4e4f5051525354555657');
  const aad = h('50515253c0c1c2c3c4c5c6c7');
  const plaintext = utf8("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for " +
    'the future, sunscreen would be it.');
  const ciphertext = h(`
    bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb
    731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452
    2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9
    21f9664c97637da9768812f615c68b13b52e`);
  const tag = h('c0875924c1c7987947deafd8780acf49');
  const sealed = c.xseal(key, nonce, plaintext, aad);
  assert.equal(hex(sealed), hex(ciphertext) + hex(tag));
  assert.equal(hex(c.xopen(key, nonce, sealed, aad)!), hex(plaintext));
  const bad = Uint8Array.from(sealed);
  bad[bad.length - 1]! ^= 1;
  assert.equal(c.xopen(key, nonce, bad, aad), null);
  assert.equal(c.xopen(key, nonce, sealed, aad.subarray(1)), null);
});

test('X25519 matches RFC 7748 §6.1: both public keys and the shared secret', () => {
  const alicePriv = h('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
  const alicePub = h('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  const bobPriv = h('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
  const bobPub = h('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
  const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
  assert.equal(hex(c.publicKey(alicePriv)), hex(alicePub));
  assert.equal(hex(c.publicKey(bobPriv)), hex(bobPub));
  assert.equal(hex(c.dh(alicePriv, bobPub)!), shared);
  assert.equal(hex(c.dh(bobPriv, alicePub)!), shared);
});

test('X25519 returns null for all seven low-order points (kernel netns.sh peer keys)', () => {
  const points = [
    'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    '4Ot6fDtBuK4WVuP68Z/EatoJjeucMrH9hmIFFl9JuAA=', 'X5yVvKNQjCSx0LFVnIPvWwREXMRYHI6G2CJO3dCfEVc=',
    '7P///////////////////////////////////////38=', '7f///////////////////////////////////////38=',
    '7v///////////////////////////////////////38=',
  ].map((b64) => new Uint8Array(Buffer.from(b64, 'base64')));
  const priv = c.generatePrivateKey();
  for (const point of points) {
    assert.equal(point.length, 32);
    assert.equal(c.dh(priv, point), null, `low-order point ${hex(point)}`);
  }
  // A real peer key still works with the same private key.
  const other = c.generatePrivateKey();
  assert.equal(hex(c.dh(priv, c.publicKey(other))!), hex(c.dh(other, c.publicKey(priv))!));
});

test('generated private keys are clamped', () => {
  for (let i = 0; i < 32; i++) {
    const k = c.generatePrivateKey();
    assert.equal(k.length, 32);
    assert.equal(k[0]! & 7, 0);
    assert.equal(k[31]! & 0xc0, 0x40);
  }
});
