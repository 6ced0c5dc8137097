// Tunnels as the app sees them: profiles from the store joined with the
// runtime state the helper reports.
//
//   setActive(on) --> predicted 'connecting' at once --> the helper's up(text)
//   helper events --> tunnel-state / stats (-> rates, history) / handshake / roaming / log
//   helper lost   --> every active tunnel 'error' (diagnosis: helper), restart offered
//
// Everything that changes is pushed to the renderer through `emit` and to
// local listeners (tray, notifications) through onChange.
import type { EventData, KillSwitch } from '../../../shared/control/protocol.js';
import { ratePointOf } from '../../../shared/ipc/history.js';
import type { EmitEvent } from '../../../shared/ipc/schema.js';
import type {
  Diagnosis, LogLine, PeerStats, TunnelDetail, TunnelHistory, TunnelState, TunnelSummary,
} from '../../../shared/ipc/types.js';
import type { HelperConnection } from '../helper/helper-connection.js';
import type { HelperSupervisor } from '../helper/helper-supervisor.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import { redactLine } from '../../../shared/redact.js';
import { describeProfile } from '../profiles/profile-view.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { TunnelRuntime } from './tunnel-runtime.js';

export interface TunnelChange {
  readonly name: string;
  readonly previous: TunnelState;
  readonly state: TunnelState;
  readonly diagnosis?: Diagnosis;
}

/** What a tunnel's own preferences add to the settings' options. */
export interface TunnelOwnOptions {
  readonly excludeLan?: boolean;
  readonly splitDns?: string[];
}

export class TunnelService {
  private readonly runtimes = new Map<string, TunnelRuntime>();
  private readonly details = new Map<string, TunnelDetail>();
  private readonly changeListeners = new Set<(change: TunnelChange | null) => void>();

  constructor(
    private readonly store: ProfileStore,
    private readonly settings: SettingsStore,
    private readonly helper: HelperSupervisor,
    private readonly emit: EmitEvent,
    private readonly now: () => number = Date.now,
  ) {
    helper.onConnect((c) => this.attach(c));
    helper.onStatus((s) => {
      if (s.state === 'failed' || s.state === 'reconnecting') this.helperLost(s.message ?? 'The WireDesk helper stopped.');
      // Back after a drop: take the helper's word for what runs now.
      if (s.state === 'connected') this.resync();
    });
  }

