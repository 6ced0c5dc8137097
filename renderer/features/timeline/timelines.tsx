// The roaming timeline (the peer's endpoint changing, with times) and the
// handshake timeline, newest first.
import { memo } from 'react';
import { useTimelines } from '../../lib/hooks.js';
import { useI18n } from '../../lib/i18n/i18n.js';

const time = (at: number, lang: string) => new Date(at).toLocaleTimeString(lang === 'ja' ? 'ja-JP' : 'en-GB', { hour12: false });
const shortKey = (k: string) => `${k.slice(0, 8)}…`;

export const RoamingTimeline = memo(function RoamingTimeline({ name }: { name: string }) {
  const { t, lang } = useI18n();
  const { roaming } = useTimelines(name);
  return (
    <section className="card timeline" aria-labelledby={`roam-${name}`} data-testid="roaming-timeline">
      <header className="card__head"><h2 id={`roam-${name}`}>{t.roaming}</h2></header>
      {roaming.length === 0 ? <p className="muted">{t.roamingEmpty}</p> : (
        <ol className="timeline__list">
          {[...roaming].reverse().map((r) => (
            <li key={`${r.at}-${r.to}`} className="timeline__item" data-testid="roaming-entry">
              <time dateTime={new Date(r.at).toISOString()}>{time(r.at, lang)}</time>
              <span className="mono">{r.from ? t.roamingEntry(r.from, r.to) : `${t.firstSeen} ${r.to}`}</span>
              {r.reason === 'resolved' && <span className="small" data-testid="roaming-resolved">{t.roamingResolved(r.host ?? '')}</span>}
              <span className="muted mono small">{shortKey(r.publicKey)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
});

export const HandshakeTimeline = memo(function HandshakeTimeline({ name }: { name: string }) {
  const { t, lang } = useI18n();
  const { handshakes } = useTimelines(name);
  return (
    <section className="card timeline" aria-labelledby={`hs-${name}`} data-testid="handshake-timeline">
      <header className="card__head"><h2 id={`hs-${name}`}>{t.handshakes}</h2></header>
      {handshakes.length === 0 ? <p className="muted">{t.handshakesEmpty}</p> : (
        <ol className="timeline__list">
          {[...handshakes].reverse().slice(0, 30).map((h, i) => (
            <li key={`${h.at}-${h.kind}-${i}`} className={`timeline__item timeline__item--${h.kind}`} data-testid="handshake-entry">
              <time dateTime={new Date(h.at).toISOString()}>{time(h.at, lang)}</time>
              <span><span className={`dot dot--${h.kind}`} aria-hidden="true" />{t.handshakeKind[h.kind]}</span>
              <span className="muted small">{h.diagnosis ? t.diagnosis(h.diagnosis) : shortKey(h.publicKey)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
});
