import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketize, niceMax, peaks, plot, RANGES } from '../../../../../renderer/features/graph/graph-math.js';

describe('throughput graph math', () => {
  it('rounds the y axis up to a round rate in binary units', () => {
    assert.equal(niceMax(0), 1024);
    assert.equal(niceMax(3000), 5 * 1024);
    assert.equal(niceMax(1.5 * 1024 * 1024), 2 * 1024 * 1024);
  });

  it('averages ten minutes into 5-second buckets and drops points outside the range', () => {
    const points = Array.from({ length: 700 }, (_, i) => ({ at: (i + 1) * 1000, rx: 100, tx: 50 }));
    const b = bucketize(points, RANGES.tenMinutes, 700_000);
    assert.equal(b.length, 120);
    assert.ok(b.every((p) => p.rx === 100 && p.tx === 50));
    assert.equal(bucketize(points, RANGES.minute, 700_000).length, 60);
  });

  it('puts the newest sample at the right edge and zero at the bottom', () => {
    const p = plot([{ at: 1000, rx: 0, tx: 0 }, { at: 2000, rx: 1024, tx: 0 }], RANGES.minute, 2000, 600, 100);
    assert.match(p.rx, /L600\.0,0\.0$/);
    assert.match(p.tx, /L600\.0,100\.0$/);
  });

  it('gives the text alternative the last minute\'s peak of each direction, not an older one', () => {
    const points = [{ at: 1_000, rx: 9_000, tx: 9_000 }, { at: 100_000, rx: 300, tx: 40 }, { at: 110_000, rx: 100, tx: 700 }];
    assert.deepEqual(peaks(bucketize(points, RANGES.minute, 110_000)), { rx: 300, tx: 700 });
    assert.deepEqual(peaks([]), { rx: 0, tx: 0 });
  });
});
