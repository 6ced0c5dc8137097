// Switching a tunnel: main shows "connecting" at once and reports failures
// as the tunnel's state, so the caller only needs to surface rejected calls.
// A failure the tunnel's state already diagnoses is said from that diagnosis,
// in the user's language, not as the helper's English error.
import { useCallback } from 'react';
import { ipc, messageOf } from '../../lib/ipc.js';
import { useStore } from '../../lib/hooks.js';
import { useI18n } from '../../lib/i18n/i18n.js';

export function useToggle(onError: (message: string) => void): (name: string, active: boolean) => void {
  const store = useStore();
  const { t } = useI18n();
  return useCallback((name, active) => {
    ipc.invoke('tunnels:setActive', name, active).catch((e: unknown) => {
      // Main sends the state before the rejection, so the diagnosis is in the store by now.
      const s = store.getSummary(name);
      onError(s?.state === 'error' && s.diagnosis ? t.diagnosis(s.diagnosis) : messageOf(e));
    });
  }, [onError, store, t]);
}
