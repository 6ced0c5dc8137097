import { memo } from 'react';
import { useTunnelNames } from '../../lib/hooks.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { TunnelRow } from './tunnel-row.js';

export const TunnelList = memo(function TunnelList(props: { selected: string | null; onSelect: (name: string) => void; onToggle: (name: string, on: boolean) => void }) {
  const names = useTunnelNames();
  const { t } = useI18n();
  return (
    <ul className="tunnel-list" aria-label={t.tunnels} data-testid="tunnel-list">
      {names.map((name) => (
        <TunnelRow key={name} name={name} selected={name === props.selected} onSelect={props.onSelect} onToggle={props.onToggle} />
      ))}
    </ul>
  );
});
