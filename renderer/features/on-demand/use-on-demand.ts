// The on-demand view from main (rules, trusted networks, the current
// network), kept current by 'ondemand:changed'. One shared copy for every
// component that shows it.
import { useSyncExternalStore } from 'react';
import type { OnDemandView } from '../../../shared/ipc/on-demand.js';
import { ipc } from '../../lib/ipc.js';

let view: OnDemandView | null = null;
let started = false;
const listeners = new Set<() => void>();

function set(v: OnDemandView): void {
  view = v;
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  if (!started) {
    started = true;
    ipc.on('ondemand:changed', set);
    void ipc.invoke('ondemand:get').then(set, () => undefined);
  }
  return () => listeners.delete(l);
}

export function useOnDemand(): OnDemandView | null {
  return useSyncExternalStore(subscribe, () => view);
}

/** Calls main and shows its answer at once (the event follows). */
export function act(call: Promise<OnDemandView>): void {
  void call.then(set, () => undefined);
}
