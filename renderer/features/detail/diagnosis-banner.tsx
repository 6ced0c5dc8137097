// Says what is wrong when a tunnel is degraded, reconnecting or failed, in actionable words
// (from its code and details, in the user's language), and offers a restart when the helper itself is gone and
// an update when it is another version than the app. It is not a live region:
// the state announcer (features/tunnels/state-announcer.tsx) says the change once.
import { memo } from 'react';
import type { TunnelSummary } from '../../../shared/ipc/types.js';
import { Icon } from '../../components/icons.js';
import { ipc } from '../../lib/ipc.js';
import { useI18n } from '../../lib/i18n/i18n.js';

export const DiagnosisBanner = memo(function DiagnosisBanner({ summary }: { summary: TunnelSummary }) {
  const { t } = useI18n();
  if (summary.state !== 'degraded' && summary.state !== 'error' && summary.state !== 'reconnecting') return null;
  const title = summary.state === 'degraded' ? t.diagnosisTitle : summary.state === 'reconnecting' ? t.reconnectingTitle : t.errorTitle;
  return (
    <div className={`banner banner--${summary.state}`} data-testid="diagnosis-banner" data-code={summary.diagnosis?.code ?? ''}>
      <Icon name="alert" size={20} />
      <div>
        <strong>{title}</strong>
        <p>{summary.diagnosis ? t.diagnosis(summary.diagnosis) : ''}</p>
      </div>
      {summary.diagnosis?.code === 'helper-lost' && (
        <button type="button" className="btn" onClick={() => void ipc.invoke('helper:restart')}>{t.restartHelper}</button>
      )}
      {summary.diagnosis?.code === 'helper-outdated' && (
        <button type="button" className="btn" data-testid="update-helper" onClick={() => void ipc.invoke('helper:setup')}>{t.updateHelper}</button>
      )}
    </div>
  );
});
