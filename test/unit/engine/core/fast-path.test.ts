// encryptInto / decryptInPlace: the allocation-light data path, and the
// receive-pipeline order (decrypt, replay, roam, timers, trim) it implements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MESSAGE_TRANSPORT } from '../../../../tunnel-helper/src/engine/core/constants.js';
import { writeCounter } from '../../../../tunnel-helper/src/engine/core/messages.js';
import { CorePair, endpoint, ipv4Packet } from '../../../fakes/core-pair.js';

const PING = () => ipv4Packet('10.0.0.1', '10.0.0.2', 84);

function established(): CorePair {
  const p = new CorePair();
  p.handshake();
  return p;
}

test('encryptInto seals in place with the header in the headroom; decryptInPlace opens it', () => {
  const p = established();
  const buf = new Uint8Array(16 + 84 + 31 + 8).fill(0xee);
  buf.set(PING(), 16);
  const n = p.a.encryptInto(p.peerB, buf, 16, 84, p.now, p.wallNow, []);
  assert.equal(n, 128);
  assert.deepEqual([...buf.subarray(0, 8)], [MESSAGE_TRANSPORT, 0, 0, 0, ...buf.subarray(4, 8)]);
  assert.deepEqual([...buf.subarray(128)], new Array(buf.length - 128).fill(0xee), 'nothing written past the tag');
  const r = p.b.decryptInPlace(buf, 0, n, p.epA, p.now, p.wallNow, []);
  assert.deepEqual([r.kind, r.offset, r.length, r.ipVersion, r.sourceOffset, r.sourceLength], ['data', 16, 84, 4, 28, 4]);
  assert.equal(r.peer, p.peerA);
  assert.deepEqual(buf.subarray(16, 100), PING());
  assert.equal(p.peerA.rxBytes, 148 + 128 + 128);
});

test('encryptInto counts tx bytes and writes increasing counters', () => {
  const p = established();
  const tx = p.peerB.txBytes;
  const counters: number[] = [];
  for (let i = 0; i < 3; i++) {
    const buf = new Uint8Array(200);
    buf.set(PING(), 16);
    assert.equal(p.a.encryptInto(p.peerB, buf, 16, 84, p.now, p.wallNow, []), 128);
    counters.push(buf[8]!);
  }
  assert.deepEqual(counters, [1, 2, 3]);
  assert.equal(p.peerB.txBytes, tx + 3 * 128);
});

test('encryptInto declines without a usable session or while packets are staged', () => {
  const p = new CorePair();
  const buf = new Uint8Array(200);
  assert.equal(p.a.encryptInto(p.peerB, buf, 16, 84, p.now, p.wallNow, []), -1);
  p.drop.b = true;
  p.queue('a', PING()); // staged, handshake pending
  assert.equal(p.a.encryptInto(p.peerB, buf, 16, 84, p.now, p.wallNow, []), -1);
});

test('decryptInPlace reuses one result object and rejects non-transport messages', () => {
  const p = established();
  const r1 = p.b.decryptInPlace(new Uint8Array(148).fill(1, 0, 1), 0, 148, p.epA, p.now, p.wallNow, []);
  assert.equal(r1.reason, 'not-transport');
  const r2 = p.b.decryptInPlace(new Uint8Array(40).fill(4, 0, 1), 0, 40, p.epA, p.now, p.wallNow, []);
  assert.equal(r2.reason, 'unknown-index');
  assert.equal(r1, r2);
  const buf = new Uint8Array(200);
  buf.set(PING(), 16);
  const n = p.a.encryptInto(p.peerB, buf, 16, 84, p.now, p.wallNow, []);
  const r3 = p.b.decryptInPlace(buf, 0, n, p.epA, p.now, p.wallNow, []);
  assert.deepEqual([r3.kind, r3.reason], ['data', null], 'a previous drop reason does not leak into a success');
});

test('an authenticated packet from a new address roams the endpoint, even one allowed-IPs will drop', () => {
  const p = established();
  const before = p.eventsOf('b', 'endpoint-changed').length; // B learned A's address from the initiation
  const moved = endpoint('203.0.113.5', 7777);
  p.epA = moved;
  p.send('a', ipv4Packet('10.9.9.9', '10.0.0.2', 84)); // an inner source B's engine would refuse
  const roams = p.eventsOf('b', 'endpoint-changed').slice(before);
  assert.equal(roams.length, 1);
  assert.ok(roams[0]?.type === 'endpoint-changed' && roams[0].endpoint === moved);
  assert.equal(p.peerA.endpoint, moved);
  assert.deepEqual(p.tun.b.at(-1), ipv4Packet('10.9.9.9', '10.0.0.2', 84), 'the core leaves allowed-IPs to the engine');
  p.send('a', PING());
  assert.equal(p.eventsOf('b', 'endpoint-changed').length, before + 1, 'same address: no new event');
  const out = p.b.send(p.peerA, PING(), p.now, p.wallNow);
  assert.ok(out[0]?.type === 'send-datagram' && out[0].endpoint === moved);
});

test('a forged transport packet neither roams nor advances the replay window', () => {
  const p = established();
  const real = p.sent('a', MESSAGE_TRANSPORT)[0]!.data;
  const forged = Uint8Array.from(real);
  writeCounter(forged, 8, 100_000);
  const r = p.b.decryptInPlace(forged, 0, forged.length, endpoint('203.0.113.66', 1), p.now, p.wallNow, []);
  assert.equal(r.reason, 'decrypt-failed');
  assert.equal(p.peerA.endpoint?.key, p.epA.key);
  p.send('a', PING()); // counter 1, far below the forged 100000: still accepted
  assert.equal(p.tun.b.length, 2);
});

test('IPv6 packets are trimmed to the payload length plus 40', () => {
  const p = established();
  const v6 = new Uint8Array(60).fill(0x11);
  v6[0] = 0x60;
  v6[4] = 0;
  v6[5] = 20;
  v6.set(new Uint8Array(16).fill(0xfd), 8);
  const buf = new Uint8Array(16 + 60 + 31);
  buf.set(v6, 16);
  const n = p.a.encryptInto(p.peerB, buf, 16, 60, p.now, p.wallNow, []);
  assert.equal(n, 16 + 64 + 16);
  const r = p.b.decryptInPlace(buf, 0, n, p.epA, p.now, p.wallNow, []);
  assert.deepEqual([r.kind, r.length, r.ipVersion, r.sourceOffset, r.sourceLength], ['data', 60, 6, 24, 16]);
});

test('a malformed inner packet is dropped after authentication but still counted in rx', () => {
  const p = established();
  const bad = ipv4Packet('10.0.0.1', '10.0.0.2', 84);
  bad[2] = 1; // claims 340 bytes
  const rx = p.peerA.rxBytes;
  const out: Parameters<typeof p.b.decryptInPlace>[6] = [];
  const buf = new Uint8Array(16 + 84 + 31);
  buf.set(bad, 16);
  const n = p.a.encryptInto(p.peerB, buf, 16, 84, p.now, p.wallNow, []);
  const r = p.b.decryptInPlace(buf, 0, n, p.epA, p.now, p.wallNow, out);
  assert.deepEqual([r.kind, r.reason, r.peer === p.peerA], ['drop', 'bad-ip-packet', true]);
  assert.equal(p.peerA.rxBytes, rx + 96 + 32);
});
