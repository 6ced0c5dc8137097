// A Clock (engine/clock.ts) that moves only when a test says so. Timers run
// when the test advances time past their deadline, each at its own time, so
// an engine's 5 s retries or 120 s rekeys take no wall-clock time at all.
import type { Clock } from '../../../shared/clock.js';

interface Timer { at: number; fn: () => void }

export class ManualClock implements Clock {
  private monotonic = 1_000_000;
  private wall = 1_795_000_000_000;
  private timers: Timer[] = [];

  now(): number {
    return this.monotonic;
  }

  wallNow(): number {
    return this.wall;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const timer = { at: this.monotonic + ms, fn };
    this.timers.push(timer);
    return () => { this.timers = this.timers.filter((t) => t !== timer); };
  }

  /** Moves time to the earliest deadline, if it is at most `limit`, and runs
   *  that timer. Returns whether one ran. */
  runNextTimer(limit: number): boolean {
    const next = this.timers.reduce<Timer | null>((a, t) => (a === null || t.at < a.at ? t : a), null);
    if (next === null || next.at > limit) return false;
    this.timers = this.timers.filter((t) => t !== next);
    this.moveTo(Math.max(next.at, this.monotonic));
    next.fn();
    return true;
  }

  /** Moves both clocks forward to monotonic time `t`, running no timer. */
  moveTo(t: number): void {
    this.wall += t - this.monotonic;
    this.monotonic = t;
  }
}
