// The tunnels the helper runs, several at once. Each goes
//
//   up() --> connecting --(handshake)--> up <--> degraded
//     |          \_____________________________/ |  ^
//     |                                  resume, |  | handshake (or 20 s:
//     |                               dead tunnel v  | the monitor's verdict)
//     |                                       reconnecting (recovery.ts)
//     |                        | engine died
//     v                        v
//   error (setup failed)     error --down()--> down
//
// Bringing a tunnel up or down is netconfig's job; this class loads the
// config text once (the helper's trust boundary), decides whether the tunnel
// may start (name and default-route conflicts), keeps the loaded config in
// memory only (never on disk, never in a log), watches the running tunnel
// (tunnel-monitor.ts) and turns all of it into protocol events.
import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type LoadedConfig } from '../../../../shared/config/index.js';
import { findConflict } from './conflicts.js';
import { diagnoseUpFailure } from './health.js';
import { LogBook } from './log-book.js';
import {
  ProtocolError, type Diagnosis, type KillSwitch, type LogLine, type Params, type Result, type TunnelState, type TunnelStatus,
} from '../../../../shared/control/protocol.js';
import { redactLine } from '../../../../shared/redact.js';
import { TunnelMonitor, uapiMonitorDeps, type MonitorDeps } from './tunnel-monitor.js';
import { configInvalid, newTunnel, notFound, statusOf, type Tunnel } from './tunnel-record.js';
import { adoptTunnel } from './tunnel-adoption.js';
import { engineGone } from './engine-stopped.js';
import { resolveHost } from './endpoint-names.js';
import { DEFAULT_DEAD_AFTER_MS } from './recovery.js';
import { applyHealth, attachRecovery, type RecoveryHost } from './recovery-wiring.js';
import { realSystemEvents, type SystemEvents } from './system-events.js';
import { applyOptions } from './tunnel-options.js';
import { readExcludeLan, refreshExcludeLan, setExcludeLan, type LanBypassHost } from './lan-bypass-option.js';
import type { ManagerOptions } from './manager-options.js';

export type { ManagerOptions };

/** The per-tunnel routing options an up carries besides the kill switch. */
interface StartRouting {
  readonly excludeLan?: boolean;
  readonly splitDns?: readonly string[];
}

export class TunnelManager {
  readonly logs = new LogBook();
  private tunnels = new Map<string, Tunnel>();
  private readonly now: () => number;
  private readonly system: SystemEvents | null;

  constructor(private readonly opts: ManagerOptions) {
    this.now = opts.now ?? Date.now;
    this.system = opts.systemEvents !== undefined ? opts.systemEvents
      : opts.monitorDeps ? null : realSystemEvents((n) => this.tunnels.has(n), (l) => this.line(null, l));
  }

  private readonly recoveryHost: RecoveryHost = {
    line: (tunnel, text) => this.line(tunnel, text),
    roaming: (d) => this.opts.emit('roaming', d),
    setState: (t, state, reason, diagnosis) => this.setState(t, state, reason, diagnosis),
    resolve: (host) => (this.opts.resolve ?? resolveHost)(host),
    now: () => this.now(),
  };

  /** The computer woke up: every running tunnel makes a new handshake. */
  resumed(): void {
    for (const t of this.tunnels.values()) void t.recovery?.resumed();
  }

  /** Cleans up after a helper or engine that died, from netconfig's journal. */
  async recover(): Promise<string[]> {
    const names = await this.opts.netconfig.recoverStaleTunnels((l) => this.line(null, l));
    for (const n of names) this.line(null, `Cleaned up "${n}", left behind by a previous helper.`);
    this.opts.netconfig.prepareEngine?.(this.opts.engineCommand);
    return names;
  }

  /** Takes over the tunnels still up from before a helper restart (tunnel-adoption.ts). */
  async adopt(): Promise<string[]> {
    const adopted: string[] = [];
    for (const name of this.opts.netconfig.activeTunnels()) {
      if (this.tunnels.has(name)) continue;
      const t = newTunnel(name, null, 'off', DEFAULT_DEAD_AFTER_MS, this.now());
      this.tunnels.set(name, t);
      readExcludeLan(t, this.opts.netconfig);
      adopted.push(name);
      const deps = this.monitorDeps(name);
      await adoptTunnel(t, deps, {
        now: () => this.now(),
        line: (text) => this.line(name, text),
        setState: (state, reason, diagnosis) => this.setState(t, state, reason, diagnosis),
        watch: (upAt, graceUntil) => this.watch(t, deps, upAt, graceUntil),
      });
    }
    return adopted;
  }

  list(): Result<'listTunnels'> {
    return { tunnels: [...this.tunnels.values()].map((t) => ({ name: t.name, state: t.state, since: t.since })) };
  }

  status(name?: string): Result<'status'> {
    if (name !== undefined && !this.tunnels.has(name)) throw notFound(name);
    const all = name === undefined ? [...this.tunnels.values()] : [this.tunnels.get(name)!];
    return { tunnels: all.map((t) => statusOf(t)) };
  }

