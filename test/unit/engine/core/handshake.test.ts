// Two DeviceCores handshaking over the in-memory pair (test/fakes/core-pair.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorePair, ipv4Packet } from '../../../fakes/core-pair.js';
import {
  COOKIE_REPLY_SIZE, INITIATION_SIZE, MESSAGE_INITIATION, MESSAGE_RESPONSE, MESSAGE_TRANSPORT, RESPONSE_SIZE,
} from '../../../../tunnel-helper/src/engine/core/constants.js';
import { messageType } from '../../../../tunnel-helper/src/engine/core/messages.js';

const PING = () => ipv4Packet('10.0.0.1', '10.0.0.2', 84);
const PONG = () => ipv4Packet('10.0.0.2', '10.0.0.1', 84, 0xcd);

test('initiation (148), response (92) and first data (128) complete a handshake', () => {
  const p = new CorePair();
  p.send('a', PING());
  assert.deepEqual(p.wire.map((w) => [w.from, w.data[0], w.data.length]), [
    ['a', MESSAGE_INITIATION, INITIATION_SIZE],
    ['b', MESSAGE_RESPONSE, RESPONSE_SIZE],
    ['a', MESSAGE_TRANSPORT, 128],
  ]);
  assert.deepEqual(p.tun.b, [PING()]);
  assert.equal(p.eventsOf('a', 'handshake-completed').length, 1);
  assert.equal(p.eventsOf('b', 'handshake-completed').length, 1);
  assert.ok(p.peerA.latestHandshakeMs > 0 && p.peerB.latestHandshakeMs > 0);
});

test('the responder keeps its new keypair as next and sends only after the first data packet', () => {
  const p = new CorePair();
  p.queue('a', PING());
  p.step(); // initiation reaches B, B answers
  const kpB = p.peerA.keypairs;
  assert.equal(kpB.current, null);
  assert.notEqual(kpB.next, null);
  // B has a session but must not use it yet: its own packet is staged.
  const early = p.queue('b', PONG());
  assert.equal(early.filter((a) => a.type === 'send-datagram').length, 0);
  assert.equal(p.b.peerSnapshot(p.peerA).stagedPackets, 1);
  assert.equal(p.eventsOf('b', 'handshake-completed').length, 0);
  p.step(); // response reaches A: A derives, sends its staged ping
  p.step(); // ping reaches B: key confirmation
  assert.equal(kpB.next, null);
  assert.notEqual(kpB.current, null);
  assert.equal(p.eventsOf('b', 'handshake-completed').length, 1);
  p.pump(); // B's staged pong was flushed on confirmation
  assert.deepEqual(p.tun.a, [PONG()]);
  assert.deepEqual(p.tun.b, [PING()]);
});

test('data flows both ways and arrives trimmed to the IP length', () => {
  const p = new CorePair();
  p.handshake();
  for (let i = 0; i < 5; i++) {
    p.send('a', ipv4Packet('10.0.0.1', '10.0.0.2', 60 + i));
    p.send('b', ipv4Packet('10.0.0.2', '10.0.0.1', 1000 + i));
  }
  assert.deepEqual(p.tun.b.slice(1).map((x) => x.length), [60, 61, 62, 63, 64]);
  assert.deepEqual(p.tun.a.map((x) => x.length), [1000, 1001, 1002, 1003, 1004]);
  assert.deepEqual(p.tun.a[2], ipv4Packet('10.0.0.2', '10.0.0.1', 1002));
});

test('write-tun reports the inner source address for the allowed-IPs check', () => {
  const p = new CorePair();
  p.handshake();
  const w = p.eventsOf('b', 'write-tun')[0];
  assert.ok(w?.type === 'write-tun');
  assert.deepEqual([...w.source], [10, 0, 0, 1]);
  assert.equal(w.peer, p.peerA);
});

test('padding rounds data up to a multiple of 16, capped at the MTU', () => {
  const sizes = (mtu: number, lens: number[]) => {
    const p = new CorePair({ mtu });
    p.handshake();
    const before = p.sent('a', MESSAGE_TRANSPORT).length;
    for (const n of lens) p.send('a', ipv4Packet('10.0.0.1', '10.0.0.2', n));
    return p.sent('a', MESSAGE_TRANSPORT).slice(before).map((w) => w.data.length);
  };
  // 84 -> 96 -> 128; 1419 and 1420 pad only up to the 1420 MTU
  assert.deepEqual(sizes(1420, [84, 96, 97, 1419, 1420]), [128, 128, 144, 1452, 1452]);
  assert.deepEqual(sizes(90, [84, 90]), [122, 122]);
});

test('a keepalive is exactly 32 bytes and never padded', () => {
  const p = new CorePair();
  p.handshake();
  p.advance(10_000); // B received data and sent nothing: passive keepalive
  const keepalives = p.sent('b', MESSAGE_TRANSPORT);
  assert.deepEqual(keepalives.map((w) => w.data.length), [32]);
  assert.equal(p.tun.a.length, 0);
});

