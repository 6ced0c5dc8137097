// The detail view's split DNS line: which domains this tunnel's DNS servers
// resolve (from WireDesk's profile), or that every query goes to them.
import { useEffect, useState } from 'react';
import { useI18n } from '../../lib/i18n/i18n.js';
import { ipc } from '../../lib/ipc.js';

export function SplitDnsCard({ name }: { name: string }) {
  const { t } = useI18n();
  const [domains, setDomains] = useState<string[] | null>(null);
  useEffect(() => {
    let live = true;
    void ipc.invoke('splitdns:get', name).then((d) => live && setDomains(d), () => live && setDomains([]));
    return () => { live = false; };
  }, [name]);
  if (domains === null) return null;
  return (
    <section className="card" aria-labelledby="split-dns-detail-title" data-testid="split-dns-card">
      <header className="card__head"><h2 id="split-dns-detail-title">{t.splitDns.detail}</h2></header>
      <p className={domains.length > 0 ? 'mono' : 'muted'} data-testid="split-dns-value">
        {domains.length > 0 ? t.splitDns.detailValue(domains) : t.splitDns.allQueries}
      </p>
      {domains.length > 0 && <p className="muted small">{t.splitDns.where}</p>}
    </section>
  );
}