  recentLogs(p: Params<'logs'>): Result<'logs'> {
    return { lines: this.logs.recent(p.name, p.limit ?? 200) };
  }

  /** An interface this manager runs (a tunnel's name is its interface): network identity skips routes through it. */
  isTunnelInterface(ifname: string): boolean {
    return this.tunnels.has(ifname);
  }

  /** A log line from another part of the helper: about one tunnel, or (null) about the machine. */
  logLine(tunnel: string | null, text: string): void {
    this.line(tunnel, text);
  }

  /** The control call: the one place an up reads config text. */
  async up(p: Params<'up'>): Promise<TunnelStatus> {
    const { name } = p;
    const { diagnostics, config } = loadConfig(p.configText);
    if (!config) throw configInvalid(name, diagnostics);
    const deadAfterMs = (p.options?.deadAfterSeconds ?? DEFAULT_DEAD_AFTER_MS / 1000) * 1000;
    return this.start(name, config, p.options?.killSwitch ?? 'off', deadAfterMs, { excludeLan: p.options?.excludeLan ?? false, splitDns: p.options?.splitDns ?? [] });
  }

  private async start(name: string, config: LoadedConfig, killSwitch: KillSwitch, deadAfterMs = DEFAULT_DEAD_AFTER_MS, routing: StartRouting = {}): Promise<TunnelStatus> {
    const { excludeLan = false, splitDns = [] } = routing;
    const stale = this.tunnels.get(name);
    if (stale?.state === 'error' && !stale.starting) await this.release(stale);
    const t = newTunnel(name, config, killSwitch, deadAfterMs, this.now());
    t.splitDns = [...splitDns];
    const conflict = findConflict(name, t.claim, [...this.tunnels.values()]);
    if (conflict) throw new ProtocolError('conflict', conflict);
    if (this.tunnels.size >= (this.opts.maxTunnels ?? 32)) {
      throw new ProtocolError('conflict', `${this.tunnels.size} tunnels are already running, the most this helper runs at once. Turn one off first.`);
    }

    this.tunnels.set(name, t); // checked and reserved with no await between: a racing up conflicts
    this.setState(t, 'connecting', 'Starting the tunnel.', null);
    const starting = this.bringUp(t);
    t.starting = starting;
    try {
      await starting;
      // A LAN bypass that cannot be set leaves the tunnel up and says why (in the log and the status).
      if (excludeLan) await setExcludeLan(t, true, this.lanHost).catch(() => {});
    } finally {
      t.starting = null;
    }
    return statusOf(t);
  }

  private async bringUp(t: Tunnel): Promise<void> {
    const { allowScripts } = this.opts.policy();
    const logPath = join(this.opts.logDir, `${t.name}.log`);
    try { truncateSync(logPath); } catch { /* no earlier log */ }
    this.line(t.name, `Bringing up "${t.name}" (kill switch: ${t.killSwitch}, scripts ${allowScripts ? 'allowed' : 'disabled'} by policy).`);
    t.since = this.now();
    try {
      t.result = await this.opts.netconfig.tunnelUp(t.name, t.config!, {
        allowScripts, killSwitch: t.killSwitch, log: (l) => this.line(t.name, l), keepEngineWarm: true,
        ...(t.splitDns?.length ? { splitDns: t.splitDns } : {}),
        ...(this.opts.engineCommand ? { engineCommand: this.opts.engineCommand } : {}),
      });
    } catch (e) {
      // The failure can quote a hook's command line, which may hold a key.
      const message = redactLine((e as Error).message, t.secrets);
      this.line(t.name, `Could not bring up "${t.name}": ${message}`);
      this.forget(t);
      this.setState(t, 'error', message, diagnoseUpFailure(message));
      throw new ProtocolError('tunnel-failed', message);
    }
    for (const hook of t.result.hooksSkipped) {
      this.line(t.name, `Skipped ${hook}: scripts are disabled by the administrator's policy (allowScripts in /etc/wiredesk/policy.json).`);
    }
    this.setState(t, 'connecting', 'Waiting for the first handshake.', null);
    this.watch(t, this.monitorDeps(t.name), t.since);
  }

  private watch(t: Tunnel, deps: MonitorDeps, upAt: number, graceUntil?: number): void {
    const recovery = attachRecovery(t, deps, this.recoveryHost);
    t.monitor = new TunnelMonitor(t.name, upAt, deps, {
      polled: (state, now) => recovery.observe(state, now),
      stats: (d) => this.opts.emit('stats', d),
      roaming: (d) => {
        this.line(t.name, `Peer ${d.publicKey.slice(0, 8)}… roamed from ${d.from ?? '(none)'} to ${d.to}.`);
        this.opts.emit('roaming', d);
      },
      handshake: (d) => this.opts.emit('handshake', d),
      health: () => applyHealth(t, this.recoveryHost),
      engineLine: (l) => this.line(t.name, l, 'engine'),
      engineGone: (why) => void engineGone(t, why, {
        line: (text) => this.line(t.name, text),
        setState: (state, reason, diagnosis) => this.setState(t, state, reason, diagnosis),
        tunnelDown: () => this.tunnelDown(t.name),
      }),
    }, graceUntil);
    t.monitor.start();
    this.system?.start({ resumed: () => this.resumed(), networkChanged: () => {
      this.tunnels.forEach((t) => t.recovery?.networkChanged());
      void refreshExcludeLan(this.tunnels.values(), this.lanHost);
    } });
  }

