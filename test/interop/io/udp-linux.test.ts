// LinuxUdpBind against the real kernel. Every socket is created inside a
// namespace the test makes (inNetns), so all traffic stays on its loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LinuxUdpBind } from '../../../tunnel-helper/src/engine/io/udp-linux.js';
import { SOL_SOCKET, SO_MARK, getIntSockopt } from '../../../tunnel-helper/src/engine/io/udp-socket-linux.js';
import { PacketVector } from '../../../tunnel-helper/src/engine/io/packet-vector.js';
import { Endpoint } from '../../../tunnel-helper/src/engine/core/endpoint.js';
import { BindClosedError, BindError } from '../../../tunnel-helper/src/engine/io/udp-bind.js';
import { isRoot, waitFor } from '../../support/netns.js';
import { inNetns } from './in-netns.js';
import { bindIn, namespace, receive, receiver, vectorOf } from './udp-helpers.js';

const skip = isRoot() ? false : 'needs root for namespaces';

test('opens IPv4 and IPv6 sockets on the same random port, or on the port asked for', { skip }, (t) => {
  const ns = namespace(t);
  const { port, receivers, bind } = bindIn(t, ns);
  assert.ok(port > 0);
  assert.equal(bind.port, port);
  assert.deepEqual(receivers.map((r) => r.family), [4, 6]);
  const sockets = ns.exec('ss', ['-Hulnp']);
  assert.match(sockets, new RegExp(`0\\.0\\.0\\.0:${port}\\b`));
  assert.match(sockets, new RegExp(`\\[::\\]:${port}\\b`));
  const fixed = bindIn(t, ns, 51820);
  assert.equal(fixed.port, 51820);
  assert.throws(() => inNetns(ns.name, () => new LinuxUdpBind().open(51820)),
    (e: unknown) => e instanceof BindError && e.errno === 98 && /already in use/.test(e.message));
});

test('retries the random port until it is free for IPv6 too', { skip }, async (t) => {
  const ns = namespace(t);
  // Two ephemeral ports, the first taken for IPv6 only: every random IPv4 pick of 50000 must be retried.
  ns.exec('sysctl', ['-qw', 'net.ipv4.ip_local_port_range=50000 50001']);
  const blocker = ns.spawn(process.execPath, ['-e', `const s=require('dgram').createSocket({type:'udp6',ipv6Only:true});
    s.bind(50000,'::',()=>console.log('ready'));`]);
  let out = '';
  blocker.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  await waitFor(() => out.includes('ready'), 5000, 'the IPv6 socket holding port 50000');
  for (let i = 0; i < 8; i++) {
    const bind = new LinuxUdpBind();
    const { port, receivers } = inNetns(ns.name, () => bind.open(0));
    bind.close();
    assert.equal(port, 50001);
    assert.equal(receivers.length, 2);
  }
});

test('sends and receives batches between two binds over IPv4 and IPv6 loopback', { skip }, async (t) => {
  const ns = namespace(t);
  const a = bindIn(t, ns);
  const b = bindIn(t, ns);
  const words = Array.from({ length: 100 }, (_, i) => `datagram-${i}`);
  for (const family of [4, 6] as const) {
    const to = Endpoint.parse(family === 4 ? `127.0.0.1:${b.port}` : `[::1]:${b.port}`);
    assert.equal(a.bind.sendBatch(vectorOf(words), to), 100);
    const rx = new PacketVector({ capacity: 64, headroom: 0 });
    const { packets, batches } = await receive(receiver(b.receivers, family), rx, 100);
    assert.deepEqual(packets.map((p) => p.data), words, 'in order, none lost');
    assert.ok(batches.some((n) => n > 1), `recvmmsg delivered batches (${batches.join(',')})`);
    const from = packets[0]!.from!;
    assert.equal(from.key, family === 4 ? `127.0.0.1:${a.port}` : `[::1]:${a.port}`);
    assert.ok(packets.every((p) => p.from === from), 'one interned endpoint per sender');
  }
  assert.equal(b.bind.stats.packetsReceived, 200);
  assert.equal(a.bind.stats.packetsSent, 200);
});

test('sends each packet to its own endpoint when none is given, across families', { skip }, async (t) => {
  const ns = namespace(t);
  const a = bindIn(t, ns);
  const b = bindIn(t, ns);
  const vec = vectorOf(['to-v4', 'to-v6', 'nowhere']);
  vec.endpoints[0] = Endpoint.parse(`127.0.0.1:${b.port}`);
  vec.endpoints[1] = Endpoint.parse(`[::1]:${b.port}`);
  vec.endpoints[2] = null;
  assert.equal(a.bind.sendBatch(vec, null), 2);
  assert.equal(a.bind.stats.dropped, 1, 'a packet without an endpoint is dropped');
  const rx = new PacketVector({ capacity: 4 });
  assert.equal((await receive(receiver(b.receivers, 4), rx, 1)).packets[0]!.data, 'to-v4');
  assert.equal((await receive(receiver(b.receivers, 6), rx, 1)).packets[0]!.data, 'to-v6');
});

test('applies the fwmark to both sockets, and to the sockets of a later rebind', { skip }, (t) => {
  const ns = namespace(t);
  const { bind } = bindIn(t, ns);
  const marks = () => bind.socketFds().map(({ fd }) => getIntSockopt(fd, SOL_SOCKET, SO_MARK));
  assert.deepEqual(marks(), [0, 0]);
  bind.setMark(51820);
  assert.deepEqual(marks(), [51820, 51820]);
  const { port } = inNetns(ns.name, () => bind.open(0));
  assert.ok(port > 0);
  assert.deepEqual(marks(), [51820, 51820], 'a rebind keeps the mark');
  bind.setMark(0);
  assert.deepEqual(marks(), [0, 0]);
});

