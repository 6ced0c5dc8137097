// The Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s vector from snow's
// tests/vectors/cacophony.txt: fixed static and ephemeral keys, a PSK and the
// prologue "John Galt". It checks the Noise layer WireGuard is built on; the
// TAI64N payload and mac fields are WireGuard framing and tested elsewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  initialState, message1Length, message2Length, readMessage1Payload, readMessage1Static, readMessage2,
  split, writeMessage1, writeMessage2,
} from '../../../../tunnel-helper/src/engine/core/noise-ikpsk2.js';
import { nodeCrypto as crypto } from '../../../../tunnel-helper/src/engine/crypto-node.js';

const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const v = {
  prologue: '4a6f686e2047616c74',
  psk: '54686973206973206d7920417573747269616e20706572737065637469766521',
  initStatic: 'e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1',
  initEphemeral: '893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a',
  respStatic: '4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893',
  respEphemeral: 'bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b',
  handshakeHash: 'f5191b875290abcd41347ac3622d9679688a7e980229cb937ef748336cfde0e5',
  messages: [
    ['4c756477696720766f6e204d69736573', 'ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c7944001e21de9f98ddd8e2ad57527207feb56253c9c94a9e496782ecfcb2a75fbcaf1b52948cc48daefe660c62119ab5000980c84831215f2441eba616548e832985464cf17e51ee93109008399a21f7e13f'],
    ['4d757272617920526f746862617264', '95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f144808843cb765f2caef0751b8f007572dab0322217755c0632f365717edbf34d33e87a'],
    ['462e20412e20486179656b', '8153ca9833bc3c1b91a7e66e5f4d4f5b59bf9e64c2f20d15f0bba7'],
    ['4361726c204d656e676572', '07af0c9c86e1b4e80f36b04ff7688d51141af3debd0332f0a705ef'],
    ['4a65616e2d426170746973746520536179', '6ab1467c0448cc78394494abaaf23afce0e234315d6e2624dcbfa8a21c1c4d073d'],
    ['457567656e2042f6686d20766f6e2042617765726b', 'dfc346c0d2296ae6cf1acf6f12b8456a1dba228cf8d8b774aacf1c47fc53aa80ebc7a4c292'],
  ] as const,
};

function runVector() {
  const iS = bytes(v.initStatic);
  const rS = bytes(v.respStatic);
  const iSpub = crypto.publicKey(iS);
  const rSpub = crypto.publicKey(rS);
  const psk = bytes(v.psk);
  const prologue = bytes(v.prologue);
  const [m1, m2] = [v.messages[0], v.messages[1]];

  const init = initialState(crypto, prologue);
  const resp = initialState(crypto, prologue);

  const p1 = bytes(m1[0]);
  const msg1 = new Uint8Array(message1Length(p1.length));
  assert.ok(writeMessage1(crypto, init, {
    localStaticPublic: iSpub, remoteStaticPublic: rSpub, ephemeralPrivate: bytes(v.initEphemeral),
    staticStatic: crypto.dh(iS, rSpub)!, payload: p1,
  }, msg1, 0));

  const first = readMessage1Static(crypto, resp, rS, rSpub, msg1);
  assert.ok(first);
  const payload1 = readMessage1Payload(crypto, resp, crypto.dh(rS, first.remoteStatic)!, msg1);

  const p2 = bytes(m2[0]);
  const msg2 = new Uint8Array(message2Length(p2.length));
  assert.ok(writeMessage2(crypto, resp, {
    ephemeralPrivate: bytes(v.respEphemeral), remoteEphemeral: first.remoteEphemeral,
    remoteStaticPublic: first.remoteStatic, presharedKey: psk, payload: p2,
  }, msg2, 0));
  const payload2 = readMessage2(crypto, init, bytes(v.initEphemeral), iS, psk, msg2);
  return { init, resp, msg1, msg2, first, iSpub, payload1, payload2 };
}

test('cacophony IKpsk2: message 1 (e, es, s, ss + payload) is byte-identical', () => {
  const { msg1, first, iSpub, payload1 } = runVector();
  assert.equal(hex(msg1), v.messages[0][1]);
  assert.equal(hex(first.remoteStatic), hex(iSpub));
  assert.equal(hex(payload1!), v.messages[0][0]);
});

test('cacophony IKpsk2: message 2 (e, ee, se, psk + payload) is byte-identical', () => {
  const { msg2, payload2 } = runVector();
  assert.equal(hex(msg2), v.messages[1][1]);
  assert.equal(hex(payload2!), v.messages[1][0]);
});

test('cacophony IKpsk2: both sides reach the vector handshake hash', () => {
  const { init, resp } = runVector();
  assert.equal(hex(init.hash), v.handshakeHash);
  assert.equal(hex(resp.hash), v.handshakeHash);
});

test('cacophony IKpsk2: split keys encrypt the transport messages 3-6 exactly', () => {
  const { init, resp } = runVector();
  const [iSend, iRecv] = split(crypto, init);
  const [rRecv, rSend] = split(crypto, resp);
  assert.equal(hex(iSend), hex(rRecv));
  assert.equal(hex(iRecv), hex(rSend));
  const empty = new Uint8Array(0);
  for (let i = 2; i < v.messages.length; i++) {
    const [payload, ciphertext] = v.messages[i]!;
    const key = i % 2 === 0 ? iSend : rSend; // initiator sends 3 and 5, responder 4 and 6
    const nonce = BigInt(Math.floor((i - 2) / 2));
    assert.equal(hex(crypto.seal(key, nonce, bytes(payload), empty)), ciphertext);
  }
});

test('a responder with a different prologue cannot read message 1', () => {
  const prologue = bytes(v.prologue);
  const iS = bytes(v.initStatic);
  const rS = bytes(v.respStatic);
  const rSpub = crypto.publicKey(rS);
  const msg1 = new Uint8Array(message1Length(0));
  writeMessage1(crypto, initialState(crypto, prologue), {
    localStaticPublic: crypto.publicKey(iS), remoteStaticPublic: rSpub,
    ephemeralPrivate: bytes(v.initEphemeral), staticStatic: crypto.dh(iS, rSpub)!, payload: new Uint8Array(0),
  }, msg1, 0);
  const other = initialState(crypto, new TextEncoder().encode('John Gal'));
  assert.equal(readMessage1Static(crypto, other, rS, rSpub, msg1), null);
});
