// Throughput from the byte counters the helper reports once a second:
// rate = delta bytes / delta time. Counters restart from zero when an engine
// restarts, so a counter that went down counts from zero instead of going negative.
import type { Rates } from '../../../shared/ipc/types.js';

export interface Counters {
  readonly at: number;
  readonly rxBytes: number;
  readonly txBytes: number;
}

export function rateBetween(prev: Counters | undefined, next: Counters): Rates {
  if (!prev) return { rxRate: 0, txRate: 0 };
  const seconds = (next.at - prev.at) / 1000;
  if (seconds <= 0) return { rxRate: 0, txRate: 0 };
  const delta = (a: number, b: number) => (b >= a ? b - a : b);
  return { rxRate: delta(prev.rxBytes, next.rxBytes) / seconds, txRate: delta(prev.txBytes, next.txBytes) / seconds };
}

/** Keeps the last counters per key (peer public key) and turns each new sample into rates. */
export class RateMeter {
  private readonly last = new Map<string, Counters>();

  next(key: string, counters: Counters): Rates {
    const rates = rateBetween(this.last.get(key), counters);
    this.last.set(key, counters);
    return rates;
  }

  reset(): void {
    this.last.clear();
  }
}
