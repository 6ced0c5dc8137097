// The engine's two clocks: monotonic time for timers and session ages, wall
// time for TAI64N timestamps and latest-handshake. Tests inject their own.
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Wall-clock milliseconds since the Unix epoch. */
  wallNow(): number;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
};
