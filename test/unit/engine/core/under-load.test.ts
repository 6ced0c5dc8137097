// Which datagrams count toward the load that turns cookie replies on. The core
// asks ReceiveContext.underLoad, when it is a function, once for each
// initiation or response of its exact size whose mac1 is keyed by our public
// key, and for nothing else; the engine counts those questions. So junk of any
// size or type, forged mac1s and cookie replies cost nothing toward the load,
// and real (or mac1-valid) handshake messages count as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Action } from '../../../../tunnel-helper/src/engine/core/actions.js';
import { mac1Key } from '../../../../tunnel-helper/src/engine/core/cookie.js';
import {
  COOKIE_REPLY_SIZE, INITIATION_SIZE, MESSAGE_COOKIE_REPLY, MESSAGE_INITIATION, MESSAGE_RESPONSE, MESSAGE_TRANSPORT,
  RESPONSE_SIZE,
} from '../../../../tunnel-helper/src/engine/core/constants.js';
import { DeviceCore } from '../../../../tunnel-helper/src/engine/core/device-core.js';
import { nodeCrypto as crypto } from '../../../../tunnel-helper/src/engine/crypto-node.js';
import { transportCipher } from '../../../../tunnel-helper/src/engine/crypto-transport.js';
import { endpoint } from '../../../fakes/core-pair.js';

const NOW = 1_000_000;
const WALL = 1_700_000_000_000;
const SOURCE = endpoint('192.0.2.1', 40000);

/** A responder core whose underLoad question is counted; `answer` is what it replies. */
function responder() {
  const core = new DeviceCore(crypto, transportCipher);
  const sk = crypto.generatePrivateKey();
  core.setPrivateKey(sk);
  const pk = crypto.publicKey(sk);
  const state = { asked: 0, answer: false };
  const ctx = { underLoad: (now: number) => { assert.equal(now, NOW); state.asked++; return state.answer; } };
  const feed = (d: Uint8Array, from = SOURCE) => core.receive(d, from, NOW, WALL, ctx);
  return { core, sk, pk, state, feed };
}

/** `length` random bytes starting with the u32 little-endian `type` (as far as it fits). */
function junk(type: number, length: number, reserved = 0): Uint8Array {
  const b = crypto.randomBytes(length);
  const head = [type & 0xff, reserved & 0xff, (reserved >> 8) & 0xff, (reserved >> 16) & 0xff];
  for (let i = 0; i < Math.min(4, length); i++) b[i] = head[i]!;
  return b;
}

/** Writes a mac1 keyed by `receiverPub` over the message (and zeroes mac2), whatever its size. */
function withMac1(msg: Uint8Array, receiverPub: Uint8Array): Uint8Array {
  const at = msg.length - 32;
  msg.set(crypto.mac(mac1Key(crypto, receiverPub), msg.subarray(0, at)), at);
  msg.fill(0, at + 16);
  return msg;
}

function sentTypes(actions: Action[]): number[] {
  return actions.flatMap((a) => (a.type === 'send-datagram' || a.type === 'send-to-source' ? [a.data[0]!] : []));
}

test('junk of every size and every type byte never counts toward the load', () => {
  const r = responder();
  const sizes = [...Array.from({ length: 200 }, (_, i) => i), 1420, 1500, 65535];
  for (let type = 0; type <= 255; type++) {
    for (const size of sizes) {
      if ((type === MESSAGE_INITIATION && size === INITIATION_SIZE) || (type === MESSAGE_RESPONSE && size === RESPONSE_SIZE)) {
        continue; // exact-size handshake messages with random mac1: the next test
      }
      assert.deepEqual(r.feed(junk(type, size)), [], `type ${type}, ${size} bytes`);
    }
  }
  // The right sizes with nonzero reserved bytes are not those message types at all.
  for (const [type, size] of [[1, INITIATION_SIZE], [2, RESPONSE_SIZE], [3, COOKIE_REPLY_SIZE]] as const) {
    for (const reserved of [1, 0x100, 0x10000, 0xffffff]) r.feed(withMac1(junk(type, size, reserved), r.pk));
  }
  // Cookie replies of the exact size that match no handshake of ours.
  for (let i = 0; i < 100; i++) r.feed(junk(MESSAGE_COOKIE_REPLY, COOKIE_REPLY_SIZE));
  assert.equal(r.state.asked, 0);
});

