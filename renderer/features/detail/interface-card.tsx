import { memo } from 'react';
import type { TunnelDetail } from '../../../shared/ipc/types.js';
import { CopyButton } from '../../components/copy-button.js';
import { useI18n } from '../../lib/i18n/i18n.js';

export const InterfaceCard = memo(function InterfaceCard({ detail }: { detail: TunnelDetail }) {
  const { t } = useI18n();
  return (
    <section className="card" aria-labelledby="iface-title" data-testid="interface-card">
      <header className="card__head"><h2 id="iface-title">{t.interface}</h2></header>
      <dl className="props">
        <dt>{t.publicKey}</dt>
        <dd className="props__key">
          <code className="mono" data-testid="interface-public-key">{detail.publicKey ?? '—'}</code>
          {detail.publicKey && <CopyButton text={detail.publicKey} label={t.copyPublicKey} testId="copy-public-key" />}
        </dd>
        <dt>{t.addresses}</dt>
        <dd className="mono">{detail.addresses.join(', ') || t.none}</dd>
        <dt>{t.dns}</dt>
        <dd className="mono">{detail.dns.join(', ') || t.none}</dd>
        <dt>{t.mtu}</dt>
        <dd>{detail.mtu ?? t.automatic}</dd>
        <dt>{t.listenPort}</dt>
        <dd>{detail.listenPort ?? t.automatic}</dd>
      </dl>
    </section>
  );
});
