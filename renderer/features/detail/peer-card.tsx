// One peer as `wg show` reports it: runtime endpoint, allowed IPs, latest
// handshake (a ticking age), transfer totals, rates and keepalive.
import { memo } from 'react';
import { formatBytes, formatHandshakeAge, formatRate } from '../../../shared/config/wg-units.js';
import type { PeerInfo, PeerStats } from '../../../shared/ipc/types.js';
import { useNow } from '../../lib/hooks.js';
import { useI18n } from '../../lib/i18n/i18n.js';

function HandshakeAge({ at }: { at: number | null }) {
  const now = useNow();
  const { t, lang } = useI18n();
  if (at === null) return <span className="muted">{t.noHandshake}</span>;
  return <span data-testid="handshake-age">{formatHandshakeAge(Math.max(0, Math.floor((now - at) / 1000)), lang)}</span>;
}

export const PeerCard = memo(function PeerCard({ peer, stats, index }: { peer: PeerInfo; stats: PeerStats | undefined; index: number }) {
  const { t } = useI18n();
  const endpoint = stats?.endpoint ?? peer.endpoint;
  return (
    <section className="card peer" aria-labelledby={`peer-${index}`} data-testid="peer-card">
      <header className="card__head">
        <h2 id={`peer-${index}`}>{t.peer}</h2>
        <code className="mono small peer__key" title={peer.publicKey}>{peer.publicKey}</code>
      </header>
      <dl className="props">
        <dt>{t.endpoint}</dt>
        <dd className="mono" data-testid="peer-endpoint">
          {endpoint ?? t.none}
          {!stats?.endpoint && peer.endpoint && <span className="muted small"> ({t.endpointConfigured})</span>}
        </dd>
        <dt>{t.allowedIps}</dt>
        <dd className="mono">{peer.allowedIps.join(', ') || t.none}</dd>
        <dt>{t.latestHandshake}</dt>
        <dd><HandshakeAge at={stats?.latestHandshake ?? null} /></dd>
        <dt>{t.transfer}</dt>
        <dd data-testid="peer-transfer" data-rx={stats?.rxBytes ?? 0} data-tx={stats?.txBytes ?? 0}>
          {t.transferValue(formatBytes(stats?.rxBytes ?? 0), formatBytes(stats?.txBytes ?? 0))}
        </dd>
        <dt>{t.rates}</dt>
        <dd>↓ {formatRate(stats?.rxRate ?? 0)} · ↑ {formatRate(stats?.txRate ?? 0)}</dd>
        <dt>{t.persistentKeepalive}</dt>
        <dd>{peer.persistentKeepalive ? t.everySeconds(peer.persistentKeepalive) : t.off}</dd>
        {peer.hasPresharedKey && (<><dt>{t.presharedKey}</dt><dd>{t.yes}</dd></>)}
      </dl>
    </section>
  );
});
