// TAI64N timestamps: the byte layout wg-go and the kernel write, the
// nanosecond whitening of wg-go's tai64n.go, and its monotonic-test table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TAI64N_SIZE, compareTai64n, isAfterTai64n, tai64n, writeTai64n,
} from '../../../../tunnel-helper/src/engine/core/tai64n.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('encodes the Unix epoch as the TAI64 label 0x400000000000000a and zero nanoseconds', () => {
  assert.equal(hex(tai64n(0)), '400000000000000a' + '00000000');
  assert.equal(tai64n(0).length, TAI64N_SIZE);
});

test('writes seconds and whitened nanoseconds big-endian', () => {
  // 2023-11-14T22:13:20.123Z: 1700000000 s = 0x6553f100; 123 ms masked down
  // to 7 * 2^24 ns = 0x07000000.
  assert.equal(hex(tai64n(1_700_000_000_123)), '400000006553f10a' + '07000000');
  // 999.999 ms rounds down to 59 * 2^24 ns = 0x3b000000.
  assert.equal(hex(tai64n(1_700_000_000_999.999)), '400000006553f10a' + '3b000000');
});

test('nanoseconds are always a multiple of 2^24', () => {
  for (let ms = 0; ms < 1000; ms += 0.37) {
    const ns = new DataView(tai64n(1_600_000_000_000 + ms).buffer).getUint32(8);
    assert.equal(ns % 0x1000000, 0, `at +${ms} ms`);
    assert.ok(ns < 1_000_000_000);
  }
});

test('times before 1970 count down from the label', () => {
  assert.equal(hex(tai64n(-1000)), '4000000000000009' + '00000000');
  // -0.5 s is second -1 plus 500 ms (29 * 2^24 ns = 0x1d000000).
  assert.equal(hex(tai64n(-500)), '4000000000000009' + '1d000000');
});

test('whitening hides steps under ~16.8 ms (wg-go TestMonotonic table)', () => {
  const start = 123.456789; // time.Unix(0, 123456789), in ms
  const table: Array<[string, number, boolean]> = [
    ['after_10_ns', 10e-6, false],
    ['after_10_us', 10e-3, false],
    ['after_1_ms', 1, false],
    ['after_10_ms', 10, false],
    ['after_20_ms', 20, true],
  ];
  for (const [name, delta, wantAfter] of table) {
    const t1 = tai64n(start);
    const t2 = tai64n(start + delta);
    assert.equal(isAfterTai64n(t2, t1), wantAfter, name);
  }
});

test('timestamps never go backwards as the clock advances', () => {
  let prev = tai64n(1_699_999_990_000);
  let increases = 0;
  for (let ms = 1_699_999_990_000; ms < 1_700_000_010_000; ms += 7) {
    const cur = tai64n(ms);
    const c = compareTai64n(cur, prev);
    assert.ok(c >= 0, `went backwards at ${ms}`);
    if (c > 0) increases++;
    prev = cur;
  }
  // 20 s of whitened time: 20 s / 16.777216 ms ≈ 1192 distinct steps.
  assert.ok(increases > 1100 && increases < 1300, `increases = ${increases}`);
});

test('compareTai64n orders by seconds first, then nanoseconds', () => {
  const a = tai64n(5_000);
  const b = tai64n(5_999);
  const c = tai64n(6_000);
  assert.equal(compareTai64n(a, a), 0);
  assert.equal(compareTai64n(a, b), -1);
  assert.equal(compareTai64n(b, a), 1);
  assert.equal(compareTai64n(b, c), -1);
  assert.equal(isAfterTai64n(a, a), false, 'equal is not after: a replayed initiation is refused');
});

test('writeTai64n writes into a message buffer at an offset', () => {
  const msg = new Uint8Array(40).fill(0xee);
  writeTai64n(msg, 20, 1_700_000_000_123);
  assert.equal(hex(msg.subarray(20, 32)), '400000006553f10a07000000');
  assert.equal(msg[19], 0xee);
  assert.equal(msg[32], 0xee);
  assert.throws(() => tai64n(Number.NaN), RangeError);
});
