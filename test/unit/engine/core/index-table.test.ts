// The receiver index table: random, unique, never-zero indices naming a
// handshake and then, under the same index, its keypair.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { IndexTable } from '../../../../tunnel-helper/src/engine/core/index-table.js';

/** A random source that plays back the given values, then repeats the last. */
function sequence(...values: number[]): () => number {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)]!;
}

test('hands out the random value as the index and finds the entry by it', () => {
  const t = new IndexTable<string>(sequence(0xdeadbeef, 7));
  assert.equal(t.newIndex('handshake A'), 0xdeadbeef);
  assert.equal(t.newIndex('handshake B'), 7);
  assert.equal(t.get(0xdeadbeef), 'handshake A');
  assert.equal(t.get(7), 'handshake B');
  assert.equal(t.get(8), undefined);
  assert.equal(t.size, 2);
});

test('skips an index already in use and never hands out 0', () => {
  const t = new IndexTable<string>(sequence(5, 5, 0, 5, 9));
  assert.equal(t.newIndex('a'), 5);
  assert.equal(t.newIndex('b'), 9);
  assert.equal(t.get(0), undefined);
});

test('normalises signed 32-bit values from the random source to u32', () => {
  const t = new IndexTable<string>(sequence(-1));
  assert.equal(t.newIndex('x'), 0xffffffff);
  assert.equal(t.get(-1), 'x', 'an index read as int32 finds the same entry');
});

test('swap turns a handshake into its keypair under the same index', () => {
  type Entry = { kind: 'handshake' | 'keypair'; peer: string };
  const t = new IndexTable<Entry>(sequence(1234));
  const index = t.newIndex({ kind: 'handshake', peer: 'p1' });
  assert.equal(t.swap(index, { kind: 'keypair', peer: 'p1' }), true);
  assert.deepEqual(t.get(index), { kind: 'keypair', peer: 'p1' });
  assert.equal(t.swap(999, { kind: 'keypair', peer: 'p2' }), false, 'an unknown index is not created by swap');
  assert.equal(t.get(999), undefined);
});

test('delete frees an index for reuse', () => {
  const t = new IndexTable<string>(sequence(42, 42));
  const i = t.newIndex('old');
  assert.equal(t.delete(i), true);
  assert.equal(t.delete(i), false);
  assert.equal(t.get(i), undefined);
  assert.equal(t.newIndex('new'), 42);
  assert.equal(t.get(42), 'new');
});

test('gives up with an explanation when the random source is stuck', () => {
  const t = new IndexTable<string>(sequence(3));
  t.newIndex('a');
  assert.throws(() => t.newIndex('b'), /random number source/);
});

test('thousands of handshakes get distinct indices from a real random source', () => {
  const t = new IndexTable<number>(() => randomBytes(4).readUInt32LE(0));
  const seen = new Set<number>();
  for (let i = 0; i < 5000; i++) {
    const index = t.newIndex(i);
    assert.ok(index > 0 && index <= 0xffffffff);
    assert.ok(!seen.has(index));
    seen.add(index);
  }
  assert.equal(t.size, 5000);
  t.clear();
  assert.equal(t.size, 0);
});
