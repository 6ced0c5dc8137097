// Time for the engine and the helper's control connections: monotonic for
// timers and session ages, wall-clock for TAI64N timestamps and the latest
// handshake, and one-shot timers on the monotonic clock. Tests inject their
// own, and run timers by advancing it.
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Wall-clock milliseconds since the Unix epoch. */
  wallNow(): number;
  /** Calls `fn` once, `ms` monotonic milliseconds from now; returns what cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return () => clearTimeout(t);
  },
};
