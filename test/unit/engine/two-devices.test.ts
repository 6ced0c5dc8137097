// Two whole engines over in-memory TUN devices and sockets, with an injected
// clock and no root (the idea of wg-go's device_test.go TestTwoDevicePing,
// carried further): they handshake, ping both ways, rekey after two minutes,
// roam, keep the session alive and give up on a peer that never answers.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  KEEPALIVE_TIMEOUT, MAX_TIMER_HANDSHAKES, MESSAGE_TRANSPORT, REKEY_AFTER_TIME, REKEY_ATTEMPT_TIME,
  REKEY_TIMEOUT, REKEY_TIMEOUT_JITTER_MAX, TRANSPORT_MIN_SIZE,
} from '../../../tunnel-helper/src/engine/core/constants.js';
import { DevicePair } from './device-pair.js';

let pair: DevicePair | null = null;
afterEach(() => pair?.close());

/** Records the datagrams on the network, with the (manual) time they left. */
function wire(p: DevicePair): { from: number; data: Buffer; at: number }[] {
  const seen: { from: number; data: Buffer; at: number }[] = [];
  p.net.filter = (data, from) => {
    seen.push({ from: from.port, data, at: p.clock.now() });
    return true;
  };
  return seen;
}

test('two devices handshake and ping each other both ways', async () => {
  const p = (pair = new DevicePair());
  const ping = p.ping('a');
  assert.deepEqual([...await p.tun.b.nextWritten()], [...ping]);
  const pong = p.ping('b', 0xcd);
  assert.deepEqual([...await p.tun.a.nextWritten()], [...pong]);
  await p.settle();

  assert.deepEqual(p.eventTypes('a'), ['handshake-initiated', 'handshake-completed']);
  assert.deepEqual(p.eventTypes('b'), ['endpoint-changed', 'handshake-completed'], 'B learns A from its initiation');
  const a = p.peerOf('b');
  assert.equal(a.endpoint, `127.0.0.1:${p.device.a.listenPort}`);
  const wallMs = p.clock.wallNow();
  assert.deepEqual([a.lastHandshakeSec, a.lastHandshakeNsec], [Math.floor(wallMs / 1000), (wallMs % 1000) * 1e6]);
  // Both counted the same traffic: handshake messages plus two 128-byte data packets.
  assert.equal(p.peerOf('a').txBytes, p.peerOf('b').rxBytes);
  assert.equal(p.peerOf('a').rxBytes, p.peerOf('b').txBytes);
});

test('the initiator rekeys after two minutes, and traffic moves to the new session', async () => {
  const p = (pair = new DevicePair());
  const seen = wire(p);
  const dataIndexFromA = () => seen.filter((d) => d.from === p.device.a.listenPort && d.data[0] === MESSAGE_TRANSPORT
    && d.data.length > TRANSPORT_MIN_SIZE).map((d) => d.data.readUInt32LE(4));
  p.ping('a');
  await p.tun.b.nextWritten();
  await p.advance(REKEY_AFTER_TIME + 1);
  assert.deepEqual(p.eventTypes('a').filter((t) => t === 'handshake-completed').length, 1, 'no rekey while idle');

  p.ping('a');
  await p.tun.b.nextWritten();
  await p.settle();
  assert.equal(p.eventTypes('a').filter((t) => t === 'handshake-completed').length, 2, 'sending on an old session rekeys');
  p.ping('a');
  await p.tun.b.nextWritten();
  const [first, second, third] = dataIndexFromA();
  assert.equal(first, second, 'the packet that triggered the rekey still went out on the old session');
  assert.notEqual(third, first, 'the next one uses the new session');
});

test('roams to the address of the latest authenticated packet, and replies go there', async () => {
  const p = (pair = new DevicePair());
  p.ping('a');
  await p.tun.b.nextWritten();
  const before = p.peerOf('a').endpoint;

  p.set('b', ['listen_port=51999']); // B moves, as a laptop changing networks would
  p.ping('b');
  await p.tun.a.nextWritten();
  assert.equal(p.peerOf('a').endpoint, '127.0.0.1:51999');
  assert.deepEqual(p.events.a.filter((e) => e.type === 'endpoint-changed').map((e) => e.type === 'endpoint-changed' && [e.from, e.to]),
    [[before, '127.0.0.1:51999']]);
  const reply = p.ping('a', 0x11);
  assert.deepEqual([...await p.tun.b.nextWritten()], [...reply], 'the reply reached B at its new port');
});

test('a peer that received data and has nothing to send answers with a keepalive after 10 s', async () => {
  const p = (pair = new DevicePair());
  const seen = wire(p);
  p.ping('a');
  await p.tun.b.nextWritten();
  const dataAt = p.clock.now();
  await p.advance(KEEPALIVE_TIMEOUT * 2);
  const fromB = seen.filter((d) => d.from === p.device.b.listenPort && d.data[0] === MESSAGE_TRANSPORT);
  assert.deepEqual(fromB.map((d) => [d.data.length, d.at - dataAt]), [[TRANSPORT_MIN_SIZE, KEEPALIVE_TIMEOUT]]);
});

test('a peer that never answers gets an initiation every 5 s for 90 s, then the engine gives up', async () => {
  const p = (pair = new DevicePair());
  p.set('a', [`public_key=${Buffer.from(p.publicKey.b).toString('hex')}`, 'endpoint=127.0.0.1:9']); // nobody listens there
  p.ping('a');
  await p.advance(REKEY_ATTEMPT_TIME + 3 * REKEY_TIMEOUT);

  const initiations = p.events.a.filter((e) => e.type === 'handshake-initiated');
  const failed = p.events.a.find((e) => e.type === 'handshake-failed');
  assert.ok(failed?.type === 'handshake-failed');
  assert.equal(initiations.length, MAX_TIMER_HANDSHAKES + 2, 'the first, then a retry on each timeout until REKEY_ATTEMPT_TIME');
  assert.deepEqual(initiations.map((e) => e.type === 'handshake-initiated' && e.retry), [false, ...Array<boolean>(MAX_TIMER_HANDSHAKES + 1).fill(true)]);
  assert.equal(failed.attempts, initiations.length);
  for (let i = 1; i < initiations.length; i++) {
    const gap = initiations[i]!.wallMs - initiations[i - 1]!.wallMs;
    assert.ok(gap >= REKEY_TIMEOUT && gap < REKEY_TIMEOUT + REKEY_TIMEOUT_JITTER_MAX, `retry ${i} came ${gap} ms after the one before`);
  }
  assert.equal(p.device.a.bind.stats.packetsSent, initiations.length, 'each initiation went out');
});
