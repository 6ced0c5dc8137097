// Turning rate points into graph coordinates. Pure, so the scaling rules are
// easy to read: the x axis ends at the newest sample, the y axis at a
// round rate just above the peak.
import type { RatePoint } from '../../../shared/ipc/types.js';

export interface GraphRange {
  readonly seconds: number;
  /** Points are averaged into buckets of this many seconds (10 min: 5 s). */
  readonly bucket: number;
}

export const RANGES = { minute: { seconds: 60, bucket: 1 }, tenMinutes: { seconds: 600, bucket: 5 } } as const satisfies Record<string, GraphRange>;

/** Averages points into buckets that end at `end` (ms). */
export function bucketize(points: readonly RatePoint[], range: GraphRange, end: number): RatePoint[] {
  const start = end - range.seconds * 1000;
  const inRange = points.filter((p) => p.at > start && p.at <= end);
  if (range.bucket <= 1) return inRange;
  const buckets = new Map<number, { rx: number; tx: number; n: number }>();
  for (const p of inRange) {
    const key = end - Math.floor((end - p.at) / (range.bucket * 1000)) * range.bucket * 1000;
    const b = buckets.get(key) ?? { rx: 0, tx: 0, n: 0 };
    b.rx += p.rx;
    b.tx += p.tx;
    b.n++;
    buckets.set(key, b);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([at, b]) => ({ at, rx: b.rx / b.n, tx: b.tx / b.n }));
}

/** The smallest 1/2/5 × 10^k of a binary unit (B, KiB, MiB…) ≥ peak; at least 1 KiB/s so an idle line stays flat. */
export function niceMax(peak: number): number {
  const v = Math.max(peak, 1024);
  let unit = 1;
  while (v / unit >= 1024) unit *= 1024;
  const x = v / unit;
  return ([1, 2, 5, 10, 20, 50, 100, 200, 500].find((m) => m >= x) ?? 1024) * unit;
}

export interface Plot {
  readonly rx: string;
  readonly tx: string;
  readonly rxArea: string;
  readonly max: number;
}

/** SVG path data for both series in a width × height box. */
export function plot(points: readonly RatePoint[], range: GraphRange, end: number, width: number, height: number): Plot {
  const max = niceMax(Math.max(0, ...points.map((p) => Math.max(p.rx, p.tx))));
  const x = (at: number) => width - ((end - at) / (range.seconds * 1000)) * width;
  const y = (v: number) => height - (v / max) * height;
  const line = (k: 'rx' | 'tx') => points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.at).toFixed(1)},${y(p[k]).toFixed(1)}`).join('');
  const rx = line('rx');
  const first = points[0];
  const last = points[points.length - 1];
  const rxArea = first && last ? `${rx}L${x(last.at).toFixed(1)},${height}L${x(first.at).toFixed(1)},${height}Z` : '';
  return { rx, tx: line('tx'), rxArea, max };
}

/** The highest received and sent rates among the points. */
export function peaks(points: readonly RatePoint[]): { rx: number; tx: number } {
  return points.reduce((m, p) => ({ rx: Math.max(m.rx, p.rx), tx: Math.max(m.tx, p.tx) }), { rx: 0, tx: 0 });
}
