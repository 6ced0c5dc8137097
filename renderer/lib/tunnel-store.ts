// Live tunnel data for the renderer: a cache of what main sends. Main owns
// each tunnel's history (rates, timelines, logs) and its detail; the store
// holds them for a tunnel once a view asks (tunnels:history, tunnels:logs,
// tunnels:detail) and keeps them current from main's events, within main's
// limits. Components subscribe to one key each ("summary:office",
// "stats:office", ...) through useSyncExternalStore, so a stats event for one
// tunnel re-renders that tunnel's row and detail only: ten tunnels with five
// peers stay smooth at 1 Hz.
import { HISTORY_LIMITS, ratePointOf } from '../../shared/ipc/history.js';
import type {
  HandshakeEntry, LogLine, RatePoint, RoamingEntry, StatsSample, TunnelDetail, TunnelSummary,
} from '../../shared/ipc/types.js';
import type { IpcApi } from '../../shared/ipc/schema.js';
import { pushNewest } from '../../shared/ring.js';

export interface Timelines {
  readonly rates: readonly RatePoint[];
  readonly handshakes: readonly HandshakeEntry[];
  readonly roaming: readonly RoamingEntry[];
}

const emptyTimelines: Timelines = { rates: [], handshakes: [], roaming: [] };
// One empty list: useSyncExternalStore needs the same snapshot until something changes.
const noLogs: readonly LogLine[] = [];

export class TunnelStore {
  private names: readonly string[] = [];
  private readonly summaries = new Map<string, TunnelSummary>();
  private readonly stats = new Map<string, StatsSample>();
  private readonly timelines = new Map<string, Timelines>();
  private readonly logs = new Map<string, readonly LogLine[]>();
  private readonly details = new Map<string, TunnelDetail>();
  private readonly loaded = new Set<string>();
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(private readonly ipc: IpcApi) {}

  /** Loads the list and subscribes to main's events; returns the unsubscribe. */
  start(): () => void {
    const offs = [
      this.ipc.on('tunnels:changed', (list) => {
        this.setList(list);
        for (const name of this.details.keys()) void this.loadDetail(name);
      }),
      this.ipc.on('tunnel:state', ({ name, state, diagnosis }) => {
        const s = this.summaries.get(name);
        if (!s) return;
        const next: TunnelSummary = { ...s, state, rxRate: state === 'down' ? 0 : s.rxRate, txRate: state === 'down' ? 0 : s.txRate };
        if (diagnosis) (next as { diagnosis?: typeof diagnosis }).diagnosis = diagnosis;
        else delete (next as { diagnosis?: unknown }).diagnosis;
        this.summaries.set(name, next);
        if (state === 'down') this.stats.delete(name);
        this.notify(`summary:${name}`, `stats:${name}`);
      }),
      this.ipc.on('tunnel:stats', (sample) => {
        this.stats.set(sample.name, sample);
        const s = this.summaries.get(sample.name);
        if (s && (s.rxRate !== sample.rxRate || s.txRate !== sample.txRate)) {
          this.summaries.set(sample.name, { ...s, rxRate: sample.rxRate, txRate: sample.txRate });
          this.notify(`summary:${sample.name}`);
        }
        this.extendTimeline(sample.name, 'rates', ratePointOf(sample));
        this.notify(`stats:${sample.name}`);
      }),
      this.ipc.on('tunnel:handshake', (h) => this.extendTimeline(h.name, 'handshakes', h)),
      this.ipc.on('tunnel:roaming', (r) => this.extendTimeline(r.name, 'roaming', r)),
      this.ipc.on('tunnel:log', (line) => {
        const logs = line.tunnel && this.logs.get(line.tunnel);
        if (!line.tunnel || !logs) return;
        this.logs.set(line.tunnel, pushNewest(logs, line, HISTORY_LIMITS.logs));
        this.notify(`logs:${line.tunnel}`);
      }),
    ];
    void this.ipc.invoke('tunnels:list').then((list) => this.setList(list));
    return () => offs.forEach((off) => off());
  }

  subscribe(key: string, listener: () => void): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  getNames = (): readonly string[] => this.names;
  getSummary = (name: string): TunnelSummary | undefined => this.summaries.get(name);
  getStats = (name: string): StatsSample | undefined => this.stats.get(name);
  getTimelines = (name: string): Timelines => this.timelines.get(name) ?? emptyTimelines;
  getLogs = (name: string): readonly LogLine[] => this.logs.get(name) ?? noLogs;
  getDetail = (name: string): TunnelDetail | undefined => this.details.get(name);

  /** Fetches the history main kept before this view opened (once per tunnel); events extend it from then on. */
  async loadHistory(name: string): Promise<void> {
    if (this.loaded.has(name)) return;
    this.loaded.add(name);
    const h = await this.ipc.invoke('tunnels:history', name);
    this.timelines.set(name, { rates: h.rates, handshakes: h.handshakes, roaming: h.roaming });
    if (h.latest && !this.stats.has(name)) this.stats.set(name, h.latest);
    this.notify(`timelines:${name}`, `stats:${name}`);
  }

  async loadLogs(name: string): Promise<void> {
    this.logs.set(name, await this.ipc.invoke('tunnels:logs', name));
    this.notify(`logs:${name}`);
  }

  /** Fetches a tunnel's detail; it is fetched again whenever the tunnel list changes. */
  async loadDetail(name: string): Promise<void> {
    const detail = await this.ipc.invoke('tunnels:detail', name).catch(() => null);
    if (detail) this.details.set(name, detail);
    else this.details.delete(name);
    this.notify(`detail:${name}`);
  }

  private setList(list: readonly TunnelSummary[]): void {
    const names = list.map((t) => t.name);
    const changedNames = names.join('\n') !== this.names.join('\n');
    for (const t of list) {
      const old = this.summaries.get(t.name);
      if (!old || JSON.stringify(old) !== JSON.stringify(t)) {
        this.summaries.set(t.name, t);
        this.notify(`summary:${t.name}`);
      }
    }
    for (const name of this.summaries.keys()) if (!names.includes(name)) this.summaries.delete(name);
    if (changedNames) {
      this.names = names;
      this.notify('names');
    }
  }

  /** Appends what main just added to its history, for a tunnel whose history is cached. */
  private extendTimeline<K extends keyof Timelines>(name: string, key: K, item: Timelines[K][number]): void {
    const t = this.timelines.get(name);
    if (!t) return;
    this.timelines.set(name, { ...t, [key]: pushNewest<Timelines[K][number]>(t[key], item, HISTORY_LIMITS[key]) });
    this.notify(`timelines:${name}`);
  }

  private notify(...keys: string[]): void {
    for (const key of keys) for (const l of this.listeners.get(key) ?? []) l();
  }
}
