// One tunnel in the sidebar: state, name, addresses, live rates, switch.
// Memoized and subscribed to its own summary only.
import { memo } from 'react';
import { formatRate } from '../../../shared/config/wg-units.js';
import { Icon } from '../../components/icons.js';
import { Toggle } from '../../components/toggle.js';
import { useSummary } from '../../lib/hooks.js';
import { useI18n } from '../../lib/i18n/i18n.js';

export const TunnelRow = memo(function TunnelRow(props: { name: string; selected: boolean; onSelect: (name: string) => void; onToggle: (name: string, on: boolean) => void }) {
  const s = useSummary(props.name);
  const { t } = useI18n();
  if (!s) return null;
  const on = s.state !== 'down';
  const active = s.state === 'up' || s.state === 'degraded' || s.state === 'reconnecting';
  return (
    <li className={`tunnel-row tunnel-row--${s.state}${props.selected ? ' tunnel-row--selected' : ''}`} data-testid={`tunnel-row-${s.name}`} data-state={s.state}>
      <button type="button" className="tunnel-row__main" aria-current={props.selected ? 'true' : undefined} onClick={() => props.onSelect(s.name)}>
        <span className={`state-dot state-dot--${s.state}`} aria-hidden="true" />
        <span className="tunnel-row__text">
          <span className="tunnel-row__name">{s.name}<span className="sr-only">, {t.state[s.state]}</span></span>
          <span className="tunnel-row__sub">
            {active ? (
              <span className="rates" data-testid="row-rates">
                <span className="rate rate--rx"><Icon name="down" size={11} /><span className="sr-only">{t.a11y.received} </span>{formatRate(s.rxRate)}</span>
                <span className="rate rate--tx"><Icon name="up" size={11} /><span className="sr-only">{t.a11y.sent} </span>{formatRate(s.txRate)}</span>
              </span>
            ) : (
              <span>{s.state === 'down' ? (s.addresses[0] ?? t.peers(s.peerCount)) : t.state[s.state]}</span>
            )}
          </span>
        </span>
      </button>
      <Toggle
        checked={on}
        busy={s.state === 'connecting'}
        label={on ? t.switchOff(s.name) : t.switchOn(s.name)}
        testId={`toggle-${s.name}`}
        onChange={(next) => props.onToggle(s.name, next)}
      />
    </li>
  );
});
