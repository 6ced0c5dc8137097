// The replay window, checked against the kernel's selftest/counter.c table
// (the same 34 numbered cases wg-go ports in replay/replay_test.go), its bulk
// window-edge runs, and a differential test against a plain set of counters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplayFilter } from '../../../../tunnel-helper/src/engine/core/replay.js';
import { REJECT_AFTER_MESSAGES, REPLAY_WINDOW } from '../../../../tunnel-helper/src/engine/core/constants.js';

const WINDOW = BigInt(REPLAY_WINDOW);
const T_LIM = WINDOW + 1n;
const R = REJECT_AFTER_MESSAGES;

test('the replay window is 8128 counters wide, as in the kernel and wireguard-go', () => {
  assert.equal(REPLAY_WINDOW, 8128);
  assert.equal(R, (1n << 64n) - (1n << 13n) - 1n);
});

test('passes the 34 numbered cases of the kernel counter self-test', () => {
  const f = new ReplayFilter();
  const cases: Array<[bigint, boolean]> = [
    [0n, true], [1n, true], [1n, false], [9n, true], [8n, true], [7n, true], [7n, false], // 1-7
    [T_LIM, true], [T_LIM - 1n, true], [T_LIM - 1n, false], [T_LIM - 2n, true], // 8-11
    [2n, true], [2n, false], [T_LIM + 16n, true], [3n, false], [T_LIM + 16n, false], // 12-16
    [T_LIM * 4n, true], [T_LIM * 4n - (T_LIM - 1n), true], [10n, false], // 17-19
    [T_LIM * 4n - T_LIM, false], [T_LIM * 4n - (T_LIM + 1n), false], // 20-21
    [T_LIM * 4n - (T_LIM - 2n), true], [T_LIM * 4n + 1n - T_LIM, false], [0n, false], // 22-24
    [R, false], [R - 1n, true], [R, false], [R - 1n, false], [R - 2n, true], // 25-29
    [R + 1n, false], [R + 2n, false], [R - 2n, false], [R - 3n, true], [0n, false], // 30-34
  ];
  assert.equal(cases.length, 34);
  cases.forEach(([n, expected], i) => {
    assert.equal(f.validateCounter(n, R), expected, `case ${i + 1}: counter ${n}`);
  });
});

function run(f: ReplayFilter, counters: Iterable<bigint>, expected: boolean, label: string): void {
  for (const n of counters) assert.equal(f.validateCounter(n), expected, `${label}: counter ${n}`);
}
function* range(from: bigint, toInclusive: bigint): Generator<bigint> {
  if (from <= toInclusive) for (let i = from; i <= toInclusive; i++) yield i;
  else for (let i = from; i >= toInclusive; i--) yield i;
}

test('accepts a full window in order and still accepts 0 at its trailing edge (bulk 1)', () => {
  const f = new ReplayFilter();
  run(f, range(1n, WINDOW), true, 'ascending');
  assert.equal(f.validateCounter(0n), true);
  assert.equal(f.validateCounter(0n), false);
});

test('drops a counter that fell one past the trailing edge (bulk 2)', () => {
  const f = new ReplayFilter();
  run(f, range(2n, WINDOW + 1n), true, 'ascending');
  assert.equal(f.validateCounter(1n), true);
  assert.equal(f.validateCounter(0n), false);
});

test('accepts a full window received in reverse order (bulk 3 and 4)', () => {
  const f = new ReplayFilter();
  run(f, range(WINDOW, 0n), true, 'descending from window');
  f.reset();
  run(f, range(WINDOW + 1n, 1n), true, 'descending from window+1');
  assert.equal(f.validateCounter(0n), false);
});

test('moving the head by one pushes the oldest counter out (bulk 5 and 6)', () => {
  const f = new ReplayFilter();
  run(f, range(WINDOW, 1n), true, 'descending');
  assert.equal(f.validateCounter(WINDOW + 1n), true);
  assert.equal(f.validateCounter(0n), false);
  f.reset();
  run(f, range(WINDOW, 1n), true, 'descending');
  assert.equal(f.validateCounter(0n), true);
  assert.equal(f.validateCounter(WINDOW + 1n), true);
});

