// The whitepaper §6 timers, driven by an injected clock through tick/nextDeadline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorePair, ipv4Packet } from '../../../fakes/core-pair.js';
import { MESSAGE_INITIATION, MESSAGE_TRANSPORT } from '../../../../tunnel-helper/src/engine/core/constants.js';
import { readCounter } from '../../../../tunnel-helper/src/engine/core/messages.js';

const PING = () => ipv4Packet('10.0.0.1', '10.0.0.2', 84);
const PONG = () => ipv4Packet('10.0.0.2', '10.0.0.1', 84, 0xcd);

/** A handshake, then B answers, so neither side has a pending keepalive. */
function established(): CorePair {
  const p = new CorePair();
  p.handshake();
  p.send('b', PONG());
  return p;
}

test('the initiator rekeys on send once its keypair is older than 120 s', () => {
  const p = established();
  const first = p.peerB.keypairs.current;
  p.advance(119_000);
  p.send('a', PING());
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 1);
  p.advance(1_001);
  p.send('a', PING());
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 2);
  assert.notEqual(p.peerB.keypairs.current, first);
  assert.equal(p.eventsOf('a', 'handshake-completed').length, 2);
});

test('the responder does not rekey on time when it sends', () => {
  const p = established();
  p.advance(121_000);
  p.send('b', PONG());
  assert.equal(p.sent('b', MESSAGE_INITIATION).length, 0);
  assert.equal(p.tun.a.length, 2);
});

test('a keypair is unusable after 180 s: sending stages and initiates, receiving drops', () => {
  const p = established();
  p.advance(179_000);
  p.drop.a = true;
  p.send('b', PONG()); // B (responder) may still send at 179 s
  const late = p.sent('b', MESSAGE_TRANSPORT).at(-1)!.data;
  p.drop.a = false;
  p.advance(1_001);
  const r = p.a.decryptInPlace(Uint8Array.from(late), 0, late.length, p.epB, p.now, p.wallNow, []);
  assert.equal(r.reason, 'keypair-expired');
  p.drop.b = true;
  const actions = p.queue('b', PONG());
  assert.deepEqual(actions.filter((x) => x.type === 'send-datagram').map((x) =>
    x.type === 'send-datagram' && x.data[0]), [MESSAGE_INITIATION]);
  assert.equal(p.b.peerSnapshot(p.peerA).stagedPackets, 1);
});

test('handshake retransmits every 5 s plus 0-333 ms jitter, then gives up after 20 tries', () => {
  const p = new CorePair();
  p.drop.b = true;
  p.queue('a', PING());
  p.pump();
  p.advance(200_000);
  const times = p.sent('a', MESSAGE_INITIATION).map((w) => w.at);
  assert.equal(times.length, 20);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  assert.ok(gaps.every((g) => g >= 5_000 && g < 5_334), `gaps ${gaps}`);
  assert.ok(new Set(gaps).size > 1, 'jitter varies');
  const failed = p.eventsOf('a', 'handshake-failed');
  assert.equal(failed.length, 1);
  assert.equal(p.a.peerSnapshot(p.peerB).stagedPackets, 0);
  const retries = p.eventsOf('a', 'send-datagram').map((x) => x.type === 'send-datagram' && x.clearSource);
  assert.deepEqual(retries, [false, ...new Array<boolean>(19).fill(true)]);
});

test('a passive keepalive goes out 10 s after receiving data with nothing sent back', () => {
  const p = new CorePair();
  p.handshake();
  const t0 = p.now;
  p.advance(9_999);
  assert.equal(p.sent('b', MESSAGE_TRANSPORT).length, 0);
  p.advance(1);
  const ka = p.sent('b', MESSAGE_TRANSPORT);
  assert.deepEqual(ka.map((w) => [w.at - t0, w.data.length]), [[10_000, 32]]);
  p.advance(60_000);
  assert.equal(p.sent('b', MESSAGE_TRANSPORT).length, 1, 'only one keepalive per burst');
});

test('replying within 10 s cancels the passive keepalive', () => {
  const p = new CorePair();
  p.handshake();
  p.advance(5_000);
  p.send('b', PONG());
  p.advance(20_000);
  assert.deepEqual(p.sent('b', MESSAGE_TRANSPORT).map((w) => w.data.length), [128]);
});