test('initiations and responses of the exact size with a bad mac1 do not count', () => {
  const r = responder();
  const other = crypto.publicKey(crypto.generatePrivateKey());
  for (const [type, size] of [[MESSAGE_INITIATION, INITIATION_SIZE], [MESSAGE_RESPONSE, RESPONSE_SIZE]] as const) {
    for (let i = 0; i < 50; i++) assert.deepEqual(r.feed(junk(type, size)), []); // random mac1
    const zero = junk(type, size);
    zero.fill(0, size - 32);
    r.feed(zero);
    r.feed(withMac1(junk(type, size), other)); // mac1 for someone else's key
    for (const at of [0, 8, size - 33, size - 32, size - 17]) {
      const flipped = withMac1(junk(type, size), r.pk);
      flipped[at]! ^= 0x40;
      r.feed(flipped);
    }
    // Our mac1, but on a message one byte too long or too short.
    r.feed(withMac1(junk(type, size + 1), r.pk));
    r.feed(withMac1(junk(type, size - 1), r.pk));
  }
  assert.equal(r.state.asked, 0);
});

test('with no private key set, nothing has a valid mac1 and nothing counts', () => {
  const core = new DeviceCore(crypto, transportCipher);
  let asked = 0;
  const someKey = crypto.publicKey(crypto.generatePrivateKey());
  core.receive(withMac1(junk(MESSAGE_INITIATION, INITIATION_SIZE), someKey), SOURCE, NOW, WALL,
    { underLoad: () => { asked++; return false; } });
  assert.equal(asked, 0);
});

test('each initiation and response with a valid mac1 counts once, garbage inside or not', () => {
  const r = responder();
  for (let i = 0; i < 10; i++) r.feed(withMac1(junk(MESSAGE_INITIATION, INITIATION_SIZE), r.pk));
  for (let i = 0; i < 5; i++) r.feed(withMac1(junk(MESSAGE_RESPONSE, RESPONSE_SIZE), r.pk));
  assert.equal(r.state.asked, 15);
  // Under load, the same garbage earns cookie replies: it did count, and only it.
  r.state.answer = true;
  const replies = r.feed(withMac1(junk(MESSAGE_INITIATION, INITIATION_SIZE), r.pk));
  assert.deepEqual(sentTypes(replies), [MESSAGE_COOKIE_REPLY]);
  assert.equal(r.state.asked, 16);
});

test('a real initiation counts once; the answer picks a response or a cookie reply', () => {
  const r = responder();
  const initiator = new DeviceCore(crypto, transportCipher);
  const skI = crypto.generatePrivateKey();
  initiator.setPrivateKey(skI);
  r.core.addPeer(crypto.publicKey(skI));
  const toR = initiator.addPeer(r.pk, { endpoint: endpoint('192.0.2.2', 51820) })!;
  const initiation = () => {
    const a = initiator.send(toR, new Uint8Array(0), NOW, WALL).find((x) => x.type === 'send-datagram');
    assert.ok(a?.type === 'send-datagram' && a.data[0] === MESSAGE_INITIATION);
    return a.data;
  };
  const first = initiation();

  r.state.answer = true;
  const cookie = r.feed(first).find((a) => a.type === 'send-to-source');
  assert.ok(cookie?.type === 'send-to-source' && cookie.data[0] === MESSAGE_COOKIE_REPLY);
  assert.equal(r.state.asked, 1);
  // A cookie reply that decrypts is consumed, but the initiator does not count it.
  let askedI = 0;
  const got = initiator.receive(cookie.data, endpoint('192.0.2.2', 51820), NOW, WALL,
    { underLoad: () => { askedI++; return true; } });
  assert.ok(got.some((a) => a.type === 'cookie-received'));
  assert.equal(askedI, 0);

  r.state.answer = false;
  const answered = r.feed(first);
  assert.deepEqual(sentTypes(answered), [MESSAGE_RESPONSE]);
  assert.equal(r.state.asked, 2);
  // The real response counts at the initiator, which then confirms the session.
  const response = answered.find((a) => a.type === 'send-datagram')!;
  assert.ok(response.type === 'send-datagram');
  const done = initiator.receive(response.data, endpoint('192.0.2.2', 51820), NOW, WALL,
    { underLoad: () => { askedI++; return false; } });
  assert.deepEqual(sentTypes(done), [MESSAGE_TRANSPORT]);
  assert.ok(done.some((a) => a.type === 'handshake-completed'));
  assert.equal(askedI, 1);
});

test('a boolean context still works as before', () => {
  const r = responder();
  const msg = withMac1(junk(MESSAGE_INITIATION, INITIATION_SIZE), r.pk);
  assert.deepEqual(sentTypes(r.core.receive(msg, SOURCE, NOW, WALL, { underLoad: true })), [MESSAGE_COOKIE_REPLY]);
  assert.deepEqual(sentTypes(r.core.receive(Uint8Array.of(1), SOURCE, NOW, WALL, { underLoad: true })), []);
  assert.deepEqual(sentTypes(r.core.receive(msg, SOURCE, NOW, WALL, { underLoad: false })), []);
});
