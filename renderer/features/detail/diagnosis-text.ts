// A diagnosis in the user's language. The helper's message is English; the
// reasons whose details travel as data (recovery after sleep or a dead
// tunnel) are worded here, in each language, from those details.
import type { Diagnosis } from '../../../shared/ipc/types.js';
import type { Messages } from '../../lib/i18n/en.js';

export function diagnosisText(d: Diagnosis, t: Messages): string {
  const head = d.code === 'resumed-from-sleep' ? t.resumedFromSleep
    : d.code === 'dead-tunnel' ? t.deadTunnel(d.deadSeconds ?? 0)
    : d.message;
  if (!d.tried || d.tried.length === 0) return head;
  return head + t.recoveryTried(d.tried.map((s) => t.recoveryStep[s]));
}
