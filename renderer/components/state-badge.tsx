// A tunnel's state in words, with a coloured dot for sighted users. The
// hidden prefix names the tunnel, so the badge read alone still says whose
// state it is ("office state: On").
import { memo } from 'react';
import type { TunnelState } from '../../shared/ipc/types.js';
import { useI18n } from '../lib/i18n/i18n.js';

export const StateBadge = memo(function StateBadge({ state, name }: { state: TunnelState; name: string }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge--${state}`} data-testid="state-badge" data-state={state}>
      <span className="badge__dot" aria-hidden="true" />
      <span className="sr-only">{t.a11y.stateOf(name)} </span>
      {t.state[state]}
    </span>
  );
});
