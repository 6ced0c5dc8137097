import { memo } from 'react';
import type { TunnelState } from '../../shared/ipc/types.js';
import { useI18n } from '../lib/i18n/i18n.js';

export const StateBadge = memo(function StateBadge({ state }: { state: TunnelState }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge--${state}`} data-testid="state-badge" data-state={state}>
      <span className="badge__dot" aria-hidden="true" />
      {t.state[state]}
    </span>
  );
});
