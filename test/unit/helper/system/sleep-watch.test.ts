// Resume detection from the clocks, on an injected clock: CLOCK_BOOTTIME
// runs on through a suspend, CLOCK_MONOTONIC stops.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClockGapDetector, MIN_SLEEP_MS, RESUME_DEDUP_MS, SleepWatch, readClocks, type ClockReading } from '../../../../tunnel-helper/src/helper/system/sleep-watch.js';

describe('ClockGapDetector', () => {
  it('says nothing while both clocks run together, however long', () => {
    const d = new ClockGapDetector();
    assert.equal(d.sample({ bootMs: 10_000, monoMs: 9_000 }), null, 'the first reading is only a baseline');
    assert.equal(d.sample({ bootMs: 3_610_000, monoMs: 3_609_000 }), null);
    assert.equal(d.sample({ bootMs: 3_612_010, monoMs: 3_611_000 }), null, '10 ms of /proc/uptime rounding is no sleep');
  });

  it('reports the time asleep when BOOTTIME jumps ahead of MONOTONIC', () => {
    const d = new ClockGapDetector();
    d.sample({ bootMs: 10_000, monoMs: 9_000 });
    assert.equal(d.sample({ bootMs: 10_000 + 2_000 + 600_000, monoMs: 9_000 + 2_000 }), 600_000);
    assert.equal(d.sample({ bootMs: 614_000, monoMs: 13_000 }), null, 'reported once, then the new gap is the baseline');
  });

  it('ignores a gap below the threshold', () => {
    const d = new ClockGapDetector();
    d.sample({ bootMs: 0, monoMs: 0 });
    assert.equal(d.sample({ bootMs: 2_000 + MIN_SLEEP_MS - 1, monoMs: 2_000 }), null);
  });
});

describe('SleepWatch on the clock path', () => {
  it('announces one resume for a sleep, and drops a second report of the same resume', async () => {
    const readings: ClockReading[] = [{ bootMs: 1000, monoMs: 1000 }];
    let wall = 5_000_000;
    const w = new SleepWatch({ openBus: null, readClocks: async () => readings[readings.length - 1]!, now: () => wall });
    const seen: string[] = [];
    w.onResume((s) => seen.push(s));
    await w.start();
    await new Promise((r) => setImmediate(r));
    readings.push({ bootMs: 1000 + 60_000, monoMs: 1000 });
    w.resumed('logind'); // logind heard it first
    wall += 1000;
    w.resumed('clock'); // the clock check sees the same resume a moment later
    wall += RESUME_DEDUP_MS;
    w.resumed('clock');
    w.stop();
    assert.deepEqual(seen, ['logind', 'clock']);
  });

  it('reads the real clocks: BOOTTIME is never behind MONOTONIC', async () => {
    const r = await readClocks();
    assert.ok(r.bootMs + 20 >= r.monoMs, JSON.stringify(r));
  });
});