test('rx/tx counters match the kernel netns.sh 10-ping arithmetic (1372 / 1428, then 1460)', () => {
  const p = new CorePair({ presharedKey: new Uint8Array(32).fill(7) });
  for (let i = 0; i < 10; i++) {
    p.send('a', PING());
    p.send('b', PONG());
  }
  assert.deepEqual([p.peerB.rxBytes, p.peerB.txBytes], [92 + 10 * 128, 148 + 10 * 128]);
  assert.deepEqual([p.peerA.rxBytes, p.peerA.txBytes], [148 + 10 * 128, 92 + 10 * 128]);
  assert.deepEqual([p.peerB.rxBytes, p.peerB.txBytes], [1372, 1428]);
  p.advance(10_000); // A received the last pong: one passive keepalive
  assert.equal(p.a.peerSnapshot(p.peerB).txBytes, 1460);
  assert.equal(p.b.peerSnapshot(p.peerA).rxBytes, 1460);
  assert.ok(p.a.peerSnapshot(p.peerB).latestHandshakeMs > 0);
});

test('a handshake with a preshared key on both sides succeeds', () => {
  const p = new CorePair({ presharedKey: new Uint8Array(32).fill(0x42) });
  p.handshake();
  assert.deepEqual(p.tun.b, [PING()]);
});

test('a preshared key on one side only never yields a session', () => {
  const p = new CorePair();
  p.a.setPresharedKey(p.peerB, new Uint8Array(32).fill(1));
  p.handshake();
  assert.equal(p.sent('b', MESSAGE_RESPONSE).length, 1); // B cannot tell yet
  assert.equal(p.eventsOf('a', 'handshake-completed').length, 0);
  assert.equal(p.sent('a', MESSAGE_TRANSPORT).length, 0);
  assert.equal(p.tun.b.length, 0);
  // A can tell: B answered its initiation, so only the preshared keys can differ.
  assert.equal(p.eventsOf('a', 'handshake-response-invalid').length, 1);
});

test('an undecryptable response is reported once per initiation, however often it arrives', () => {
  const p = new CorePair();
  p.a.setPresharedKey(p.peerB, new Uint8Array(32).fill(1));
  p.handshake();
  const response = p.sent('b', MESSAGE_RESPONSE)[0]!.data;
  for (let i = 0; i < 5; i++) p.deliver('a', Uint8Array.from(response), p.epB);
  assert.equal(p.eventsOf('a', 'handshake-response-invalid').length, 1);
});

test('matching keys never report an invalid response', () => {
  const p = new CorePair({ presharedKey: new Uint8Array(32).fill(0x42) });
  p.handshake();
  assert.equal(p.eventsOf('a', 'handshake-response-invalid').length, 0);
  assert.equal(p.eventsOf('a', 'handshake-completed').length, 1);
});

test('a replayed transport packet is dropped', () => {
  const p = new CorePair();
  p.handshake();
  const data = p.sent('a', MESSAGE_TRANSPORT)[0]!.data;
  const actions = p.deliver('b', Uint8Array.from(data), p.epA);
  assert.equal(actions.length, 0);
  assert.equal(p.tun.b.length, 1);
  const r = p.b.decryptInPlace(Uint8Array.from(data), 0, data.length, p.epA, p.now, p.wallNow, []);
  assert.equal(r.reason, 'replay');
});

test('a replayed initiation (same timestamp) is dropped', () => {
  const p = new CorePair();
  p.handshake();
  const init = p.sent('a', MESSAGE_INITIATION)[0]!.data;
  const rx = p.peerA.rxBytes;
  p.now += 1000;
  const actions = p.deliver('b', Uint8Array.from(init), p.epA);
  assert.deepEqual(actions, []);
  assert.equal(p.peerA.rxBytes, rx);
});

test('a second valid initiation within 20 ms is dropped as a flood', () => {
  const p = new CorePair();
  const initiationFromA = () => {
    // A fresh core with A's key: its timestamps are newer, so only the flood rule can stop them.
    const q = new CorePair();
    q.a.setPrivateKey(p.skA);
    const peer = q.a.addPeer(p.pkB, { endpoint: p.epB })!;
    p.wallNow += 1000;
    const out = q.a.send(peer, PING(), p.now, p.wallNow);
    const sent = out.find((x) => x.type === 'send-datagram');
    assert.ok(sent?.type === 'send-datagram');
    return sent.data;
  };
  const responses = (actions: ReturnType<CorePair['deliver']>) =>
    actions.filter((x) => x.type === 'send-datagram' && x.data[0] === MESSAGE_RESPONSE).length;
  assert.equal(responses(p.deliver('b', initiationFromA(), p.epA)), 1);
  p.now += 20;
  assert.equal(responses(p.deliver('b', initiationFromA(), p.epA)), 0);
  p.now += 1;
  assert.equal(responses(p.deliver('b', initiationFromA(), p.epA)), 1);
});