  /** A state change (or null after stats/list changes): the tray and notifications redraw from this. */
  onChange(listener: (change: TunnelChange | null) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  names(): string[] {
    return this.store.list();
  }

  summaries(): TunnelSummary[] {
    return this.names().map((name) => this.summary(name));
  }

  summary(name: string): TunnelSummary {
    const detail = this.detail(name);
    const rt = this.runtime(name);
    return {
      name,
      state: rt.state,
      ...(rt.diagnosis ? { diagnosis: rt.diagnosis } : {}),
      publicKey: detail.publicKey,
      addresses: detail.addresses,
      peerCount: detail.peers.length,
      rxRate: rt.latest?.rxRate ?? 0,
      txRate: rt.latest?.txRate ?? 0,
    };
  }

  detail(name: string): TunnelDetail {
    let d = this.details.get(name);
    if (!d) {
      d = describeProfile(name, this.store.read(name));
      this.details.set(name, d);
    }
    return d;
  }

  history(name: string): TunnelHistory {
    const rt = this.runtime(name);
    return { rates: rt.rates.toArray(), handshakes: rt.handshakes.toArray(), roaming: rt.roaming.toArray(), latest: rt.latest };
  }

  logs(name: string): LogLine[] {
    return this.runtime(name).logs.toArray();
  }

  stateOf(name: string): TunnelState {
    return this.runtimes.get(name)?.state ?? 'down';
  }

  /** The profile list changed (import, save, rename, delete). */
  profilesChanged(renamed?: { from: string; to: string }): void {
    this.details.clear();
    if (renamed) {
      const rt = this.runtimes.get(renamed.from);
      if (rt) {
        this.runtimes.delete(renamed.from);
        this.runtimes.set(renamed.to, rt);
      }
    }
    for (const name of [...this.runtimes.keys()]) if (!this.store.has(name)) this.runtimes.delete(name);
    this.emit('tunnels:changed', this.summaries());
    this.notify(null);
  }

  async setActive(name: string, active: boolean): Promise<void> {
    if (!this.store.has(name)) throw new Error(`There is no tunnel named "${name}".`);
    const rt = this.runtime(name);
    if (active) {
      if (rt.state === 'up' || rt.state === 'connecting' || rt.state === 'degraded' || rt.state === 'reconnecting') return;
      // Show the predicted state at once; the helper confirms or corrects it.
      this.setState(name, 'connecting', undefined);
      this.log(name, 'info', 'Switching the tunnel on.');
      try {
        const helper = await this.helper.ensure();
        await helper.call('up', { name, configText: this.store.read(name), options: this.options(name) });
      } catch (e) {
        const message = (e as Error).message;
        this.log(name, 'error', `Could not switch the tunnel on: ${message}`);
        // An outdated helper is never used: the banner offers the update instead.
        const code = this.helper.getStatus().state === 'outdated' ? 'helper-outdated' : 'setup-failed';
        // The helper's own diagnosis of this attempt (its event came before the reply) says more.
        if (rt.state !== 'error' || code === 'helper-outdated') this.setState(name, 'error', { code, message });
        throw e;
      }
    } else {
      if (rt.state === 'down') return;
      this.log(name, 'info', 'Switching the tunnel off.');
      const helper = this.helper.current();
      try {
        if (helper) await helper.call('down', { name });
      } finally {
        rt.stopped();
        this.setState(name, 'down', undefined);
      }
    }
  }

  /** A line in the tunnel's log from elsewhere in main (the on-demand rules). */
  note(name: string, text: string): void {
    this.log(name, 'info', text);
  }

  /** Applies changed kill-switch settings to running tunnels. */
  async optionsChanged(): Promise<void> {
    const helper = this.helper.current();
    if (!helper) return;
    for (const [name, rt] of this.runtimes) {
      if (rt.state !== 'down') await helper.call('setOptions', { name, options: this.options(name) }).catch((e: Error) => this.log(name, 'warn', e.message));
    }
  }

  /** Where each tunnel's own options come from (app-core wires its stores in: "exclude the LAN", split DNS). */
  useTunnelOptions(lookup: (name: string) => TunnelOwnOptions): void {
    this.ownOptions = lookup;
  }

  /** A tunnel's split DNS domains changed: the helper applies them to a running tunnel in place. */
  async splitDnsChanged(name: string): Promise<void> {
    const helper = this.helper.current();
    const rt = this.runtimes.get(name);
    if (!helper || !rt || rt.state === 'down') return;
    await helper.call('setOptions', { name, options: { splitDns: this.ownOptions(name).splitDns ?? [] } });
  }

  private ownOptions: (name: string) => TunnelOwnOptions = () => ({});

  /** The settings' kill switch and dead-tunnel time, and the tunnel's own options, as the helper takes them with up and setOptions. */
  private options(name: string): { killSwitch: KillSwitch; deadAfterSeconds: number } & TunnelOwnOptions {
    const s = this.settings.get();
    const { excludeLan, splitDns } = this.ownOptions(name);
    return {
      killSwitch: !s.killSwitch ? 'off' : s.allowLan ? 'allow-lan' : 'on', deadAfterSeconds: s.deadAfterSeconds,
      ...(excludeLan ? { excludeLan } : {}), ...(splitDns?.length ? { splitDns } : {}),
    };
  }

  private attach(c: HelperConnection): void {
    c.on('tunnel-state', (e) => this.known(e.name) && this.setState(e.name, e.state, diagnosisOf(e)));
    c.on('stats', (e) => this.known(e.name) && this.onStats(e));
    c.on('handshake', (e) => {
      if (!this.known(e.name)) return;
      this.runtime(e.name).handshakes.push(e);
      this.emit('tunnel:handshake', e);
    });
    c.on('roaming', (e) => {
      if (!this.known(e.name)) return;
      this.runtime(e.name).roaming.push(e);
      this.emit('tunnel:roaming', e);
    });
    c.on('log', (line) => line.tunnel && this.known(line.tunnel) && this.pushLog({ ...line, level: 'info' }));
  }

  /** Tunnels the helper already runs (installed service, app restarted) show as they are. */
  private resync(): void {
    this.helper.current()?.call('listTunnels', {}).then(
      ({ tunnels: list }) => {
        const running = new Set(list.map((t) => t.name));
        for (const t of list) if (this.known(t.name)) this.setState(t.name, t.state, undefined);
        for (const [name, rt] of this.runtimes) if (!running.has(name) && rt.state === 'error' && rt.diagnosis?.code === 'helper-lost') this.setState(name, 'down', undefined);
      },
      () => undefined,
    );
  }

  private onStats(e: EventData<'stats'>): void {
    const rt = this.runtime(e.name);
    const peers: PeerStats[] = e.peers.map((p) => ({
      ...p,
      ...rt.meter.next(p.publicKey, { at: e.at, rxBytes: p.rxBytes, txBytes: p.txBytes }),
    }));
    const rxRate = peers.reduce((s, p) => s + p.rxRate, 0);
    const txRate = peers.reduce((s, p) => s + p.txRate, 0);
    rt.latest = { name: e.name, at: e.at, rxRate, txRate, peers };
    rt.rates.push(ratePointOf(rt.latest));
    this.emit('tunnel:stats', rt.latest);
    this.notify(null);
  }

  private helperLost(message: string): void {
    for (const [name, rt] of this.runtimes) {
      if (rt.state === 'down') continue;
      rt.stopped();
      this.log(name, 'error', message);
      this.setState(name, 'error', { code: 'helper-lost', message });
    }
  }

  private setState(name: string, state: TunnelState, diagnosis: Diagnosis | undefined): void {
    const rt = this.runtime(name);
    const previous = rt.state;
    if (previous === state && rt.diagnosis?.message === diagnosis?.message) return;
    rt.state = state;
    rt.diagnosis = state === 'degraded' || state === 'error' || state === 'reconnecting' ? diagnosis : undefined;
    if (state === 'down') rt.stopped();
    this.emit('tunnel:state', { name, state, ...(rt.diagnosis ? { diagnosis: rt.diagnosis } : {}) });
    if (previous !== state) this.log(name, state === 'error' ? 'error' : state === 'degraded' ? 'warn' : 'info', `State: ${previous} → ${state}${rt.diagnosis ? ` (${rt.diagnosis.message})` : ''}`);
    this.notify({ name, previous, state, ...(rt.diagnosis ? { diagnosis: rt.diagnosis } : {}) });
  }

  private log(name: string, level: LogLine['level'], text: string): void {
    this.pushLog({ at: this.now(), level, source: 'app', tunnel: name, text });
  }

  private pushLog(line: LogLine): void {
    const safe = { ...line, text: redactLine(line.text) };
    if (!line.tunnel) return;
    this.runtime(line.tunnel).logs.push(safe);
    this.emit('tunnel:log', safe);
  }

  private known(name: string): boolean {
    return this.store.has(name);
  }

  private runtime(name: string): TunnelRuntime {
    let rt = this.runtimes.get(name);
    if (!rt) {
      rt = new TunnelRuntime();
      this.runtimes.set(name, rt);
    }
    return rt;
  }

  private notify(change: TunnelChange | null): void {
    for (const l of this.changeListeners) l(change);
  }
}

/** The helper's diagnosis; a failed up it did not diagnose still gets its reason as one. */
function diagnosisOf(e: EventData<'tunnel-state'>): Diagnosis | undefined {
  if (e.diagnosis) return e.diagnosis;
  return e.reason && e.state === 'error' ? { code: 'setup-failed', message: e.reason } : undefined;
}
