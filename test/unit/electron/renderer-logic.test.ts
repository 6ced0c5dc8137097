import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HISTORY_LIMITS } from '../../../shared/ipc/history.js';
import type { EventName, EventPayload, IpcApi, InvokeName } from '../../../shared/ipc/schema.js';
import type { TunnelDetail, TunnelHistory, TunnelSummary } from '../../../shared/ipc/types.js';
import { bucketize, niceMax, plot, RANGES } from '../../../renderer/features/graph/graph-math.js';
import { innerMtu } from '../../../renderer/features/editor/mtu.js';
import { TunnelStore } from '../../../renderer/lib/tunnel-store.js';
import { autostartEntry } from '../../../electron/app-core/settings/autostart-linux.js';

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
});

describe('throughput graph math', () => {
  it('rounds the y axis up to a round rate in binary units', () => {
    assert.equal(niceMax(0), 1024);
    assert.equal(niceMax(3000), 5 * 1024);
    assert.equal(niceMax(1.5 * 1024 * 1024), 2 * 1024 * 1024);
  });

  it('averages ten minutes into 5-second buckets and drops points outside the range', () => {
    const points = Array.from({ length: 700 }, (_, i) => ({ at: (i + 1) * 1000, rx: 100, tx: 50 }));
    const b = bucketize(points, RANGES.tenMinutes, 700_000);
    assert.equal(b.length, 120);
    assert.ok(b.every((p) => p.rx === 100 && p.tx === 50));
    assert.equal(bucketize(points, RANGES.minute, 700_000).length, 60);
  });

  it('puts the newest sample at the right edge and zero at the bottom', () => {
    const p = plot([{ at: 1000, rx: 0, tx: 0 }, { at: 2000, rx: 1024, tx: 0 }], RANGES.minute, 2000, 600, 100);
    assert.match(p.rx, /L600\.0,0\.0$/);
    assert.match(p.tx, /L600\.0,100\.0$/);
  });
});

describe('MTU advisor', () => {
  it('PPPoE over DSL at 1454 leaves 1394 inside over IPv4, and 20 less over IPv6', () => {
    assert.equal(innerMtu(1454, 4), 1394);
    assert.equal(innerMtu(1454, 6), 1374);
    assert.equal(innerMtu(1500, 6), 1420, "wg-quick's default");
  });
});

describe('start at login (Linux)', () => {
  it('writes an XDG autostart entry that quotes the executable and passes --hidden', () => {
    const e = autostartEntry('/opt/Wire Desk/wiredesk', true);
    assert.match(e, /^Exec="\/opt\/Wire Desk\/wiredesk" --hidden$/m);
    assert.match(e, /^Type=Application$/m);
  });
});
