import { memo } from 'react';
import { useTunnelNames } from '../../lib/hooks.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { TunnelRow } from './tunnel-row.js';

export const TunnelList = memo(function TunnelList(props: { selected: string | null; filter: string; onSelect: (name: string) => void; onToggle: (name: string, on: boolean) => void }) {
  const all = useTunnelNames();
  const { t } = useI18n();
  const q = props.filter.trim().toLowerCase();
  const names = q ? all.filter((n) => n.toLowerCase().includes(q)) : all;
  if (all.length > 0 && names.length === 0) return <p className="muted small sidebar__none" role="status">{t.a11y.noMatch}</p>;
  return (
    <ul className="tunnel-list" aria-label={t.tunnels} data-testid="tunnel-list">
      {names.map((name) => (
        <TunnelRow key={name} name={name} selected={name === props.selected} onSelect={props.onSelect} onToggle={props.onToggle} />
      ))}
    </ul>
  );
});

/** The sidebar's filter; Ctrl+F finds it by data-shortcut="filter". */
export function TunnelFilter({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const { t } = useI18n();
  return (
    <input type="search" className="sidebar__filter" aria-label={t.a11y.filterTunnels} placeholder={t.a11y.filterTunnels} value={value}
      onChange={(e) => onChange(e.target.value)} data-shortcut="filter" data-testid="tunnel-filter" />
  );
}
