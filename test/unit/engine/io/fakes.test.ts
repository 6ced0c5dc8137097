import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelTun, createChannelBinds } from '../../../../tunnel-helper/src/engine/io/fakes.js';
import { PACKET_HEADROOM, PacketVector } from '../../../../tunnel-helper/src/engine/io/packet-vector.js';
import { TunClosedError, type TunDevice } from '../../../../tunnel-helper/src/engine/io/tun.js';
import { BindClosedError, type UdpReceiver } from '../../../../tunnel-helper/src/engine/io/udp-bind.js';

function readOnce(tun: TunDevice, vec: PacketVector): Promise<number> {
  return new Promise((resolve, reject) => tun.readBatch(vec, (err, n) => (err ? reject(err) : resolve(n))));
}

function receiveOnce(r: UdpReceiver, vec: PacketVector): Promise<number> {
  return new Promise((resolve, reject) => r.receiveBatch(vec, (err, n) => (err ? reject(err) : resolve(n))));
}

test('ChannelTun delivers injected packets in batches, at the headroom, never synchronously', async () => {
  const tun = new ChannelTun('wg0');
  for (let i = 0; i < 5; i++) tun.inject(Buffer.from(`packet ${i}`));
  const vec = new PacketVector({ capacity: 3 });
  let sync = true;
  const first = new Promise<number>((resolve) => tun.readBatch(vec, (_e, n) => resolve(sync ? -1 : n)));
  sync = false;
  assert.equal(await first, 3);
  assert.equal(vec.count, 3);
  assert.equal(vec.offsets[0], PACKET_HEADROOM);
  assert.deepEqual([0, 1, 2].map((i) => vec.packet(i).toString()), ['packet 0', 'packet 1', 'packet 2']);
  assert.equal(await readOnce(tun, vec), 2);
  assert.equal(vec.packet(1).toString(), 'packet 4');
  assert.equal(tun.stats.packetsRead, 5);
});

test('ChannelTun records written packets as copies, skipping empty slots', async () => {
  const tun = new ChannelTun();
  const vec = new PacketVector({ capacity: 3 });
  vec.push(Buffer.from('one'));
  vec.push(Buffer.from('dropped'));
  vec.push(Buffer.from('two'));
  vec.lengths[1] = 0;
  assert.equal(tun.writeBatch(vec), 2);
  vec.packet(0).fill(0x7a); // the engine reuses its vector at once
  assert.equal((await tun.nextWritten()).toString(), 'one');
  assert.equal((await tun.nextWritten()).toString(), 'two');
  const later = tun.nextWritten(1000);
  vec.clear();
  vec.push(Buffer.from('three'));
  tun.writeBatch(vec);
  assert.equal((await later).toString(), 'three');
  await assert.rejects(tun.nextWritten(20), /no packet written/);
});

test('deleting a ChannelTun fails the pending read, fires onClosed and refuses writes', async () => {
  const tun = new ChannelTun('wg7');
  const vec = new PacketVector({ capacity: 1 });
  const closed = new Promise<TunClosedError>((resolve) => tun.onClosed(resolve));
  const read = readOnce(tun, vec);
  tun.simulateDelete();
  await assert.rejects(read, (e: unknown) => e instanceof TunClosedError && e.deleted);
  assert.equal((await closed).deleted, true);
  assert.ok(tun.closed);
  assert.throws(() => tun.writeBatch(vec), TunClosedError);
});

test('ChannelBinds carry datagrams by port, with the sender as the source endpoint, per family', async () => {
  const [a, b] = createChannelBinds();
  const { port: pa } = a.open(0);
  const { port: pb, receivers } = b.open(51820);
  assert.notEqual(pa, 0);
  assert.equal(pb, 51820);
  assert.deepEqual(receivers.map((r) => r.family), [4, 6]);
  const tx = new PacketVector({ capacity: 2 });
  tx.push(Buffer.from('hello v4'));
  assert.equal(a.sendBatch(tx, b.endpoint(4)), 1);
  tx.clear();
  tx.push(Buffer.from('hello v6'));
  a.sendBatch(tx, b.endpoint(6));
  const rx = new PacketVector({ capacity: 8, headroom: 0 });
  assert.equal(await receiveOnce(receivers[0]!, rx), 1);
  assert.equal(rx.packet(0).toString(), 'hello v4');
  assert.equal(rx.endpoints[0]!.key, `127.0.0.1:${pa}`);
  assert.equal(await receiveOnce(receivers[1]!, rx), 1);
  assert.equal(rx.endpoints[0]!.key, `[::1]:${pa}`);
  assert.equal(b.stats.packetsReceived, 2);
});

test('a ChannelBind replies through the endpoints recorded in the vector', async () => {
  const [a, b] = createChannelBinds();
  const ra = a.open(0).receivers[0]!;
  const rb = b.open(0).receivers[0]!;
  const vec = new PacketVector({ capacity: 4 });
  vec.push(Buffer.from('ping'));
  a.sendBatch(vec, b.endpoint());
  await receiveOnce(rb, vec);
  vec.packet(0).write('pong');
  assert.equal(b.sendBatch(vec, null), 1); // to vec.endpoints[0], the sender
  await receiveOnce(ra, vec);
  assert.equal(vec.packet(0).toString(), 'pong');
});

test('ChannelNetwork filters model loss, and closing a bind fails its pending receives', async () => {
  const [a, b] = createChannelBinds();
  a.open(0);
  const { receivers } = b.open(0);
  let seen = 0;
  a.network.filter = () => (seen++, false);
  const vec = new PacketVector({ capacity: 1 });
  vec.push(Buffer.from('lost'));
  assert.equal(a.sendBatch(vec, b.endpoint()), 1, 'UDP does not know the datagram was lost');
  const pending = receiveOnce(receivers[0]!, vec);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(seen, 1);
  b.open(0); // rebinding closes the old sockets
  await assert.rejects(pending, BindClosedError);
  assert.throws(() => b.open(a.port), /already in use/);
});

test('two fake stacks relay a packet TUN to TUN through their binds, as two engines would', async () => {
  const [bindA, bindB] = createChannelBinds();
  const tunA = new ChannelTun('wgA');
  const tunB = new ChannelTun('wgB');
  bindA.open(0);
  const { receivers } = bindB.open(0);
  // "engine A": TUN -> UDP, using the headroom for a 4-byte header as WireGuard uses 16.
  const out = new PacketVector({ capacity: 8 });
  tunA.readBatch(out, () => {
    for (let i = 0; i < out.count; i++) {
      out.offsets[i]! -= 4;
      out.lengths[i]! += 4;
      out.bufs[i]!.write('HDR:', out.offsets[i]!);
    }
    bindA.sendBatch(out, bindB.endpoint());
  });
  // "engine B": UDP -> TUN, stripping the header in place.
  const inb = new PacketVector({ capacity: 8, headroom: 0 });
  receivers[0]!.receiveBatch(inb, () => {
    for (let i = 0; i < inb.count; i++) {
      assert.equal(inb.bufs[i]!.toString('latin1', 0, 4), 'HDR:');
      inb.offsets[i]! += 4;
      inb.lengths[i]! -= 4;
    }
    tunB.writeBatch(inb);
  });
  tunA.inject(Buffer.from('ICMP echo request'));
  assert.equal((await tunB.nextWritten()).toString(), 'ICMP echo request');
});