test('a handshake message with a bad mac1 is dropped silently', () => {
  const p = new CorePair();
  p.queue('a', PING());
  const init = p.eventsOf('a', 'send-datagram')[0];
  assert.ok(init?.type === 'send-datagram');
  for (const at of [4, 20, 116, 131]) { // sender, ephemeral, first and last mac1 byte
    const bad: Uint8Array = Uint8Array.from(init.data);
    bad[at]! ^= 1;
    assert.deepEqual(p.deliver('b', bad, p.epA), []);
  }
  assert.equal(p.peerA.rxBytes, 0);
  assert.notEqual(p.deliver('b', Uint8Array.from(init.data), p.epA).length, 0);
});

test('messages of the wrong size are dropped', () => {
  const p = new CorePair();
  p.queue('a', PING());
  const init = p.eventsOf('a', 'send-datagram')[0];
  assert.ok(init?.type === 'send-datagram');
  const longer = new Uint8Array(INITIATION_SIZE + 1);
  longer.set(init.data);
  assert.deepEqual(p.deliver('b', longer, p.epA), []);
  assert.deepEqual(p.deliver('b', init.data.slice(0, INITIATION_SIZE - 1), p.epA), []);
  assert.equal(messageType(new Uint8Array(RESPONSE_SIZE + 1).fill(2, 0, 1)), 0);
  assert.equal(messageType(new Uint8Array(COOKIE_REPLY_SIZE - 1).fill(3, 0, 1)), 0);
  assert.equal(messageType(new Uint8Array(31).fill(4, 0, 1)), 0);
  assert.equal(messageType(new Uint8Array(32).fill(4, 0, 1)), MESSAGE_TRANSPORT);
  assert.equal(messageType(Uint8Array.of(1, 0, 0, 1, ...new Uint8Array(144))), 0); // reserved bytes must be zero
  assert.equal(p.peerA.rxBytes, 0);
});

test('garbage datagrams of every type and length never throw and leave the session intact', () => {
  const p = new CorePair();
  p.handshake();
  const real = p.wire.map((w) => w.data);
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
  for (let type = 0; type < 256; type++) {
    for (const len of [0, 1, 3, 4, 15, 16, 31, 32, 33, 63, 64, 65, 91, 92, 93, 147, 148, 149, 200, 1500]) {
      const d = new Uint8Array(len).map(() => rand() & 0xff);
      if (len > 0) d[0] = type;
      if (len > 3 && rand() & 1) d[1] = d[2] = d[3] = 0;
      p.deliver('b', d, p.epA);
      p.deliver('a', Uint8Array.from(d), p.epB);
    }
  }
  for (const r of real) {
    for (let cut = 0; cut <= r.length; cut += 7) p.deliver('b', r.slice(0, cut), p.epA);
    const flipped: Uint8Array = Uint8Array.from(r);
    flipped[flipped.length - 1]! ^= 0x80;
    p.deliver('b', flipped, p.epA);
  }
  const tunBefore = p.tun.b.length;
  p.send('a', PING());
  assert.equal(p.tun.b.length, tunBefore + 1);
});

test('up to 128 packets are staged while the handshake runs, then sent in order', () => {
  const p = new CorePair();
  p.drop.b = true;
  for (let i = 0; i < 130; i++) p.queue('a', ipv4Packet('10.0.0.1', '10.0.0.2', 40 + i));
  assert.equal(p.a.peerSnapshot(p.peerB).stagedPackets, 128);
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 0);
  p.pump();
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 1, 'one initiation per REKEY_TIMEOUT');
  p.drop.b = false;
  p.advance(5_400); // the retransmission gets through
  assert.deepEqual(p.tun.b.map((x) => x.length), Array.from({ length: 128 }, (_, i) => 42 + i));
  assert.equal(p.a.peerSnapshot(p.peerB).stagedPackets, 0);
});

test('handshakeNow: an initiation at once, and a keepalive that confirms the session; nothing without an endpoint', () => {
  const p = new CorePair();
  p.run('a', p.a.handshakeNow(p.peerB, p.now, p.wallNow));
  p.pump();
  assert.deepEqual(p.wire.map((w) => [w.from, w.data[0], w.data.length]), [
    ['a', MESSAGE_INITIATION, INITIATION_SIZE],
    ['b', MESSAGE_RESPONSE, RESPONSE_SIZE],
    ['a', MESSAGE_TRANSPORT, 32], // the keepalive: B's session is confirmed before any data
  ]);
  assert.equal(p.eventsOf('b', 'handshake-completed').length, 1);
  assert.deepEqual(p.tun.b, [], 'a keepalive writes nothing to the TUN');

  const q = new CorePair(); // B does not know A's endpoint
  assert.deepEqual(q.b.handshakeNow(q.peerA, q.now, q.wallNow), []);
});
