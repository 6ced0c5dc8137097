// UdpSender against the real kernel: UDP GSO trains, their fallbacks, and
// the queue that holds a batch while the socket buffer is full.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import koffi from 'koffi';
import { PacketVector } from '../../../tunnel-helper/src/engine/io/packet-vector.js';
import { Endpoint } from '../../../tunnel-helper/src/engine/core/endpoint.js';
import { E, sys } from '../../../tunnel-helper/src/engine/io/libc.js';
import { isRoot } from '../../support/netns.js';
import { bindIn, receive, receiver, twoNamespaces, vectorOf } from './udp-helpers.js';

const skip = isRoot() ? false : 'needs root for namespaces';

/** Makes the next `times` sendmmsg calls fail with `errno`, as the kernel would;
 *  later calls go through. Undone by `restore()` or when the test ends. */
function failSendmmsg(t: { after(fn: () => void): void }, errno: number, times: number): { calls(): number; restore(): void } {
  const real = sys.sendmmsg;
  let calls = 0;
  sys.sendmmsg = (fd, msgvec, vlen, flags) => {
    if (calls++ >= times) return real(fd, msgvec, vlen, flags);
    koffi.errno(errno);
    return -1;
  };
  const restore = () => { sys.sendmmsg = real; };
  t.after(restore);
  return { calls: () => calls, restore };
}

const train = (count: number, size: number) => Array.from({ length: count }, (_, i) => `${i}:`.padEnd(size, '.'));

test('a train of equal-size packets leaves as one GSO send and arrives as separate datagrams', { skip }, async (t) => {
  const { a, b } = twoNamespaces(t);
  const sender = bindIn(t, a);
  const receiverBind = bindIn(t, b);
  const words = [...train(100, 1452), 'short tail'];
  assert.equal(sender.bind.sendBatch(vectorOf(words), Endpoint.parse(`10.220.0.2:${receiverBind.port}`)), 101);
  const { packets } = await receive(receiver(receiverBind.receivers, 4), new PacketVector({ capacity: 128, headroom: 0 }), 101);
  assert.deepEqual(packets.map((p) => p.data), words);
  assert.equal(sender.bind.stats.packetsSent, 101);
  assert.deepEqual(sender.bind.gsoState(), [true, true]);
});

test('falls back to single datagrams, for good, when the kernel refuses GSO with EIO', { skip }, async (t) => {
  // Linux 6.11+ segments even without checksum offload, so the refusal older kernels
  // give on such routes (and on IPsec routes) is injected: the first sendmmsg fails with EIO.
  const { a, b } = twoNamespaces(t);
  const sender = bindIn(t, a);
  const receiverBind = bindIn(t, b);
  const eio = failSendmmsg(t, E.EIO, 1);
  const words = train(20, 1000);
  assert.equal(sender.bind.sendBatch(vectorOf(words), Endpoint.parse(`10.220.0.2:${receiverBind.port}`)), 20);
  eio.restore();
  const { packets } = await receive(receiver(receiverBind.receivers, 4), new PacketVector({ capacity: 32, headroom: 0 }), 20);
  assert.deepEqual(packets.map((p) => p.data), words);
  assert.equal(sender.bind.gsoState()[0], false, 'GSO is off for the IPv4 socket');
  assert.equal(sender.bind.stats.dropped, 0);
  assert.ok(eio.calls() >= 2);
});

test('sends packets larger than the route MTU one by one (fragmented) instead of failing GSO', { skip }, async (t) => {
  const { a, b } = twoNamespaces(t, 1280);
  const sender = bindIn(t, a);
  const receiverBind = bindIn(t, b);
  const words = train(10, 1400);
  assert.equal(sender.bind.sendBatch(vectorOf(words), Endpoint.parse(`10.220.0.2:${receiverBind.port}`)), 10);
  const { packets } = await receive(receiver(receiverBind.receivers, 4), new PacketVector({ capacity: 16, headroom: 0 }), 10);
  assert.deepEqual(packets.map((p) => p.data), words);
  assert.equal(sender.bind.gsoState()[0], true, 'EINVAL only affects that send');
});

test('a full socket buffer (EAGAIN) queues the rest of the batch and sends it, in order, once writable', { skip }, async (t) => {
  const { a, b } = twoNamespaces(t);
  const sender = bindIn(t, a);
  const receiverBind = bindIn(t, b);
  // EAGAIN is injected on the first two sendmmsg calls: loopback and veth rarely fill 7 MiB.
  failSendmmsg(t, E.EAGAIN, 2);
  const to = Endpoint.parse(`10.220.0.2:${receiverBind.port}`);
  const first = vectorOf(['one', 'two', 'three']);
  assert.equal(sender.bind.sendBatch(first, to), 3, 'queued packets count as sent');
  first.packet(0).write('XXX'); // the caller reuses its vector at once: the queue holds copies
  assert.equal(sender.bind.sendBatch(vectorOf(['four']), to), 1, 'later packets line up behind the queue');
  assert.equal(sender.bind.stats.queued, 2);
  const { packets } = await receive(receiver(receiverBind.receivers, 4), new PacketVector({ capacity: 8, headroom: 0 }), 4);
  assert.deepEqual(packets.map((p) => p.data), ['one', 'two', 'three', 'four']);
  assert.equal(sender.bind.stats.dropped, 0);
});