test('reset forgets every counter', () => {
  const f = new ReplayFilter();
  run(f, range(0n, 300n), true, 'first pass');
  f.reset();
  run(f, range(0n, 300n), true, 'after reset');
});

test('bits set before a large jump do not survive into the new window', () => {
  const f = new ReplayFilter();
  run(f, range(0n, 8191n), true, 'fill every ring slot');
  // Jump exactly one ring (128 blocks) ahead: each slot is reused for a new block.
  assert.equal(f.validateCounter(8192n + 8191n), true);
  run(f, range(8192n + 64n, 8192n + 8190n), true, 'reused slots start clean');
  // And a jump across a 2^32 boundary (the high word changes) clears them too.
  const base = (1n << 32n) - 100n;
  const g = new ReplayFilter();
  run(g, range(base - 8000n, base), true, 'below 2^32');
  run(g, range(base + 1n, base + 8128n), true, 'across 2^32');
  assert.equal(g.validateCounter(base), false, 'still inside the window, already seen');
  assert.equal(g.validateCounter(base - 1n), false, 'now behind the window');
});

test('the per-packet forms agree with the bigint form', () => {
  const a = new ReplayFilter();
  const b = new ReplayFilter();
  const c = new ReplayFilter();
  const buf = new Uint8Array(24);
  const view = new DataView(buf.buffer);
  const samples = [0n, 5n, 5n, 70000n, 69000n, 61000n, (1n << 32n) + 3n, (1n << 32n) + 2n, (1n << 32n) - 1n,
    R - 1n, R, R + 1n, (1n << 64n) - 1n, R - 8129n, R - 8128n];
  for (const n of samples) {
    view.setBigUint64(8, n, true);
    const lo = view.getUint32(8, true);
    const hi = view.getUint32(12, true);
    const expected = a.validateCounter(n);
    assert.equal(b.validate(lo, hi), expected, `validate(lo, hi) for ${n}`);
    assert.equal(c.validateAt(buf, 8), expected, `validateAt for ${n}`);
  }
});

test('a smaller limit rejects counters at and above it', () => {
  const f = new ReplayFilter();
  assert.equal(f.validateCounter(99n, 100n), true);
  assert.equal(f.validateCounter(100n, 100n), false);
  assert.equal(f.validateCounter(-1n), false);
});

/** The window's meaning without the ring: accept once, if newer than the
 *  head or at most REPLAY_WINDOW behind it. */
class ReferenceFilter {
  private last = 0n;
  private readonly seen = new Set<bigint>();
  validate(n: bigint): boolean {
    if (n >= R) return false;
    if (n <= this.last && this.last - n > WINDOW) return false;
    if (this.seen.has(n)) return false;
    this.seen.add(n);
    if (n > this.last) this.last = n;
    return true;
  }
}

test('matches a set-of-counters reference on random traffic, also near 2^32 and the reject limit', () => {
  let seed = 0x2545f491;
  const rnd = (): number => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  for (const start of [0n, (1n << 32n) - 5000n, R - 40000n]) {
    const f = new ReplayFilter();
    const ref = new ReferenceFilter();
    let head = start;
    for (let i = 0; i < 20000; i++) {
      const r = rnd();
      let n: bigint;
      if (r < 0.5) n = head + BigInt(Math.floor(rnd() * 3)); // mostly in order
      else if (r < 0.9) n = head - BigInt(Math.floor(rnd() * 8300)); // reordered or old
      else n = head + BigInt(Math.floor(rnd() * 20000)); // a jump
      if (n < 0n) n = 0n;
      if (n > head) head = n;
      assert.equal(f.validateCounter(n), ref.validate(n), `step ${i}, counter ${n}`);
    }
  }
});
