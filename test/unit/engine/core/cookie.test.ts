// mac1/mac2 and cookie replies (whitepaper §5.4.7), alone and between two cores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CookieChecker, CookieGenerator, sourceBytes } from '../../../../tunnel-helper/src/engine/core/cookie.js';
import {
  COOKIE_REPLY_SIZE, INITIATION_SIZE, MESSAGE_COOKIE_REPLY, MESSAGE_INITIATION, MESSAGE_RESPONSE,
} from '../../../../tunnel-helper/src/engine/core/constants.js';
import { DeviceCore } from '../../../../tunnel-helper/src/engine/core/device-core.js';
import { nodeCrypto as crypto } from '../../../../tunnel-helper/src/engine/crypto-node.js';
import { transportCipher } from '../../../../tunnel-helper/src/engine/crypto-transport.js';
import { CorePair, endpoint, ipv4Packet } from '../../../fakes/core-pair.js';

function pair() {
  const responderKey = crypto.publicKey(crypto.generatePrivateKey());
  const checker = new CookieChecker(crypto);
  checker.init(responderKey);
  const generator = new CookieGenerator(crypto, responderKey);
  const msg = crypto.randomBytes(INITIATION_SIZE);
  msg.set([MESSAGE_INITIATION, 0, 0, 0]);
  return { checker, generator, msg };
}

const SRC = sourceBytes(Uint8Array.of(192, 0, 2, 1), 51820);

test('mac1 written by the generator verifies; any changed byte fails it', () => {
  const { checker, generator, msg } = pair();
  generator.addMacs(msg, 0);
  assert.ok(checker.checkMac1(msg));
  for (const at of [0, 50, 115, 116, 131]) {
    const bad = Uint8Array.from(msg);
    bad[at]! ^= 1;
    assert.equal(checker.checkMac1(bad), false, `byte ${at}`);
  }
});

test('mac2 is zero until a cookie reply has been consumed, then valid for that source only', () => {
  const { checker, generator, msg } = pair();
  generator.addMacs(msg, 0);
  assert.deepEqual([...msg.subarray(132)], new Array(16).fill(0));
  assert.equal(checker.checkMac2(msg, SRC, 0), false);
  const reply = checker.createReply(msg, 0x01020304, SRC, 0)!;
  assert.equal(reply.length, COOKIE_REPLY_SIZE);
  assert.deepEqual([...reply.subarray(0, 8)], [3, 0, 0, 0, 4, 3, 2, 1]);
  assert.ok(generator.consumeReply(reply, 10));
  generator.addMacs(msg, 20);
  assert.ok(checker.checkMac2(msg, SRC, 20));
  assert.equal(checker.checkMac2(msg, sourceBytes(Uint8Array.of(192, 0, 2, 1), 51821), 20), false);
  assert.equal(checker.checkMac2(msg, sourceBytes(Uint8Array.of(192, 0, 2, 9), 51820), 20), false);
});

test('a cookie reply only decrypts against the mac1 of the last message sent', () => {
  const { checker, generator, msg } = pair();
  generator.addMacs(msg, 0);
  const reply = checker.createReply(msg, 1, SRC, 0)!;
  const other = Uint8Array.from(msg);
  other[10]! ^= 1;
  generator.addMacs(other, 1); // a newer message: its mac1 is the AD now
  assert.equal(generator.consumeReply(reply, 2), false);
});

test('a stored cookie fills mac2 for 120 s, then mac2 is zero again', () => {
  const { checker, generator, msg } = pair();
  generator.addMacs(msg, 0);
  assert.ok(generator.consumeReply(checker.createReply(msg, 1, SRC, 0)!, 0));
  generator.addMacs(msg, 120_000);
  assert.notDeepEqual([...msg.subarray(132)], new Array(16).fill(0));
  generator.addMacs(msg, 120_001);
  assert.deepEqual([...msg.subarray(132)], new Array(16).fill(0));
});

test('the responder secret expires after 120 s and a rotated secret rejects old cookies', () => {
  const { checker, generator, msg } = pair();
  generator.addMacs(msg, 0);
  assert.ok(generator.consumeReply(checker.createReply(msg, 1, SRC, 0)!, 0));
  generator.addMacs(msg, 0);
  assert.ok(checker.checkMac2(msg, SRC, 100_000));
  assert.equal(checker.checkMac2(msg, SRC, 120_001), false);
  checker.createReply(msg, 1, SRC, 120_001); // rotates the secret
  assert.equal(checker.checkMac2(msg, SRC, 120_001), false);
});

test('under load, an initiation without mac2 gets a cookie reply, and the retry with mac2 completes', () => {
  const p = new CorePair();
  p.underLoad.b = true;
  p.queue('a', ipv4Packet('10.0.0.1', '10.0.0.2', 84));
  p.pump();
  assert.deepEqual(p.wire.map((w) => [w.from, w.data[0], w.data.length]),
    [['a', MESSAGE_INITIATION, 148], ['b', MESSAGE_COOKIE_REPLY, 64]]);
  assert.equal(p.eventsOf('a', 'cookie-received').length, 1);
  assert.equal(p.peerA.rxBytes, 0);
  p.advance(5_400); // the retransmission carries mac2
  assert.deepEqual(p.wire.slice(2).map((w) => [w.from, w.data[0]]),
    [['a', MESSAGE_INITIATION], ['b', MESSAGE_RESPONSE], ['a', 4]]);
  assert.notDeepEqual([...p.sent('a', MESSAGE_INITIATION)[1]!.data.subarray(132)], new Array(16).fill(0));
  assert.equal(p.tun.b.length, 1);
});

test('under load, valid-mac2 handshakes from one IP are rate limited to a burst of 5', () => {
  const b = new DeviceCore(crypto, transportCipher);
  const skB = crypto.generatePrivateKey();
  b.setPrivateKey(skB);
  const epB = endpoint('192.0.2.2', 51820);
  let now = 1_000_000;
  const wall = 1_700_000_000_000;
  const initiators = Array.from({ length: 8 }, (_, i) => {
    const core = new DeviceCore(crypto, transportCipher);
    const sk = crypto.generatePrivateKey();
    core.setPrivateKey(sk);
    b.addPeer(crypto.publicKey(sk));
    return { core, peer: core.addPeer(crypto.publicKey(skB), { endpoint: epB })!, ep: endpoint('192.0.2.1', 40000 + i) };
  });
  const datagram = (actions: ReturnType<DeviceCore['send']>) => {
    const d = actions.find((x) => x.type === 'send-datagram');
    assert.ok(d?.type === 'send-datagram');
    return d.data;
  };
  // Round 1: every initiator earns a cookie.
  for (const x of initiators) {
    const out = b.receive(datagram(x.core.send(x.peer, new Uint8Array(0), now, wall)), x.ep, now, wall, { underLoad: true });
    const reply = out.find((y) => y.type === 'send-to-source');
    assert.ok(reply?.type === 'send-to-source' && reply.endpoint === x.ep);
    x.core.receive(reply.data, epB, now, wall, { underLoad: false });
  }
  // Round 2, all at the same instant with valid mac2: only the burst passes.
  now += 5_400;
  let responses = 0;
  for (const x of initiators) {
    const retry = x.core.tick(now, wall + 5_400);
    const out = b.receive(datagram(retry), x.ep, now, wall + 5_400, { underLoad: true });
    assert.equal(out.some((y) => y.type === 'send-to-source'), false);
    responses += out.filter((y) => y.type === 'send-datagram').length;
  }
  assert.equal(responses, 5);
});
