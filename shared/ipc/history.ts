// A tunnel's recent history: main keeps it (app-core/tunnels/tunnel-runtime.ts)
// and the renderer's store caches what main sends of it, within the same limits.
import type { RatePoint, StatsSample } from './types.js';

export const HISTORY_LIMITS = {
  /** 10 minutes of one-second points: the graph's long view. */
  rates: 600,
  handshakes: 100,
  roaming: 100,
  logs: 2000,
} as const;

/** The graph's point for one stats sample. */
export function ratePointOf(sample: StatsSample): RatePoint {
  return { at: sample.at, rx: sample.rxRate, tx: sample.txRate };
}
