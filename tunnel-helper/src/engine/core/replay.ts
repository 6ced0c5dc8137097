// The anti-replay sliding window for transport counters (RFC 6479, as in the
// kernel's counter_validate and wg-go replay/replay.go).
//
// The window is a ring of REPLAY_BLOCKS blocks of 64 bits. The newest counter
// seen is `last`; a counter is accepted once if it is newer than `last`, or not
// more than REPLAY_WINDOW (8128) behind it and not yet seen. Moving forward
// clears only the blocks the window slides over, so each check is O(1) except
// for a jump, which clears at most the whole ring.
//
// Counters are u64 but this runs once per packet, so they are handled as two
// u32 halves (`lo`, `hi`), exactly, without allocating BigInts. A 64-bit block
// is stored as two u32 words of a Uint32Array: bit n of the counter space lives
// in word (n >>> 5) mod 256, bit n & 31.
//
// Check the counter only after the packet has been authenticated: otherwise a
// forged packet could move the window and make real ones look replayed.

import { REJECT_AFTER_MESSAGES, REPLAY_BLOCKS, REPLAY_WINDOW } from './constants.js';

const WORDS = REPLAY_BLOCKS * 2;
const WORD_MASK = WORDS - 1;
const BLOCK_MASK = REPLAY_BLOCKS - 1;
const TWO_POW_26 = 0x4000000; // blocks of 64 counters per 2^32 counters
const TWO_POW_32 = 0x100000000;

// REJECT_AFTER_MESSAGES split into halves once, for the per-packet path.
const REJECT_HI = Number(REJECT_AFTER_MESSAGES >> 32n);
const REJECT_LO = Number(REJECT_AFTER_MESSAGES & 0xffffffffn);

export class ReplayFilter {
  private lastLo = 0;
  private lastHi = 0;
  private readonly ring = new Uint32Array(WORDS);

  /** Forgets every counter: the state of a fresh keypair. */
  reset(): void {
    this.lastLo = 0;
    this.lastHi = 0;
    this.ring.fill(0);
  }

  /** Accepts `counter` once; rejects repeats, counters too far behind the
   *  newest one, and counters >= `limit` (REJECT_AFTER_MESSAGES by default). */
  validateCounter(counter: bigint, limit: bigint = REJECT_AFTER_MESSAGES): boolean {
    if (counter < 0n || counter >= limit) return false;
    return this.update(Number(counter & 0xffffffffn), Number(counter >> 32n));
  }

  /** The per-packet form: the u64 counter as its low and high u32 halves, as
   *  read from the transport header (little-endian, bytes 8..15). Limit is
   *  REJECT_AFTER_MESSAGES. */
  validate(lo: number, hi: number): boolean {
    lo >>>= 0;
    hi >>>= 0;
    if (hi > REJECT_HI || (hi === REJECT_HI && lo >= REJECT_LO)) return false;
    return this.update(lo, hi);
  }

  /** Reads the counter at buf[off..off+8) (u64 little-endian) and validates it. */
  validateAt(buf: Uint8Array, off: number): boolean {
    const lo = (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24)) >>> 0;
    const hi = (buf[off + 4]! | (buf[off + 5]! << 8) | (buf[off + 6]! << 16) | (buf[off + 7]! << 24)) >>> 0;
    return this.validate(lo, hi);
  }

  private update(lo: number, hi: number): boolean {
    const lastLo = this.lastLo;
    const lastHi = this.lastHi;
    const ring = this.ring;
    if (hi > lastHi || (hi === lastHi && lo > lastLo)) {
      // Slide forward, clearing the blocks between the old and the new head.
      // Block numbers are hi * 2^26 + (lo >>> 6); a high-word gap of 2 or more
      // is already more than a whole ring, so the difference stays exact.
      const dHi = hi - lastHi;
      let diff = dHi >= 2 ? REPLAY_BLOCKS : dHi * TWO_POW_26 + (lo >>> 6) - (lastLo >>> 6);
      if (diff > REPLAY_BLOCKS) diff = REPLAY_BLOCKS;
      const current = lastLo >>> 6; // only its value mod REPLAY_BLOCKS matters
      for (let i = 1; i <= diff; i++) {
        const w = ((current + i) & BLOCK_MASK) << 1;
        ring[w] = 0;
        ring[w + 1] = 0;
      }
      this.lastLo = lo;
      this.lastHi = hi;
    } else {
      const dHi = lastHi - hi;
      if (dHi >= 2) return false;
      if (dHi * TWO_POW_32 + lastLo - lo > REPLAY_WINDOW) return false;
    }
    const w = (lo >>> 5) & WORD_MASK;
    const bit = 1 << (lo & 31);
    const old = ring[w]!;
    if ((old & bit) !== 0) return false;
    ring[w] = old | bit;
    return true;
  }
}
