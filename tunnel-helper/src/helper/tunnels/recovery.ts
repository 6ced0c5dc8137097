// Brings a running tunnel back when its session cannot be trusted, fed by
// the monitor's once-a-second UAPI poll:
//
//   resume from sleep ----------------------------> reconnect: re-resolve, re-bind,
//   traffic waits, nothing back for deadAfter ----> re-handshake; "reconnecting"
//                                                   until a handshake completes
//   nothing back for 3 s, a network change,
//   every 3 minutes (peers with a host name) -----> re-resolve: move the peer if
//                                                   its name has a new address
//
// "Traffic waits" is read from the counters: tx grows while rx does not. A
// healthy session always answers within 10 s (KeepaliveTimeout: a peer that
// receives data and has nothing to send sends a keepalive), so the 20 s
// default cannot fire on one-way traffic. One attempt at a time; when one
// fails, the next waits the dead time again, doubling (up to x8) until
// something comes back.
import { encodeKey } from '../../../../shared/config/keys.js';
import type { Diagnosis, EventData, RecoveryStep } from '../../../../shared/control/protocol.js';
import type { DeviceState } from '../../engine/uapi/device-api.js';
import { formatEndpoint, pickAddress, type NamedEndpoint } from './endpoint-names.js';
import { kickBodies, moveBody, reHandshakeBody, rebindBodies } from './peer-reset.js';

export const DEFAULT_DEAD_AFTER_MS = 20_000;
export const RESOLVE_EVERY_MS = 180_000;
/** A lookup per stall is cheap, and a moved server is unreachable until one: look soon. */
export const RESOLVE_ON_STALL_MS = 3_000;
/** How long "reconnecting" holds without a handshake before the monitor's own verdict shows again. */
export const RECONNECT_WINDOW_MS = 20_000;

export interface RecoveryDeps {
  get(ifname: string): Promise<DeviceState>;
  set(ifname: string, body: string): Promise<void>;
  resolve(host: string): Promise<string[]>;
  now(): number;
}

export interface RecoverySink {
  line(text: string): void;
  roaming(d: EventData<'roaming'>): void;
  /** A reconnect started (its diagnosis says why and what was done), or ended (null). */
  reconnecting(d: Diagnosis | null): void;
  /** The helper moved a peer itself: not a roam to report again. */
  endpointMoved(publicKey: string, endpoint: string): void;
}

interface Track { rx: bigint; tx: bigint; stallSince?: number; handshake: number }

export class Recovery {
  private tracks = new Map<string, Track>();
  private busy = false;
  private attempt: { at: number } | null = null;
  private lastResolveAt: number;
  private nextDeadAt = 0;
  private streak = 0;
  private stopped = false;
  /** What the latest reconnect did, until a handshake completes after it. */
  lastTried: RecoveryStep[] | null = null;

  constructor(
    readonly name: string, private readonly names: readonly NamedEndpoint[], private readonly deps: RecoveryDeps,
    private readonly sink: RecoverySink, public deadAfterMs = DEFAULT_DEAD_AFTER_MS,
  ) {
    this.lastResolveAt = deps.now();
  }

  get reconnecting(): boolean {
    return this.attempt !== null;
  }

  stop(): void {
    this.stopped = true;
  }

  /** One poll's device state. */
  observe(state: DeviceState, now: number): void {
    for (const p of state.peers) {
      const key = encodeKey(p.publicKey);
      const hs = p.lastHandshakeSec * 1000 + Math.floor(p.lastHandshakeNsec / 1e6);
      const t = this.tracks.get(key);
      if (!t || p.rxBytes < t.rx || p.txBytes < t.tx) {
        this.tracks.set(key, { rx: p.rxBytes, tx: p.txBytes, handshake: hs }); // new, or re-added (counters restart)
        continue;
      }
      if (p.rxBytes > t.rx) {
        delete t.stallSince;
        this.streak = 0;
      } else if (p.txBytes > t.tx) t.stallSince ??= now;
      [t.rx, t.tx, t.handshake] = [p.rxBytes, p.txBytes, hs];
    }
    const live = new Set(state.peers.map((p) => encodeKey(p.publicKey)));
    for (const k of [...this.tracks.keys()]) if (!live.has(k)) this.tracks.delete(k);
    this.checkAttempt(state, now);
    if (this.busy || this.stopped) return;

    const stalls = [...this.tracks.values()].flatMap((t) => (t.stallSince === undefined ? [] : [t.stallSince]));
    const stallSince = stalls.length ? Math.min(...stalls) : undefined;
    if (stallSince !== undefined && !this.attempt && now - stallSince >= this.deadAfterMs && now >= this.nextDeadAt) {
      void this.reconnect('dead-tunnel', now - stallSince);
    } else if (this.names.length > 0 && (now - this.lastResolveAt >= RESOLVE_EVERY_MS ||
      (stallSince !== undefined && now - stallSince >= RESOLVE_ON_STALL_MS && this.lastResolveAt < stallSince))) {
      void this.exclusive(() => this.reresolve(state, stallSince !== undefined ? 'no reply' : 'periodic check'));
    }
  }

