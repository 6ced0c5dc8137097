// Switching a tunnel: main shows "connecting" at once and reports failures
// as the tunnel's state, so the caller only needs to surface rejected calls.
import { useCallback } from 'react';
import { ipc, messageOf } from '../../lib/ipc.js';

export function useToggle(onError: (message: string) => void): (name: string, active: boolean) => void {
  return useCallback((name, active) => {
    ipc.invoke('tunnels:setActive', name, active).catch((e: unknown) => onError(messageOf(e)));
  }, [onError]);
}
