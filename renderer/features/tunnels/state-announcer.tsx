// Announces each tunnel's state changes ("office is on", "office degraded:
// No reply from …") through the live region. It watches the state and the
// diagnosis code only, so stats ticks, a new language or a re-render say
// nothing; the state a tunnel has when the window opens is not news either.
import { memo, useEffect, useRef } from 'react';
import { useAnnounce } from '../../components/live-region.js';
import { useSummary, useTunnelNames } from '../../lib/hooks.js';
import { firstSentence } from '../../lib/i18n/a11y-text.js';
import { useI18n } from '../../lib/i18n/i18n.js';

const Watch = memo(function Watch({ name }: { name: string }) {
  const s = useSummary(name);
  const { t } = useI18n();
  const announce = useAnnounce();
  const key = s ? `${s.state} ${s.diagnosis?.code ?? ''}` : null;
  const last = useRef<string | null>(null);
  useEffect(() => {
    if (!s || key === null) return;
    if (last.current !== null && last.current !== key) {
      announce(t.a11y.announce(s.name, s.state, s.diagnosis && s.state !== 'down' ? firstSentence(t.diagnosis(s.diagnosis)) : null));
    }
    last.current = key;
    // Only a new state or diagnosis is news; `s` and `t` change on ticks and language.
  }, [key]);
  return null;
});

export function StateAnnouncer() {
  const names = useTunnelNames();
  return <>{names.map((n) => <Watch key={n} name={n} />)}</>;
}