test('replies leave from the address the peer sent to (sticky source via PKTINFO)', { skip }, async (t) => {
  const ns = namespace(t);
  ns.exec('ip', ['addr', 'add', '10.210.0.1/32', 'dev', 'lo']);
  ns.exec('ip', ['addr', 'add', '10.210.0.2/32', 'dev', 'lo']);
  const a = bindIn(t, ns);
  const b = bindIn(t, ns);
  const rx = new PacketVector({ capacity: 4, headroom: 0 });
  // A sends from 10.210.0.1 to B's 10.210.0.2 (A pins its own source the same way).
  const bFromA = new Endpoint(Uint8Array.of(10, 210, 0, 2), b.port, 0, Uint8Array.of(10, 210, 0, 1), 0);
  a.bind.sendBatch(vectorOf(['hello']), bFromA);
  const got = await receive(receiver(b.receivers, 4), rx, 1);
  const peerA = got.packets[0]!.from!;
  assert.equal(peerA.key, `10.210.0.1:${a.port}`);
  assert.equal(peerA.srcToString(), '10.210.0.2', 'B learned which of its addresses A targeted');
  assert.ok(peerA.srcIfIndex > 0);
  b.bind.sendBatch(vectorOf(['reply']), peerA);
  const reply = await receive(receiver(a.receivers, 4), rx, 1);
  assert.equal(reply.packets[0]!.from!.key, `10.210.0.2:${b.port}`, 'the reply comes from the targeted address');
  // Without the sticky source the kernel picks the destination itself (10.210.0.1) for a local destination.
  b.bind.sendBatch(vectorOf(['plain']), peerA.withoutSource());
  assert.equal((await receive(receiver(a.receivers, 4), rx, 1)).packets[0]!.from!.key, `10.210.0.1:${b.port}`);
});

test('replies over IPv6 leave from the targeted address too', { skip }, async (t) => {
  const ns = namespace(t);
  ns.exec('ip', ['-6', 'addr', 'add', 'fd00:210::1/128', 'dev', 'lo', 'nodad']);
  ns.exec('ip', ['-6', 'addr', 'add', 'fd00:210::2/128', 'dev', 'lo', 'nodad']);
  const a = bindIn(t, ns);
  const b = bindIn(t, ns);
  const rx = new PacketVector({ capacity: 4, headroom: 0 });
  const ip = (s: string) => Endpoint.parse(`[${s}]:1`).ip;
  a.bind.sendBatch(vectorOf(['hello']), new Endpoint(ip('fd00:210::2'), b.port, 0, ip('fd00:210::1'), 0));
  const peerA = (await receive(receiver(b.receivers, 6), rx, 1)).packets[0]!.from!;
  assert.equal(peerA.key, `[fd00:210::1]:${a.port}`);
  assert.equal(peerA.srcToString(), 'fd00:210::2');
  b.bind.sendBatch(vectorOf(['reply']), peerA);
  assert.equal((await receive(receiver(a.receivers, 6), rx, 1)).packets[0]!.from!.key, `[fd00:210::2]:${b.port}`);
});

test('a sticky source that disappeared falls back to the kernel route instead of failing', { skip }, async (t) => {
  const ns = namespace(t);
  ns.exec('ip', ['addr', 'add', '10.211.0.1/32', 'dev', 'lo']);
  const a = bindIn(t, ns);
  const b = bindIn(t, ns);
  const gone = new Endpoint(Uint8Array.of(10, 211, 0, 1), a.port, 0, Uint8Array.of(10, 211, 0, 99), 1);
  assert.equal(b.bind.sendBatch(vectorOf(['still delivered']), gone), 1);
  const got = await receive(receiver(a.receivers, 4), new PacketVector({ capacity: 2 }), 1);
  assert.equal(got.packets[0]!.data, 'still delivered');
  assert.equal(b.bind.stats.dropped, 0);
});

test('a datagram too large for its slot arrives with length 0 and is counted as dropped', { skip }, async (t) => {
  const ns = namespace(t);
  const a = bindIn(t, ns);
  const b = bindIn(t, ns);
  a.bind.sendBatch(vectorOf(['x'.repeat(300), 'fits']), Endpoint.parse(`127.0.0.1:${b.port}`));
  const rx = new PacketVector({ capacity: 4, slotSize: 128, headroom: 0 });
  const { packets } = await receive(receiver(b.receivers, 4), rx, 2);
  assert.deepEqual(packets.map((p) => p.data), ['', 'fits']);
  assert.equal(b.bind.stats.dropped, 1);
});

test('closing or rebinding fails pending receives with BindClosedError', { skip }, async (t) => {
  const ns = namespace(t);
  const { bind, receivers } = bindIn(t, ns);
  const pending = receivers.map((r) => new Promise<Error | null>((resolve) => r.receiveBatch(new PacketVector({ capacity: 1 }), (e) => resolve(e))));
  const reopened = inNetns(ns.name, () => bind.open(0));
  for (const err of await Promise.all(pending)) assert.ok(err instanceof BindClosedError);
  const again = new Promise<Error | null>((resolve) => reopened.receivers[0]!.receiveBatch(new PacketVector({ capacity: 1 }), (e) => resolve(e)));
  bind.close();
  assert.ok((await again) instanceof BindClosedError);
  assert.equal(bind.port, 0);
  bind.close(); // idempotent
});
