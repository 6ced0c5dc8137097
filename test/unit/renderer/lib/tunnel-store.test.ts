import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HISTORY_LIMITS } from '../../../../shared/ipc/history.js';
import type { EventName, EventPayload, IpcApi, InvokeName } from '../../../../shared/ipc/schema.js';
import type { TunnelDetail, TunnelHistory, TunnelSummary } from '../../../../shared/ipc/types.js';
import { TunnelStore } from '../../../../renderer/lib/tunnel-store.js';

const noHistory: TunnelHistory = { rates: [], handshakes: [], roaming: [], latest: null };

/** An IpcApi double typed by the schema: calls answer from a table, events are pushed by the test. */
function fakeIpc(list: TunnelSummary[], detail = (name: string): TunnelDetail => ({ name, publicKey: null, addresses: [], dns: [], peers: [] })) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const asked: InvokeName[] = [];
  const answers: Partial<Record<InvokeName, (name: string) => unknown>> = {
    'tunnels:list': () => list, 'tunnels:history': () => noHistory, 'tunnels:detail': detail,
  };
  const api: IpcApi = {
    invoke: (async (channel: InvokeName, name: string) => {
      asked.push(channel);
      return answers[channel]?.(name) ?? null;
    }) as IpcApi['invoke'],
    on(event, l) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(l as (p: unknown) => void);
      return () => set.delete(l as (p: unknown) => void);
    },
  };
  const push = <K extends EventName>(event: K, payload: EventPayload<K>) => listeners.get(event)?.forEach((l) => l(payload));
  return { api, push, asked };
}

const summary = (name: string): TunnelSummary => ({ name, state: 'up', publicKey: null, addresses: [], peerCount: 5, rxRate: 0, txRate: 0 });

describe('renderer tunnel store', () => {
  it('a stats event wakes only that tunnel\'s subscribers (ten tunnels, no re-render storm)', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `t${i}`);
    const { api, push } = fakeIpc(names.map(summary));
    const store = new TunnelStore(api);
    store.start();
    await store.loadHistory('t3'); // the detail view is open
    await new Promise((r) => setImmediate(r));
    const woken: string[] = [];
    for (const n of names) for (const k of ['summary', 'stats']) store.subscribe(`${k}:${n}`, () => woken.push(`${k}:${n}`));
    const peers = Array.from({ length: 5 }, (_, i) => ({ publicKey: `p${i}`, endpoint: null, rxBytes: 1, txBytes: 1, rxRate: 100, txRate: 10, latestHandshake: null }));
    push('tunnel:stats', { name: 't3', at: 1000, rxRate: 500, txRate: 50, peers });
    assert.deepEqual(woken.sort(), ['stats:t3', 'summary:t3']);
    woken.length = 0;
    push('tunnel:stats', { name: 't3', at: 2000, rxRate: 500, txRate: 50, peers });
    assert.deepEqual(woken, ['stats:t3'], 'unchanged rates do not re-render the list row');
    assert.equal(store.getSummary('t3')?.rxRate, 500);
    assert.equal(store.getTimelines('t3').rates.length, 2);
  });

  it('caches what main sends: history only for a tunnel a view asked for, then extended by events within main\'s limits', async () => {
    const { api, push } = fakeIpc([summary('a'), summary('b')]);
    const store = new TunnelStore(api);
    store.start();
    await store.loadHistory('a');
    const sample = (name: string, at: number) => ({ name, at, rxRate: at, txRate: 0, peers: [] });
    for (let at = 1; at <= HISTORY_LIMITS.rates + 5; at++) {
      push('tunnel:stats', sample('a', at));
      push('tunnel:stats', sample('b', at));
    }
    const rates = store.getTimelines('a').rates;
    assert.equal(rates.length, HISTORY_LIMITS.rates);
    assert.deepEqual(rates.at(-1), { at: HISTORY_LIMITS.rates + 5, rx: HISTORY_LIMITS.rates + 5, tx: 0 });
    assert.deepEqual(store.getTimelines('b').rates, [], 'main keeps b\'s history; the store has not been asked for it');
  });

  it('keeps a tunnel\'s detail once asked for, and fetches it again when the list changes', async () => {
    let dns = ['10.0.0.1'];
    const { api, push, asked } = fakeIpc([summary('a')], (name) => ({ name, publicKey: null, addresses: [], dns, peers: [] }));
    const store = new TunnelStore(api);
    store.start();
    const woken: string[] = [];
    store.subscribe('detail:a', () => woken.push('detail:a'));
    await store.loadDetail('a');
    assert.deepEqual(store.getDetail('a')?.dns, ['10.0.0.1']);
    dns = ['10.0.0.53'];
    push('tunnels:changed', [summary('a')]);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(store.getDetail('a')?.dns, ['10.0.0.53']);
    assert.deepEqual(woken, ['detail:a', 'detail:a']);
    assert.equal(asked.filter((c) => c === 'tunnels:detail').length, 2);
  });

  it('keeps the summary object stable when nothing changed, so memoized rows skip rendering', async () => {
    const { api, push } = fakeIpc([summary('a')]);
    const store = new TunnelStore(api);
    store.start();
    await new Promise((r) => setImmediate(r));
    const before = store.getSummary('a');
    push('tunnels:changed', [summary('a')]);
    assert.equal(store.getSummary('a'), before);
  });

  it('answers the same empty log list until the log loads, as useSyncExternalStore needs (a new [] each time looped the Logs tab)', () => {
    const store = new TunnelStore(fakeIpc([summary('a')]).api);
    assert.equal(store.getLogs('a'), store.getLogs('a'));
    assert.equal(store.getTimelines('a'), store.getTimelines('a'));
  });
});
