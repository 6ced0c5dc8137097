// Watches one running tunnel, once a second:
//
//   engine output (new lines) --> initiated / cookie / invalid reply / gave up
//                                 (typed events; engine-log.ts reads them from
//                                 a foreign engine's text), and its log lines
//   UAPI get=1             --> stats event, roaming (endpoint changed),
//                              handshake completed (latest handshake moved)
//   both                   --> health (health.ts): state changes, and a
//                              "failed" handshake event when a peer degrades
//
// WireGuard only starts a handshake when it has something to send, so an
// idle tunnel would never prove itself. The monitor therefore probes a peer
// that has no PersistentKeepalive of its own: it turns persistent keepalive
// on and straight off again over UAPI, which sends one keepalive and with it
// a handshake (wg-go and our engine both send one when it goes 0 -> n). It
// probes at up, when the session nears expiry (165 s, before the 180 s
// limit), and every 30 s while no handshake holds.
import { encodeKey, keyToHex } from '../../../../shared/config/keys.js';
import { parseRecord } from '../../../../shared/engine-events/event-stream.js';
import type { EngineEvent } from '../../../../shared/engine-events/events.js';
import type { DeviceState } from '../../engine/uapi/device-api.js';
import { uapiGet, uapiSet } from '../../engine/uapi/client.js';
import { LogTail } from './log-tail.js';
import { eventFromLogLine } from './engine-log.js';
import { HANDSHAKE_GRACE_MS, assessTunnel, diagnosePeer, isFreshHandshake, type CounterSample, type PeerHealthInput, type TunnelHealth } from './health.js';
import type { EventData, PeerStatus } from '../../../../shared/control/protocol.js';

export const POLL_INTERVAL_MS = 1000;
export const PROBE_AT_AGE_MS = 165_000;
export const PROBE_RETRY_MS = 30_000;
const HISTORY_MS = 90_000;
/** Consecutive failed UAPI reads before the engine counts as gone. */
const GONE_AFTER_FAILURES = 3;

export interface MonitorDeps {
  get(ifname: string): Promise<DeviceState>;
  /** Body lines of a UAPI `set=1` request. */
  set(ifname: string, body: string): Promise<void>;
  /** New whole lines of the engine's output since the last call: records
   *  (shared/engine-events/event-stream.ts) from WireDesk's engine, log text from another. */
  readLog(): Promise<string[]>;
  now(): number;
}

export interface MonitorSink {
  stats(data: EventData<'stats'>): void;
  roaming(data: EventData<'roaming'>): void;
  handshake(data: EventData<'handshake'>): void;
  /** Called when the state or the diagnosis changes. */
  health(h: TunnelHealth): void;
  engineLine(line: string): void;
  engineGone(why: string): void;
  /** Every successful poll's device state (recovery.ts reads the counters). */
  polled?(state: DeviceState, now: number): void;
}

interface PeerTrack {
  endpoint: string | null;
  latestHandshake: number | null;
  history: CounterSample[];
  cookieAt?: number;
  invalidReplyAt?: number;
  probedAt?: number;
  degraded: boolean;
  last: PeerStatus;
  /** The engine's own counters at the last poll. */
  raw: { rx: number; tx: number };
  /** Bytes counted before the engine's counters last restarted, so the totals the app shows never go back. */
  before: { rx: number; tx: number };
}

function statusOf(p: DeviceState['peers'][number], key: string): PeerStatus {
  const hs = p.lastHandshakeSec === 0 && p.lastHandshakeNsec === 0 ? null : p.lastHandshakeSec * 1000 + Math.floor(p.lastHandshakeNsec / 1e6);
  return {
    publicKey: key, endpoint: p.endpoint, latestHandshake: hs, rxBytes: Number(p.rxBytes), txBytes: Number(p.txBytes),
    allowedIps: p.allowedIps, persistentKeepalive: p.persistentKeepaliveInterval,
  };
}

export class TunnelMonitor {
  private peers = new Map<string, PeerTrack>();
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private running = false;
  private stopped = false;
  private lastHealth: TunnelHealth | null = null;

  /**
   * `upAt`: handshakes from then on count. `graceUntil`: when a missing one
   * starts to count as degraded (default 15 s after up).
   */
  constructor(
    readonly name: string, readonly upAt: number, private readonly deps: MonitorDeps, private readonly sink: MonitorSink,
    private graceUntil = upAt + HANDSHAKE_GRACE_MS,
  ) {}

