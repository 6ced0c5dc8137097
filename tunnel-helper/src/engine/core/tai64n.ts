// TAI64N timestamps, as carried encrypted in a handshake initiation.
//
// 12 bytes, big-endian: 0x400000000000000a + unix seconds, then nanoseconds.
// (0x4000000000000000 is the TAI64 epoch label; the +10 is the TAI-UTC offset
// in 1970, as wg-go and the kernel write it.) The nanoseconds are rounded down
// to a multiple of 2^24 (about 16.8 ms), as wg-go's tai64n.go does, so the
// timestamp does not leak fine-grained clock readings.
//
// The responder accepts an initiation only if its timestamp is strictly after
// the last one it accepted from that peer, which stops replayed initiations.
// The core reads no clock: the caller passes wall-clock milliseconds.

export const TAI64N_SIZE = 12;
const TAI64_BASE = 0x400000000000000an;
/** Nanoseconds are masked down to a multiple of this (wg-go `whitenerMask` + 1). */
export const TAI64N_WHITENING = 0x1000000;

/** The TAI64N timestamp for a wall-clock time in ms since the Unix epoch
 *  (fractions of a millisecond are honoured). */
export function tai64n(nowMs: number): Uint8Array {
  const out = new Uint8Array(TAI64N_SIZE);
  writeTai64n(out, 0, nowMs);
  return out;
}

/** Writes the timestamp for `nowMs` into out[off..off+12). */
export function writeTai64n(out: Uint8Array, off: number, nowMs: number): void {
  if (!Number.isFinite(nowMs)) throw new RangeError('tai64n: the time must be a finite number of milliseconds');
  const seconds = Math.floor(nowMs / 1000);
  let nanos = Math.floor((nowMs - seconds * 1000) * 1e6);
  if (nanos > 999_999_999) nanos = 999_999_999; // guards float rounding at the top
  nanos -= nanos % TAI64N_WHITENING;
  const view = new DataView(out.buffer, out.byteOffset + off, TAI64N_SIZE);
  view.setBigUint64(0, TAI64_BASE + BigInt(seconds));
  view.setUint32(8, nanos);
}

/** Orders two timestamps: negative if a is before b, 0 if equal, positive if
 *  a is after b. Big-endian encoding makes this a byte comparison. */
export function compareTai64n(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < TAI64N_SIZE; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** True if `a` is strictly after `b`: the test an initiation's timestamp must pass. */
export function isAfterTai64n(a: Uint8Array, b: Uint8Array): boolean {
  return compareTai64n(a, b) > 0;
}
