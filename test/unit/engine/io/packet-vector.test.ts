import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PACKET_HEADROOM, PACKET_TAILROOM, PacketVector, slotSizeFor } from '../../../../tunnel-helper/src/engine/io/packet-vector.js';
import { Endpoint } from '../../../../tunnel-helper/src/engine/core/endpoint.js';

test('a slot holds an MTU-sized packet with room for the transport header, padding and tag', () => {
  const size = slotSizeFor(1420);
  assert.ok(size >= PACKET_HEADROOM + 1420 + PACKET_TAILROOM);
  assert.equal(size % 64, 0);
  assert.equal(slotSizeFor(65535) >= 65535 + 48, true);
});

test('slots are contiguous views of one slab, so native code can address slot i as base + i * slotSize', () => {
  const v = new PacketVector({ capacity: 4, slotSize: 256 });
  for (let i = 0; i < 4; i++) {
    assert.equal(v.bufs[i]!.buffer, v.memory);
    assert.equal(v.bufs[i]!.byteOffset, i * 256);
    assert.equal(v.bufs[i]!.length, 256);
  }
  // offsets and lengths live after the slots, in the same memory
  assert.equal(v.offsets.buffer, v.memory);
  assert.equal(v.offsets.byteOffset, 4 * 256);
  assert.equal(v.lengths.byteOffset, 4 * 256 + 16);
});

test('push places packets at the headroom and packet() returns a view of exactly those bytes', () => {
  const v = new PacketVector({ capacity: 2, slotSize: 128 });
  const ep = Endpoint.parse('192.0.2.1:51820');
  assert.equal(v.push(Buffer.from('abc')), 0);
  assert.equal(v.push(Buffer.from('defg'), ep), 1);
  assert.equal(v.count, 2);
  assert.equal(v.offsets[0], PACKET_HEADROOM);
  assert.equal(v.packet(1).toString(), 'defg');
  assert.equal(v.endpoints[1], ep);
  // a view, not a copy: encrypting in place changes the slot
  v.packet(0)[0] = 0x41;
  assert.equal(v.bufs[0]![PACKET_HEADROOM], 0x41);
  assert.throws(() => v.push(Buffer.from('x')), /full/);
  v.clear();
  assert.equal(v.count, 0);
});

test('a packet that does not fit its slot is refused', () => {
  const v = new PacketVector({ capacity: 1, slotSize: 64 });
  assert.throws(() => v.push(Buffer.alloc(64 - PACKET_HEADROOM + 1)), /does not fit/);
});

test('a shared vector can be re-attached in another thread from its memory alone', () => {
  const a = new PacketVector({ capacity: 3, slotSize: 128, shared: true });
  assert.ok(a.memory instanceof SharedArrayBuffer);
  a.push(Buffer.from('hello'));
  const b = new PacketVector({ capacity: 3, slotSize: 128, memory: a.memory });
  assert.equal(b.lengths[0], 5);
  assert.equal(b.bufs[0]!.subarray(b.offsets[0]!, b.offsets[0]! + 5).toString(), 'hello');
  assert.throws(() => new PacketVector({ capacity: 4, slotSize: 128, memory: a.memory }), /does not match/);
});

test('invalid geometry is rejected with a clear message', () => {
  assert.throws(() => new PacketVector({ capacity: 0 }), /capacity/);
  assert.throws(() => new PacketVector({ slotSize: 100 }), /multiple of 8/);
  assert.throws(() => new PacketVector({ slotSize: 16, headroom: 16 }), /larger than the headroom/);
});
