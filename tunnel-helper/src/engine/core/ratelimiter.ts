// Per-source token bucket for handshake messages when the device is under load
// (kernel ratelimiter.c, wg-go ratelimiter/ratelimiter.go).
//
// Each source earns one token-millisecond per millisecond, capped at
// RATE_LIMIT_BURST packets' worth; a packet costs 1000 / 20 = 50 ms of tokens.
// A new source starts with the burst minus the packet that created it. As in
// the kernel, IPv6 sources are limited per /64, since one host can trivially
// own a whole /64; IPv4 sources per address.
//
// No timers: `allow` collects idle entries itself at most once a second, and
// `gc(now)` can be called from the device's periodic tick. The table is
// bounded: when a flood of spoofed sources fills it, new sources are refused
// (the kernel does the same) until idle entries expire, so memory stays flat.

import { RATE_LIMIT_BURST, RATE_LIMIT_PACKETS_PER_SECOND } from './constants.js';

/** Tokens, in milliseconds, one packet costs. */
export const RATE_LIMIT_PACKET_COST = 1000 / RATE_LIMIT_PACKETS_PER_SECOND;
const TOKEN_MAX = RATE_LIMIT_PACKET_COST * RATE_LIMIT_BURST;
/** Entries idle for longer than this are dropped (kernel: one second). */
export const RATE_LIMIT_GC_AFTER = 1_000;
/** Default table bound: the kernel's maximum (8192 buckets * 8) on hosts with >= 1 GiB. */
export const RATE_LIMIT_MAX_ENTRIES = 65_536;

interface Bucket {
  tokens: number;
  lastTime: number;
}

export class RateLimiter {
  private readonly v4 = new Map<number, Bucket>();
  private readonly v6 = new Map<string, Bucket>();
  private lastGc = -Infinity;

  constructor(private readonly maxEntries: number = RATE_LIMIT_MAX_ENTRIES) {}

  /** Number of sources currently tracked. */
  get size(): number {
    return this.v4.size + this.v6.size;
  }

  /** Whether a handshake message from this source address (4 or 16 bytes) may
   *  be processed now. Other lengths are refused. */
  allow(ip: Uint8Array, now: number): boolean {
    if (now - this.lastGc >= RATE_LIMIT_GC_AFTER) this.gc(now);
    if (ip.length === 4) {
      const key = ((ip[0]! << 24) | (ip[1]! << 16) | (ip[2]! << 8) | ip[3]!) >>> 0;
      const bucket = this.v4.get(key);
      if (bucket !== undefined) return take(bucket, now);
      if (this.size >= this.maxEntries) return false;
      this.v4.set(key, { tokens: TOKEN_MAX - RATE_LIMIT_PACKET_COST, lastTime: now });
      return true;
    }
    if (ip.length === 16) {
      // The /64: four 16-bit code units make a short, exact string key.
      const key = String.fromCharCode(
        (ip[0]! << 8) | ip[1]!, (ip[2]! << 8) | ip[3]!, (ip[4]! << 8) | ip[5]!, (ip[6]! << 8) | ip[7]!,
      );
      const bucket = this.v6.get(key);
      if (bucket !== undefined) return take(bucket, now);
      if (this.size >= this.maxEntries) return false;
      this.v6.set(key, { tokens: TOKEN_MAX - RATE_LIMIT_PACKET_COST, lastTime: now });
      return true;
    }
    return false;
  }

  /** Drops sources that have sent nothing for more than RATE_LIMIT_GC_AFTER.
   *  An idle source has refilled its burst by then, so forgetting it changes
   *  no decision. */
  gc(now: number): void {
    this.lastGc = now;
    for (const [key, b] of this.v4) if (now - b.lastTime > RATE_LIMIT_GC_AFTER) this.v4.delete(key);
    for (const [key, b] of this.v6) if (now - b.lastTime > RATE_LIMIT_GC_AFTER) this.v6.delete(key);
  }

  /** Forgets every source. */
  clear(): void {
    this.v4.clear();
    this.v6.clear();
  }
}

function take(b: Bucket, now: number): boolean {
  // A clock step backwards earns nothing rather than a negative balance.
  const earned = now > b.lastTime ? now - b.lastTime : 0;
  let tokens = b.tokens + earned;
  if (tokens > TOKEN_MAX) tokens = TOKEN_MAX;
  b.lastTime = now > b.lastTime ? now : b.lastTime;
  const ok = tokens >= RATE_LIMIT_PACKET_COST;
  b.tokens = ok ? tokens - RATE_LIMIT_PACKET_COST : tokens;
  return ok;
}
