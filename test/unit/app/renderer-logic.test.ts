import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventName, EventPayload, IpcApi } from '../../../electron/ipc/schema.js';
import type { TunnelSummary } from '../../../electron/ipc/types.js';
import { bucketize, niceMax, plot, RANGES } from '../../../renderer/features/graph/graph-math.js';
import { innerMtu } from '../../../renderer/features/editor/mtu.js';
import { TunnelStore } from '../../../renderer/lib/tunnel-store.js';
import { autostartEntry } from '../../../electron/app-core/settings/autostart-linux.js';

/** An IpcApi double typed by the schema: calls answer from a table, events are pushed by the test. */
function fakeIpc(list: TunnelSummary[]) {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const api: IpcApi = {
    invoke: (async (channel: string) => (channel === 'tunnels:list' ? list : null)) as IpcApi['invoke'],
    on(event, l) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(l as (p: unknown) => void);
      return () => set.delete(l as (p: unknown) => void);
    },
  };
  const push = <K extends EventName>(event: K, payload: EventPayload<K>) => listeners.get(event)?.forEach((l) => l(payload));
  return { api, push };
}

const summary = (name: string): TunnelSummary => ({ name, state: 'up', publicKey: null, addresses: [], peerCount: 5, rxRate: 0, txRate: 0 });

describe('renderer tunnel store', () => {
  it('a stats event wakes only that tunnel\'s subscribers (ten tunnels, no re-render storm)', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `t${i}`);
    const { api, push } = fakeIpc(names.map(summary));
    const store = new TunnelStore(api);
    store.start();
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