  /** The running tunnel `name`, once any up in progress has finished. */
  private async settled(name: string): Promise<Tunnel> {
    const t = this.tunnels.get(name);
    if (!t) throw notFound(name);
    if (t.starting) await t.starting.catch(() => {});
    return t;
  }

  async down(name: string): Promise<Result<'down'>> {
    const t = await this.settled(name);
    if (this.tunnels.get(name) !== t) return { name, state: 'down' }; // its up failed meanwhile
    await this.release(t);
    return { name, state: 'down' };
  }

  /** Applies new options to a running tunnel, in place where it can (tunnel-options.ts). */
  async setOptions(p: Params<'setOptions'>): Promise<TunnelStatus> {
    const t = await this.settled(p.name);
    if (p.options.excludeLan !== undefined && p.options.excludeLan !== t.excludeLan) await setExcludeLan(t, p.options.excludeLan, this.lanHost);
    return applyOptions(t, p.options, {
      netconfig: this.opts.netconfig,
      line: (text) => this.line(t.name, text),
      reconnect: async (config, killSwitch) => {
        await this.release(t);
        return this.start(p.name, config, killSwitch, t.deadAfterMs, { excludeLan: t.excludeLan, splitDns: t.splitDns ?? [] });
      },
    });
  }

  private get lanHost(): LanBypassHost {
    return { netconfig: this.opts.netconfig, line: (t, text) => this.line(t.name, text) };
  }

  /** Stops watching, leaving every tunnel up for the next helper to adopt. */
  detach(): void {
    for (const t of this.tunnels.values()) { t.monitor?.stop(); t.recovery?.stop(); }
    this.system?.stop();
  }

  /** Takes every tunnel down, for SIGTERM. */
  async shutdown(timeoutMs = 20_000): Promise<void> {
    this.system?.stop();
    const all = [...this.tunnels.values()].map((t) => this.down(t.name).catch((e: Error) => this.line(t.name, `Could not turn off: ${e.message}`)));
    await Promise.race([Promise.all(all), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  }

  private async release(t: Tunnel): Promise<void> {
    t.monitor?.stop();
    t.monitor = null;
    t.recovery?.stop();
    this.line(t.name, `Turning off "${t.name}".`);
    try {
      await this.tunnelDown(t.name);
    } catch (e) {
      // Already gone (an engine crash was cleaned up) is fine; anything else the user must hear about.
      if (this.opts.netconfig.activeTunnels().includes(t.name)) {
        const message = `Could not turn off: ${(e as Error).message}`;
        this.setState(t, 'error', message, { code: 'teardown-failed', message });
        throw new ProtocolError('tunnel-failed', (e as Error).message);
      }
    }
    this.forget(t);
    this.setState(t, 'down', 'Turned off.', null);
  }

  /** Drops `t` from the table only if it is still the record under its name:
   *  a late release of an old record must not drop a newer tunnel's. */
  private forget(t: Tunnel): void {
    if (this.tunnels.get(t.name) === t) this.tunnels.delete(t.name);
  }

  private monitorDeps(name: string): MonitorDeps {
    const logPath = join(this.opts.logDir, `${name}.log`);
    return this.opts.monitorDeps?.(name, logPath) ?? uapiMonitorDeps(logPath, this.now);
  }

  private async tunnelDown(name: string): Promise<void> {
    await this.opts.netconfig.tunnelDown(name, { allowScripts: this.opts.policy().allowScripts, log: (l) => this.line(name, l) });
  }

  private setState(t: Tunnel, state: TunnelState, reason: string | null, diagnosis: Diagnosis | null): void {
    // Reasons carry live numbers (bytes sent, seconds): announce changes of state or diagnosis only.
    const changed = t.state !== state || t.diagnosis?.code !== diagnosis?.code;
    t.state = state;
    t.reason = reason;
    t.diagnosis = diagnosis;
    if (!changed) return;
    if (state === 'degraded' || state === 'error') this.line(t.name, `State ${state}: ${reason ?? ''}`);
    this.opts.emit('tunnel-state', { name: t.name, state, reason, diagnosis, at: this.now() });
  }

  /** Records a log line (secrets removed), and streams it. */
  private line(tunnel: string | null, text: string, source: LogLine['source'] = 'helper'): void {
    const secrets = tunnel ? this.tunnels.get(tunnel)?.secrets ?? [] : [...this.tunnels.values()].flatMap((t) => t.secrets);
    const clean = redactLine(text.replace(/\n$/, ''), secrets).slice(0, 8192);
    const entry: LogLine = { at: this.now(), tunnel, source, text: clean };
    this.logs.add(entry);
    this.opts.emit('log', entry);
    this.opts.echo?.(`${tunnel ? `[${tunnel}] ` : ''}${clean}`);
  }
}