test('persistent keepalive sends one at once when enabled, then every interval while idle', () => {
  const p = established();
  const t0 = p.now;
  p.run('a', p.a.setPersistentKeepalive(p.peerB, 25, p.now, p.wallNow));
  p.pump();
  p.advance(60_000);
  const ka = p.sent('a', MESSAGE_TRANSPORT).filter((w) => w.data.length === 32).map((w) => w.at - t0);
  assert.deepEqual(ka, [0, 25_000, 50_000]);
  p.run('a', p.a.setPersistentKeepalive(p.peerB, 0, p.now, p.wallNow));
  p.advance(60_000);
  assert.equal(p.sent('a', MESSAGE_TRANSPORT).filter((w) => w.data.length === 32).length, 3);
});

test('enabling persistent keepalive without a session starts a handshake', () => {
  const p = new CorePair();
  p.run('a', p.a.setPersistentKeepalive(p.peerB, 1, p.now, p.wallNow));
  p.pump();
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 1);
  assert.deepEqual(p.sent('a', MESSAGE_TRANSPORT).map((w) => w.data.length), [32]);
});

test('a new handshake starts 15 s after sending data if nothing comes back', () => {
  const p = established();
  p.drop.a = true;
  const t0 = p.now;
  p.send('a', PING());
  p.advance(14_999);
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 1);
  p.advance(400);
  const inits = p.sent('a', MESSAGE_INITIATION);
  assert.equal(inits.length, 2);
  const at = inits[1]!.at - t0;
  assert.ok(at >= 15_000 && at < 15_334, `at ${at}`);
  const last = p.eventsOf('a', 'send-datagram').at(-1);
  assert.ok(last?.type === 'send-datagram' && last.clearSource);
});

test('an initiator receiving on a 165 s old keypair initiates once', () => {
  const p = established();
  p.advance(165_001);
  p.send('b', PONG());
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 2);
  assert.equal(p.sent('b', MESSAGE_INITIATION).length, 0);
  assert.equal(p.eventsOf('a', 'handshake-completed').length, 2);
});

test('all keys are zeroed 540 s after the last handshake', () => {
  const p = established();
  p.advance(539_000);
  assert.equal(p.eventsOf('a', 'keys-zeroed').length, 0);
  assert.notEqual(p.peerB.keypairs.current, null);
  p.advance(1_000);
  assert.equal(p.eventsOf('a', 'keys-zeroed').length, 1);
  assert.equal(p.eventsOf('b', 'keys-zeroed').length, 1);
  const kps = p.peerB.keypairs;
  assert.deepEqual([kps.previous, kps.current, kps.next], [null, null, null]);
  assert.equal(p.a.nextDeadline(), Infinity);
  assert.equal(p.b.nextDeadline(), Infinity);
});

test('nextDeadline is the earliest pending timer, so an engine can sleep until it', () => {
  const p = new CorePair();
  assert.equal(p.a.nextDeadline(), Infinity);
  p.drop.b = true;
  p.queue('a', PING());
  const d = p.a.nextDeadline();
  assert.ok(d >= p.now + 5_000 && d < p.now + 5_334);
  assert.deepEqual(p.a.tick(d - 1, p.wallNow), []);
  assert.equal(p.a.tick(d, p.wallNow).filter((x) => x.type === 'send-datagram').length, 1);
});

test('2^60 messages on a keypair trigger a rekey; the reject limit stops sending', () => {
  const p = established();
  p.advance(5_000); // initiations are rate-limited to one per REKEY_TIMEOUT
  const kp = p.peerB.keypairs.current!;
  kp.sendNonce = 2 ** 60 + 1024;
  p.send('a', PING());
  const data = p.sent('a', MESSAGE_TRANSPORT).at(-2)!.data; // the ping; then the confirming keepalive
  assert.equal(readCounter(data, 8), 2n ** 60n + 1024n);
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 2);

  const q = established();
  q.advance(5_000);
  q.peerB.keypairs.current!.sendNonce = Number(2n ** 64n - 2n ** 13n);
  q.queue('a', PING());
  const out = q.eventsOf('a', 'send-datagram').slice(-1)[0];
  assert.ok(out?.type === 'send-datagram' && out.data[0] === MESSAGE_INITIATION);
  assert.equal(q.a.peerSnapshot(q.peerB).stagedPackets, 1);
});