  /** The network changed: names may resolve differently from here. */
  networkChanged(): void {
    if (this.names.length === 0 || this.busy || this.stopped) return;
    void this.exclusive(async () => this.reresolve(await this.deps.get(this.name), 'network change'));
  }

  /** The computer woke up: its session keys cannot be trusted. */
  resumed(): Promise<void> {
    return this.reconnect('resumed-from-sleep', 0);
  }

  private async exclusive(work: () => Promise<unknown>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await work();
    } catch (e) {
      this.sink.line(`Recovery of "${this.name}" failed: ${(e as Error).message}`);
    } finally {
      this.busy = false;
    }
  }

  private async reconnect(code: 'resumed-from-sleep' | 'dead-tunnel', deadMs: number): Promise<void> {
    await this.exclusive(async () => {
      if (this.stopped) return;
      const tried: RecoveryStep[] = [];
      let state = await this.deps.get(this.name);
      if (!state.peers.some((p) => p.endpoint !== null)) return; // peers reach us: nothing to start from this side
      if (this.names.length > 0) {
        await this.reresolve(state, code === 'dead-tunnel' ? 'dead tunnel' : 'resume');
        tried.push('re-resolved');
      }
      for (const body of rebindBodies(state.listenPort)) await this.deps.set(this.name, body);
      tried.push('re-bound');
      state = await this.deps.get(this.name);
      const at = this.deps.now();
      for (const p of state.peers.filter((q) => q.endpoint !== null)) {
        await this.deps.set(this.name, reHandshakeBody(p));
        for (const body of kickBodies(p)) await this.deps.set(this.name, body);
      }
      tried.push('re-handshaken');
      const seconds = Math.round(deadMs / 1000);
      const why = code === 'resumed-from-sleep'
        ? 'The computer woke from sleep, so the session keys may be stale.'
        : `Traffic was waiting, but nothing came back and no handshake completed for ${seconds} seconds.`;
      const message = `${why} Reconnecting: ${tried.map((s) => STEP_TEXT[s]).join(', ')}.`;
      this.attempt = { at };
      this.lastTried = tried;
      if (code === 'dead-tunnel') this.streak++;
      this.sink.line(message);
      this.sink.reconnecting({ code, message, tried, ...(code === 'dead-tunnel' ? { deadSeconds: seconds } : {}) });
    });
  }

  private checkAttempt(state: DeviceState, now: number): void {
    const a = this.attempt;
    if (!a) return;
    const withEndpoint = state.peers.filter((p) => p.endpoint !== null);
    const done = withEndpoint.length > 0 && withEndpoint.every((p) => p.lastHandshakeSec * 1000 + 999 >= a.at);
    if (done) {
      this.lastTried = null;
      this.sink.line(`A new handshake completed: "${this.name}" is back.`);
    } else if (now - a.at < RECONNECT_WINDOW_MS) return;
    else this.nextDeadAt = now + this.deadAfterMs * 2 ** Math.min(Math.max(this.streak - 1, 0), 3); // the next try backs off
    this.attempt = null;
    this.sink.reconnecting(null);
  }

  /** Looks every named endpoint up again and moves a peer whose address changed. */
  private async reresolve(state: DeviceState, why: string): Promise<void> {
    this.lastResolveAt = this.deps.now();
    for (const n of this.names) {
      const peer = state.peers.find((p) => encodeKey(p.publicKey) === n.publicKey);
      if (!peer) continue;
      let addresses: string[];
      try {
        addresses = await this.deps.resolve(n.host);
      } catch (e) {
        this.sink.line(`Could not look up ${n.host} again (${why}): ${(e as Error).message}. Keeping ${peer.endpoint ?? 'no endpoint'}.`);
        continue;
      }
      const ip = pickAddress(peer.endpoint, addresses);
      if (ip === null) continue;
      const to = formatEndpoint(ip, n.port);
      await this.deps.set(this.name, moveBody(peer.publicKey, to));
      this.sink.endpointMoved(n.publicKey, to);
      this.sink.line(`${n.host} resolved to a new address (${why}): moved peer ${n.publicKey.slice(0, 8)}… from ${peer.endpoint ?? '(none)'} to ${to}.`);
      this.sink.roaming({ name: this.name, publicKey: n.publicKey, from: peer.endpoint, to, at: this.deps.now(), reason: 'resolved', host: n.host });
    }
  }
}

const STEP_TEXT: Record<RecoveryStep, string> = {
  're-resolved': 'looked up the endpoint host name again',
  're-bound': 're-opened the UDP socket',
  're-handshaken': 'started a new handshake',
};
