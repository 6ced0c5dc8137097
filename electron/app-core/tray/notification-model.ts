// Which state changes deserve a native notification, as a pure function:
// up (after the handshake), down (after being up), degraded and error.
// connecting is shown by the tray icon only; it would be noise.
import type { TunnelChange } from '../tunnels/tunnel-service.js';
import type { Language } from '../../../shared/ipc/types.js';
import { trayStrings } from './tray-strings.js';

export interface NotificationSpec {
  readonly title: string;
  readonly body: string;
  readonly urgency: 'normal' | 'critical';
}

export function notificationFor(change: TunnelChange, language: Language): NotificationSpec | null {
  const s = trayStrings(language);
  if (change.previous === change.state) return null;
  switch (change.state) {
    case 'up':
      return { title: s.notifyUp(change.name), body: s.notifyUpBody, urgency: 'normal' };
    case 'down':
      return change.previous === 'connecting' ? null : { title: s.notifyDown(change.name), body: s.notifyDownBody, urgency: 'normal' };
    case 'degraded':
      return { title: s.notifyDegraded(change.name), body: change.diagnosis ? s.diagnosis(change.diagnosis) : '', urgency: 'critical' };
    case 'error':
      return { title: s.notifyError(change.name), body: change.diagnosis ? s.diagnosis(change.diagnosis) : '', urgency: 'critical' };
    default:
      return null;
  }
}
