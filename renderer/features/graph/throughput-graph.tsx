// Live throughput: received and sent bytes per second over the last minute
// or ten minutes, as an SVG redrawn once a second (no chart library).
import { memo, useMemo, useState } from 'react';
import { formatRate } from '../../../shared/config/wg-units.js';
import { Segmented } from '../../components/segmented.js';
import { useTimelines } from '../../lib/hooks.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { bucketize, peaks, plot, RANGES } from './graph-math.js';

const W = 600;
const H = 160;

export const ThroughputGraph = memo(function ThroughputGraph({ name, active }: { name: string; active: boolean }) {
  const { t } = useI18n();
  const { rates } = useTimelines(name);
  const [range, setRange] = useState<keyof typeof RANGES>('minute');
  const end = rates[rates.length - 1]?.at ?? 0;
  const points = useMemo(() => bucketize(rates, RANGES[range], end), [rates, range, end]);
  const p = useMemo(() => plot(points, RANGES[range], end, W, H), [points, range, end]);
  // Once the tunnel is off, the last sample is history, not a current rate.
  const latest = active ? rates[rates.length - 1] : undefined;
  const rangeLabel = range === 'minute' ? t.lastMinute : t.lastTenMinutes;
  const peak = points.reduce((m, q) => Math.max(m, q.rx, q.tx), 0);
  // The text alternative: what the lines show, said as numbers (current rates and the last minute's peak).
  const minutePeak = useMemo(() => peaks(bucketize(rates, RANGES.minute, end)), [rates, end]);
  const summary = latest
    ? t.a11y.graphSummary(formatRate(latest.rx), formatRate(latest.tx), formatRate(minutePeak.rx), formatRate(minutePeak.tx))
    : t.a11y.graphSummaryOff;

  return (
    <section className="card graph" aria-labelledby={`graph-${name}`} data-testid="throughput-graph" data-points={points.length} data-peak={Math.round(peak)}>
      <header className="card__head">
        <h2 id={`graph-${name}`}>{t.throughput}</h2>
        <div className="graph__legend">
          <span className="legend legend--rx"><span aria-hidden="true" />{t.received} {latest ? formatRate(latest.rx) : '—'}</span>
          <span className="legend legend--tx"><span aria-hidden="true" />{t.sent} {latest ? formatRate(latest.tx) : '—'}</span>
        </div>
        <Segmented label={t.graphRange} value={range} onChange={setRange}
          options={[{ value: 'minute', label: t.lastMinute }, { value: 'tenMinutes', label: t.lastTenMinutes }]} testId="graph-range" />
      </header>
      <div className="graph__plot">
        <div className="graph__axis" aria-hidden="true">
          <span>{formatRate(p.max)}</span>
          <span>{formatRate(p.max / 2)}</span>
          <span>0</span>
        </div>
        <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={t.graphLabel(rangeLabel)} aria-describedby={`graph-text-${name}`}>
          {[0.25, 0.5, 0.75].map((f) => <line key={f} className="graph__grid" x1="0" x2={W} y1={H * f} y2={H * f} />)}
          {points.length > 1 && (
            <>
              <path className="graph__area" d={p.rxArea} />
              <path className="graph__line graph__line--rx" d={p.rx} vectorEffect="non-scaling-stroke" />
              <path className="graph__line graph__line--tx" d={p.tx} vectorEffect="non-scaling-stroke" />
            </>
          )}
        </svg>
        {points.length < 2 && <p className="graph__empty">{active ? '…' : t.graphEmpty}</p>}
      </div>
      <p className="sr-only" id={`graph-text-${name}`} data-testid="graph-summary">{summary}</p>
      <div className="graph__time" aria-hidden="true">
        <span>−{range === 'minute' ? '60 s' : '10 min'}</span>
        <span>−{range === 'minute' ? '30 s' : '5 min'}</span>
        <span>{t.now}</span>
      </div>
    </section>
  );
});
