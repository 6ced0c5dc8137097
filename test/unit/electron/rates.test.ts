import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ring } from '../../../shared/ring.js';
import { RateMeter, rateBetween } from '../../../electron/app-core/tunnels/rates.js';

describe('rate computation', () => {
  it('divides the byte delta by the elapsed seconds', () => {
    assert.deepEqual(rateBetween({ at: 0, rxBytes: 1000, txBytes: 0 }, { at: 2000, rxBytes: 5000, txBytes: 300 }), { rxRate: 2000, txRate: 150 });
  });

  it('reports zero for the first sample and for a sample at the same instant', () => {
    const m = new RateMeter();
    assert.deepEqual(m.next('p', { at: 1000, rxBytes: 500, txBytes: 500 }), { rxRate: 0, txRate: 0 });
    assert.deepEqual(m.next('p', { at: 1000, rxBytes: 900, txBytes: 900 }), { rxRate: 0, txRate: 0 });
  });

  it('counts from zero when a counter restarts (engine restarted) instead of going negative', () => {
    assert.deepEqual(rateBetween({ at: 0, rxBytes: 9000, txBytes: 9000 }, { at: 1000, rxBytes: 100, txBytes: 9100 }), { rxRate: 100, txRate: 100 });
  });

  it('keeps peers apart', () => {
    const m = new RateMeter();
    m.next('a', { at: 0, rxBytes: 0, txBytes: 0 });
    m.next('b', { at: 0, rxBytes: 0, txBytes: 0 });
    assert.equal(m.next('a', { at: 1000, rxBytes: 10, txBytes: 0 }).rxRate, 10);
    assert.equal(m.next('b', { at: 1000, rxBytes: 99, txBytes: 0 }).rxRate, 99);
  });

  it('a ring keeps only the newest items, oldest first', () => {
    const r = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    assert.deepEqual(r.toArray(), [3, 4, 5]);
  });
});
