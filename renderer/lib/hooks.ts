// React hooks over the TunnelStore, one subscription key per hook, and a
// shared 1 Hz clock for ticking ages ("1 minute, 6 seconds ago").
import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { LogLine, StatsSample, TunnelSummary } from '../../shared/ipc/types.js';
import type { Timelines, TunnelStore } from './tunnel-store.js';

export const StoreContext = createContext<TunnelStore | null>(null);

export function useStore(): TunnelStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('TunnelStore missing: wrap the app in StoreContext.');
  return store;
}

function useKey<T>(key: string, get: () => T): T {
  const store = useStore();
  const subscribe = useCallback((l: () => void) => store.subscribe(key, l), [store, key]);
  return useSyncExternalStore(subscribe, get);
}

export function useTunnelNames(): readonly string[] {
  const store = useStore();
  return useKey('names', store.getNames);
}

export function useSummary(name: string): TunnelSummary | undefined {
  const store = useStore();
  return useKey(`summary:${name}`, useCallback(() => store.getSummary(name), [store, name]));
}

export function useStats(name: string): StatsSample | undefined {
  const store = useStore();
  return useKey(`stats:${name}`, useCallback(() => store.getStats(name), [store, name]));
}

export function useTimelines(name: string): Timelines {
  const store = useStore();
  return useKey(`timelines:${name}`, useCallback(() => store.getTimelines(name), [store, name]));
}

export function useLogs(name: string): readonly LogLine[] {
  const store = useStore();
  return useKey(`logs:${name}`, useCallback(() => store.getLogs(name), [store, name]));
}

// One interval for every ticking label in the app.
let now = Date.now();
const clockListeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
function subscribeClock(l: () => void): () => void {
  clockListeners.add(l);
  timer ??= setInterval(() => {
    now = Date.now();
    clockListeners.forEach((f) => f());
  }, 1000);
  return () => {
    clockListeners.delete(l);
    if (clockListeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** Wall-clock ms, updated once a second while someone listens. */
export function useNow(): number {
  return useSyncExternalStore(subscribeClock, () => now);
}