  start(intervalMs = POLL_INTERVAL_MS): void {
    this.timer = setInterval(() => void this.tick(), intervalMs);
    void this.tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A missing handshake does not count as degraded before `until` (a reconnect is under way). */
  holdOff(until: number): void {
    this.graceUntil = Math.max(this.graceUntil, until);
  }

  /** The helper moved this peer itself (recovery.ts): the change is reported there, not as a roam. */
  noteEndpoint(publicKey: string, endpoint: string): void {
    const t = this.peers.get(publicKey);
    if (t) t.endpoint = endpoint;
  }

  get health(): TunnelHealth | null {
    return this.lastHealth;
  }

  get peerStatus(): PeerStatus[] {
    return [...this.peers.values()].map((p) => p.last);
  }

  /** One poll; overlapping calls are skipped (a slow engine must not pile them up). */
  async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      await this.pollOnce();
    } finally {
      this.running = false;
    }
  }

  private async pollOnce(): Promise<void> {
    const lines = await this.deps.readLog().catch(() => [] as string[]);
    let state: DeviceState;
    try {
      state = await this.deps.get(this.name);
      this.failures = 0;
    } catch (e) {
      if (++this.failures >= GONE_AFTER_FAILURES && !this.stopped) {
        this.stop();
        this.sink.engineGone((e as Error).message);
      }
      return;
    }
    if (this.stopped) return;
    const now = this.deps.now();
    const keys = state.peers.map((p) => encodeKey(p.publicKey));
    for (const key of [...this.peers.keys()]) if (!keys.includes(key)) this.peers.delete(key);
    // Engine output first: an initiation it reported precedes the handshake UAPI now shows.
    for (const p of state.peers) this.track(p, encodeKey(p.publicKey));
    for (const line of lines) this.onEngineOutput(line, keys, now);
    for (const p of state.peers) this.observe(p, encodeKey(p.publicKey), now);

    this.sink.stats({
      name: this.name, at: now,
      peers: [...this.peers.values()].map(({ last }) => ({
        publicKey: last.publicKey, endpoint: last.endpoint, latestHandshake: last.latestHandshake, rxBytes: last.rxBytes, txBytes: last.txBytes,
      })),
    });
    this.updateHealth(now);
    this.sink.polled?.(state, now);
    await this.probe(state, now);
  }

  /** Starts tracking a peer seen for the first time (its endpoint then is no roaming). */
  private track(p: DeviceState['peers'][number], key: string): void {
    if (this.peers.has(key)) return;
    const last = statusOf(p, key);
    this.peers.set(key, { endpoint: p.endpoint, latestHandshake: null, history: [], degraded: false, last, raw: { rx: last.rxBytes, tx: last.txBytes }, before: { rx: 0, tx: 0 } });
  }

  private observe(p: DeviceState['peers'][number], key: string, now: number): void {
    const last = statusOf(p, key);
    const { latestHandshake: hs, rxBytes: rx, txBytes: tx } = last;
    const t = this.peers.get(key)!;
    if (p.endpoint !== null && t.endpoint !== p.endpoint) {
      this.sink.roaming({ name: this.name, publicKey: key, from: t.endpoint, to: p.endpoint, at: now, reason: 'roamed' });
    }
    if (hs !== null && hs !== t.latestHandshake && hs >= this.upAt - 1000) {
      this.sink.handshake({ name: this.name, publicKey: key, kind: 'completed', at: hs, diagnosis: null });
    }
    t.endpoint = p.endpoint;
    t.latestHandshake = hs;
    // Counters restart when the peer is removed and added again (peer-reset.ts): old samples are no
    // evidence of a stall, but the bytes were moved, so the reported totals carry them on.
    if (rx < t.raw.rx || tx < t.raw.tx) {
      t.before = { rx: t.before.rx + t.raw.rx, tx: t.before.tx + t.raw.tx };
      t.history = [];
    }
    t.raw = { rx, tx };
    t.last = { ...last, rxBytes: rx + t.before.rx, txBytes: tx + t.before.tx };
    t.history.push({ at: now, rxBytes: rx, txBytes: tx });
    while (t.history.length > 2 && t.history[0]!.at < now - HISTORY_MS) t.history.shift();
  }

  /** A record of our engine, or a foreign engine's log line read through the adapter. */
  private onEngineOutput(line: string, keys: string[], now: number): void {
    const record = parseRecord(line);
    if (record?.type === 'log') return this.sink.engineLine(record.line);
    if (record) return this.onEngineEvent(record, now);
    this.sink.engineLine(line);
    const event = eventFromLogLine(line, keys, now);
    if (event) this.onEngineEvent(event, now);
  }

  private onEngineEvent(e: EngineEvent, now: number): void {
    const key = e.publicKey;
    const t = this.peers.get(key);
    // Events from before this watch began (read back after a helper restart) are no evidence now.
    if (!t || e.wallMs < this.upAt - 1000) return;
    switch (e.type) {
      case 'handshake-initiated':
        this.sink.handshake({ name: this.name, publicKey: key, kind: 'initiated', at: e.wallMs, diagnosis: null });
        break;
      case 'cookie-received':
        t.cookieAt = e.wallMs;
        break;
      case 'handshake-response-invalid':
        t.invalidReplyAt = e.wallMs;
        break;
      case 'handshake-failed':
        this.sink.handshake({
          name: this.name, publicKey: key, kind: 'failed', at: e.wallMs,
          diagnosis: diagnosePeer(this.healthInput(key, t), this.upAt, now, t.latestHandshake !== null),
        });
        break;
      default:
        break; // completed and endpoint changes come from UAPI, which any engine reports
    }
  }

  private healthInput(key: string, t: PeerTrack): PeerHealthInput {
    return {
      publicKey: key, endpoint: t.endpoint, latestHandshake: t.latestHandshake, history: t.history,
      ...(t.cookieAt !== undefined ? { cookieAt: t.cookieAt } : {}),
      ...(t.invalidReplyAt !== undefined ? { invalidReplyAt: t.invalidReplyAt } : {}),
    };
  }

  private updateHealth(now: number): void {
    const inputs = [...this.peers.entries()].map(([key, t]) => this.healthInput(key, t));
    const h = assessTunnel(inputs, this.upAt, now, this.graceUntil);
    // A "failed" handshake event once per peer each time it degrades.
    for (const input of inputs) {
      const t = this.peers.get(input.publicKey)!;
      const fresh = isFreshHandshake(t.latestHandshake, this.upAt, now);
      const degradedNow = h.state === 'degraded' && h.diagnosis?.publicKey === input.publicKey;
      if (degradedNow && !t.degraded) {
        this.sink.handshake({ name: this.name, publicKey: input.publicKey, kind: 'failed', at: now, diagnosis: h.diagnosis });
      }
      t.degraded = degradedNow || (t.degraded && !fresh);
    }
    const prev = this.lastHealth;
    this.lastHealth = h;
    if (!prev || prev.state !== h.state || prev.diagnosis?.code !== h.diagnosis?.code) this.sink.health(h);
  }

  private async probe(state: DeviceState, now: number): Promise<void> {
    for (const p of state.peers) {
      const key = encodeKey(p.publicKey);
      const t = this.peers.get(key);
      if (!t || p.persistentKeepaliveInterval !== 0 || p.endpoint === null) continue;
      const fresh = isFreshHandshake(t.latestHandshake, this.upAt, now);
      const aging = fresh && now - t.latestHandshake! >= PROBE_AT_AGE_MS;
      const due = t.probedAt === undefined || now - t.probedAt >= PROBE_RETRY_MS;
      if ((!fresh || aging) && due) {
        t.probedAt = now;
        const peer = `public_key=${keyToHex(p.publicKey)}\nupdate_only=true\n`;
        try {
          await this.deps.set(this.name, `${peer}persistent_keepalive_interval=25\n`);
          await this.deps.set(this.name, `${peer}persistent_keepalive_interval=0\n`);
        } catch { /* the next poll notices a dead engine */ }
      }
    }
  }
}

/** The real deps: the engine's UAPI socket and its record file. */
export function uapiMonitorDeps(logPath: string, now: () => number): MonitorDeps {
  const tail = new LogTail(logPath);
  return {
    get: (n) => uapiGet(n, { timeoutMs: 3000 }),
    set: (n, body) => uapiSet(n, body, { timeoutMs: 3000 }),
    readLog: () => tail.read(),
    now,
  };
}
