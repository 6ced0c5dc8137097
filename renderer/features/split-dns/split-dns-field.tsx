// The editor's split DNS box: domains whose names the tunnel's DNS servers
// resolve, one per line. Checked as you type (each bad name with its line);
// saved with the tunnel, in WireDesk's profile rather than the .conf, which
// the box says (shared/dns/split-domains.ts has the reason).
import { useEffect, useMemo, useState } from 'react';
import { MAX_SPLIT_DOMAINS, parseSplitDomains } from '../../../shared/dns/split-domains.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { ipc } from '../../lib/ipc.js';

export function SplitDnsField(props: {
  original: string | null;
  hasDnsServers: boolean;
  /** The normalized domains, or null while the text has an error. */
  onChange: (domains: string[] | null) => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const { original, onChange } = props;
  // Until the stored domains arrive, nothing valid is reported, so a quick Save cannot erase them.
  const [loaded, setLoaded] = useState(original === null);
  useEffect(() => {
    if (original) void ipc.invoke('splitdns:get', original).then((d) => { setText(d.join('\n')); setLoaded(true); }, () => setLoaded(true));
  }, [original]);
  const parsed = useMemo(() => parseSplitDomains(text), [text]);
  const tooMany = parsed.domains.length > MAX_SPLIT_DOMAINS;
  const missingServers = parsed.domains.length > 0 && !props.hasDnsServers;
  const valid = loaded && parsed.errors.length === 0 && !tooMany && !missingServers;
  useEffect(() => onChange(valid ? parsed.domains : null), [valid, parsed, onChange]);
  const problems = [
    ...parsed.errors.map((e) => t.splitDns.error(e.line, e.text, e.problem)),
    ...(tooMany ? [t.splitDns.tooMany(MAX_SPLIT_DOMAINS)] : []),
    ...(missingServers ? [t.splitDns.needsServers] : []),
  ];
  return (
    <section className="card" aria-labelledby="split-dns-title" data-testid="split-dns-field">
      <header className="card__head"><h2 id="split-dns-title">{t.splitDns.title}</h2></header>
      <label className="field">
        <span>{t.splitDns.label}</span>
        <textarea
          className="mono" rows={4} value={text} placeholder={t.splitDns.placeholder} spellCheck={false}
          aria-invalid={problems.length > 0} aria-describedby="split-dns-hint split-dns-where split-dns-problems"
          onChange={(e) => setText(e.target.value)} data-testid="split-dns-input"
        />
      </label>
      <p id="split-dns-hint" className="muted small">{t.splitDns.hint}</p>
      <p id="split-dns-where" className="muted small" data-testid="split-dns-where">{t.splitDns.where}</p>
      <ul id="split-dns-problems" aria-live="polite" data-testid="split-dns-problems">
        {problems.map((p, i) => <li key={i} className="error-text">{p}</li>)}
      </ul>
    </section>
  );
}
