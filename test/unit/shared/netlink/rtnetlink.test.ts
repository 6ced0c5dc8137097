// The rtnetlink framing both the engine and the helper read through
// (shared/netlink/rtnetlink.ts): headers, splitting and rtattr walks, with
// truncated and lying lengths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  NLMSG_HDR, RtnetlinkError, errnoOf, message, putAttr, readU32, splitMessages, u32Bytes, walkAttributes, walkMessages,
} from '../../../../shared/netlink/rtnetlink.js';

/** A message of `type` and `seq` whose body is a 4-byte family header and one rtattr 1 holding `value`. */
function sample(type: number, seq: number, value: number[]): Buffer {
  const b = message(type, 1, seq, 4 + 4 + ((value.length + 3) & ~3));
  b[NLMSG_HDR] = 2;
  putAttr(b, NLMSG_HDR + 4, 1, Uint8Array.from(value));
  return b;
}

test('a message carries its length, type, flags and sequence; attributes are padded to 4', () => {
  const b = sample(26, 0xfffffffe, [1, 2, 3, 4, 5]);
  assert.equal(b.length, 16 + 4 + 4 + 8);
  assert.deepEqual([b.readUInt32LE(0), b.readUInt16LE(4), b.readUInt16LE(6), b.readUInt32LE(8), b.readUInt32LE(12)], [b.length, 26, 1, 0xfffffffe, 0]);
  assert.deepEqual([...b.subarray(20)], [9, 0, 1, 0, 1, 2, 3, 4, 5, 0, 0, 0]);
  assert.equal(message(24, 0, -1, 0).readUInt32LE(8), 0xffffffff, 'a sequence number wraps to u32');
});

test('a datagram splits into its messages, each payload exactly its body', () => {
  const a = sample(24, 1, [10, 0, 0, 1]);
  const c = sample(3, 2, [7]);
  const d = Buffer.concat([a, c]);
  const split = splitMessages(d);
  assert.deepEqual(split.map((m) => [m.type, m.seq, m.payload.length]), [[24, 1, a.length - 16], [3, 2, c.length - 16]]);
  const attrs = walkAttributes(split[0]!.payload, 4);
  assert.equal(attrs.error, null);
  assert.deepEqual(attrs.items.map((x) => [x.type, [...x.value]]), [[1, [10, 0, 0, 1]]]);
  assert.deepEqual(walkMessages(d, a.length).items.map((m) => m.seq), [1], 'only the first `len` bytes count');
  assert.equal(splitMessages(Buffer.concat([a, Buffer.alloc(15)])).length, 1, 'a tail shorter than a header is ignored');
});

test('truncated datagrams keep the whole messages before the cut and never read past it', () => {
  const d = Buffer.concat([sample(24, 1, [10, 0, 0, 1]), sample(24, 2, [10, 0, 0, 2])]);
  const first = 16 + 4 + 8;
  for (let cut = 0; cut <= d.length; cut++) {
    const walk = walkMessages(d, cut);
    const whole = cut >= d.length ? 2 : cut >= first ? 1 : 0;
    assert.equal(walk.items.length, whole, `cut at ${cut}`);
    const broken = cut !== d.length && cut !== first && cut % first >= 16;
    assert.equal(walk.error !== null, broken, `cut at ${cut}`);
    if (broken) assert.throws(() => splitMessages(d.subarray(0, cut)), RtnetlinkError);
    assert.doesNotThrow(() => walkMessages(d, cut + 100), 'a length past the buffer is clamped to it');
  }
});

test('a message that lies about its length ends the walk there', () => {
  const good = sample(24, 1, [10, 0, 0, 1]);
  for (const lie of [0, 15, good.length * 2 + 1, 0xffffffff]) {
    const bad = Buffer.from(good);
    bad.writeUInt32LE(lie, 0);
    const d = Buffer.concat([good, bad, good]);
    const walk = walkMessages(d);
    assert.equal(walk.items.length, 1, `claims ${lie}`);
    assert.match(walk.error ?? '', /claims/);
    assert.throws(() => splitMessages(d), RtnetlinkError);
  }
});

test('an attribute that lies about its length ends the walk there; what came before counts', () => {
  const p = Buffer.alloc(4 + 8 + 8);
  putAttr(p, 4, 5, Uint8Array.from([1, 2, 3, 4]));
  putAttr(p, 12, 6, Uint8Array.from([5, 6, 7, 8]));
  for (const lie of [0, 3, 9, 0xffff]) {
    const q = Buffer.from(p);
    q.writeUInt16LE(lie, 12);
    const walk = walkAttributes(q, 4);
    assert.deepEqual(walk.items.map((x) => x.type), [5], `claims ${lie}`);
    assert.match(walk.error ?? '', /rtattr claims/);
  }
  for (let cut = 0; cut <= p.length; cut++) {
    const walk = walkAttributes(p.subarray(0, cut), 4);
    assert.ok(walk.items.every((x) => x.value.length === 4), `cut at ${cut}`);
    assert.equal(walk.error !== null, cut < 4 || (cut >= 8 && cut < 12) || (cut >= 16 && cut < 20), `cut at ${cut}`);
  }
  assert.match(walkAttributes(Buffer.alloc(3), 12).error ?? '', /shorter than its header/);
});

test('an error message gives its errno, and nothing when truncated; u32 values round-trip', () => {
  const err = message(2, 0, 1, 4);
  err.writeInt32LE(-101, 16);
  const [m] = splitMessages(err);
  assert.equal(errnoOf(m!), 101);
  assert.equal(errnoOf({ type: 2, seq: 1, payload: Buffer.alloc(3) }), null);
  assert.equal(readU32(u32Bytes(51820)), 51820);
  assert.equal(readU32(u32Bytes(-1)), 0xffffffff);
  assert.equal(readU32(Uint8Array.from([1, 2, 3])), null);
  assert.equal(readU32(undefined), null);
  assert.equal(readU32(Buffer.from([0, 1, 0, 0, 0]).subarray(1)), 1, 'a view at an offset reads from its own start');
});
