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
import { encodeKey, keyToHex, loadConfig, type LoadedConfig } from '../../../../shared/config/index.js';
import { uapiGet, uapiSet } from '../../engine/uapi/client.js';
import { claimFromAllowedIps, findConflict, routeClaims } from './conflicts.js';
import { HANDSHAKE_GRACE_MS, HANDSHAKE_STALE_MS, diagnoseUpFailure } from './health.js';
import { LogBook } from './log-book.js';
import { LogTail } from './log-tail.js';
import type { NetconfigApi } from './netconfig-api.js';
import type { Policy } from '../control/policy.js';
import {
  ProtocolError, type Diagnosis, type EventData, type EventName, type KillSwitch, type LogLine, type Params, type Result,
  type TunnelState, type TunnelStatus,
} from '../../../../shared/control/protocol.js';
import { redactLine, secretsOf } from '../../../../shared/redact.js';
import { TunnelMonitor, type MonitorDeps } from './tunnel-monitor.js';
import { notFound, statusOf, type Tunnel } from './tunnel-record.js';
import { resolveHost } from './endpoint-names.js';
import { DEFAULT_DEAD_AFTER_MS } from './recovery.js';
import { applyHealth, attachRecovery, type RecoveryHost } from './recovery-wiring.js';
import { realSystemEvents, type SystemEvents } from './system-events.js';
import { Prober, realProbeDeps } from './probe.js';

export interface ManagerOptions {
  netconfig: NetconfigApi;
  /** Read at every up/down, so an admin's change applies without a restart. */
  policy: () => Policy;
  /** Where engines write their logs (WIREDESK_LOG_DIR). */
  logDir: string;
  emit: <E extends EventName>(event: E, data: EventData<E>) => void;
  now?: () => number;
  /** Replaces UAPI and the log file, for tests. */
  monitorDeps?: (name: string, logPath: string) => MonitorDeps;
  maxTunnels?: number;
  engineCommand?: string;
  /** Also print every log line here (stderr, i.e. the journal). */
  echo?: (line: string) => void;
  /** Host name lookups for endpoints (default: the system resolver). */
  resolve?: (host: string) => Promise<string[]>;
  /** Resume and network-change news; default the real watches, or none when monitorDeps is given (unit tests). */
  systemEvents?: SystemEvents | null;
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

  networkChanged(): void {
    for (const t of this.tunnels.values()) t.recovery?.networkChanged();
  }

  /** Cleans up after a helper or engine that died, from netconfig's journal. */
  async recover(): Promise<string[]> {
    const names = await this.opts.netconfig.recoverStaleTunnels((l) => this.line(null, l));
    for (const n of names) this.line(null, `Cleaned up "${n}", left behind by a previous helper.`);
    this.opts.netconfig.prepareEngine?.(this.opts.engineCommand);
    return names;
  }

  /**
   * Takes over the tunnels still up from before a helper restart (their
   * engines survived it): they are watched and can be turned off, but their
   * config is unknown, so options cannot change without a reconnect.
   */
  async adopt(): Promise<string[]> {
    const adopted: string[] = [];
    for (const name of this.opts.netconfig.activeTunnels()) {
      if (this.tunnels.has(name)) continue;
      const logPath = join(this.opts.logDir, `${name}.log`);
      const deps = this.opts.monitorDeps?.(name, logPath) ?? this.realMonitorDeps(logPath);
      const now = this.now();
      const t: Tunnel = {
        name, config: null, secrets: [], claim: { defaultRoutes: [] }, killSwitch: 'off', state: 'down', reason: null,
        diagnosis: null, since: now, result: null, monitor: null, starting: null, recovery: null, deadAfterMs: DEFAULT_DEAD_AFTER_MS,
      };
      this.tunnels.set(name, t);
      adopted.push(name);
      try {
        const dev = await deps.get(name);
        const keys = [dev.privateKey, ...dev.peers.map((p) => p.presharedKey)].filter((k): k is Uint8Array => !!k && k.some((b) => b !== 0));
        t.secrets = keys.flatMap((k) => [encodeKey(k), keyToHex(k)]);
        t.claim = claimFromAllowedIps(dev.peers.flatMap((p) => p.allowedIps));
      } catch {
        // Its engine is gone and recover() kept it: only a kill switch is left, blocking on purpose.
        this.setState(t, 'error', 'The tunnel engine is gone; its kill switch keeps blocking traffic until you turn this tunnel off.',
          { code: 'engine-stopped', message: 'The tunnel engine stopped while the helper was not running. Turn the tunnel off and on again.', engineStop: 'helper-away' });
        continue;
      }
      this.line(name, `Adopted "${name}", still up from before the helper restarted.`);
      this.setState(t, 'connecting', 'Checking the tunnel after a helper restart.', null);
      // Recent handshakes count; a missing one only after a fresh grace period.
      this.watch(t, deps, now - HANDSHAKE_STALE_MS, now + HANDSHAKE_GRACE_MS);
    }
    return adopted;
  }

  private prober: Prober | null = null;

  /** A handshake-only check of a config that is not up (probe.ts). */
  probe(p: Params<'probe'>): Promise<Result<'probe'>> {
    this.prober ??= new Prober(realProbeDeps(this.opts.engineCommand, () => [...this.tunnels.keys()]), (n, l) => this.line(n, l));
    return this.prober.probe(p.name, p.configText, p.timeoutMs, this.tunnels.has(p.name));
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

  /** A helper log line about the machine rather than one tunnel (which network it is on). */
  helperLine(text: string): void {
    this.line(null, text);
  }

  /** The control call: the one place an up reads config text. */
  async up(p: Params<'up'>): Promise<TunnelStatus> {
    const { name } = p;
    const { diagnostics, config } = loadConfig(p.configText);
    if (!config) {
      const errors = diagnostics.filter((d) => d.severity === 'error');
      throw new ProtocolError('config-invalid',
        `The configuration of "${name}" has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n` +
        errors.map((d) => `line ${d.line}:${d.column}: ${d.message}`).join('\n'),
        diagnostics.map((d) => ({ line: d.line, column: d.column, severity: d.severity, message: d.message })));
    }
    const deadAfterMs = (p.options?.deadAfterSeconds ?? DEFAULT_DEAD_AFTER_MS / 1000) * 1000;
    return this.start(name, config, p.options?.killSwitch ?? 'off', deadAfterMs);
  }

  private async start(name: string, config: LoadedConfig, killSwitch: KillSwitch, deadAfterMs = DEFAULT_DEAD_AFTER_MS): Promise<TunnelStatus> {
    const claim = routeClaims(config);
    const stale = this.tunnels.get(name);
    if (stale?.state === 'error' && !stale.starting) await this.release(stale);
    const conflict = findConflict(name, claim, [...this.tunnels.values()]);
    if (conflict) throw new ProtocolError('conflict', conflict);
    if (this.tunnels.size >= (this.opts.maxTunnels ?? 32)) {
      throw new ProtocolError('conflict', `${this.tunnels.size} tunnels are already running, the most this helper runs at once. Turn one off first.`);
    }

    const t: Tunnel = {
      name, config, secrets: secretsOf(config.wg), claim, killSwitch, state: 'down', reason: null,
      diagnosis: null, since: this.now(), result: null, monitor: null, starting: null, recovery: null, deadAfterMs,
    };
    this.tunnels.set(name, t); // checked and reserved with no await between: a racing up conflicts
    this.setState(t, 'connecting', 'Starting the tunnel.', null);
    const starting = this.bringUp(t);
    t.starting = starting;
    try {
      await starting;
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
    this.watch(t, this.opts.monitorDeps?.(t.name, logPath) ?? this.realMonitorDeps(logPath), t.since);
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
      engineGone: (why) => void this.onEngineGone(t, why),
    }, graceUntil);
    t.monitor.start();
    this.system?.start({ resumed: () => this.resumed(), networkChanged: () => this.networkChanged() });
  }

  private realMonitorDeps(logPath: string): MonitorDeps {
    const tail = new LogTail(logPath);
    return {
      get: (n) => uapiGet(n, { timeoutMs: 3000 }),
      set: (n, body) => uapiSet(n, body, { timeoutMs: 3000 }),
      readLog: () => tail.read(),
      now: this.now,
    };
  }

  async down(name: string): Promise<Result<'down'>> {
    const t = this.tunnels.get(name);
    if (!t) throw notFound(name);
    if (t.starting) await t.starting.catch(() => {});
    if (this.tunnels.get(name) !== t) return { name, state: 'down' }; // its up failed meanwhile
    await this.release(t);
    return { name, state: 'down' };
  }

  /**
   * Applies new options to a running tunnel in place: the kill switch table
   * is swapped (netconfig's setKillSwitch), and the engine and its session
   * stay. Only a netconfig without that (a test fake) reconnects instead.
   */
  async setOptions(p: Params<'setOptions'>): Promise<TunnelStatus> {
    const t = this.tunnels.get(p.name);
    if (!t) throw notFound(p.name);
    if (t.starting) await t.starting.catch(() => {});
    this.setDeadAfter(t, p.options.deadAfterSeconds);
    const killSwitch = p.options.killSwitch ?? t.killSwitch;
    // An adopted tunnel's mode is not known here (config null): apply it anyway.
    if (killSwitch === t.killSwitch && t.config !== null) return statusOf(t);
    const { setKillSwitch } = this.opts.netconfig;
    if (setKillSwitch && t.state !== 'error' && t.state !== 'down') {
      this.line(t.name, `Kill switch ${t.config === null ? '' : `${t.killSwitch} `}-> ${killSwitch}, without reconnecting.`);
      try {
        await setKillSwitch.call(this.opts.netconfig, t.name, killSwitch, { log: (l) => this.line(t.name, l) });
      } catch (e) {
        const message = redactLine((e as Error).message, t.secrets);
        this.line(t.name, `Could not change the kill switch: ${message}`);
        throw new ProtocolError('tunnel-failed', message);
      }
      t.killSwitch = killSwitch;
      return statusOf(t);
    }
    const { config } = t;
    if (config === null) {
      throw new ProtocolError('conflict', `"${t.name}" was started before the helper restarted, so its configuration is not known here. Turn it off and on again to change its options.`);
    }
    this.line(t.name, `Kill switch ${t.killSwitch} -> ${killSwitch}: reconnecting "${t.name}".`);
    await this.release(t);
    return this.start(p.name, config, killSwitch);
  }

  /** Applies the dead-tunnel time in place: no reconnect needed. */
  private setDeadAfter(t: Tunnel, seconds: number | undefined): void {
    if (seconds === undefined) return;
    t.deadAfterMs = seconds * 1000;
    if (t.recovery) t.recovery.deadAfterMs = t.deadAfterMs;
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
      await this.opts.netconfig.tunnelDown(t.name, { allowScripts: this.opts.policy().allowScripts, log: (l) => this.line(t.name, l) });
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

  private async onEngineGone(t: Tunnel, why: string): Promise<void> {
    t.monitor = null;
    t.recovery?.stop();
    this.line(t.name, `The engine of "${t.name}" stopped: ${why}`);
    if (t.killSwitch !== 'off') {
      // Keep the kill switch's rules: the user asked not to leak while the tunnel is out.
      this.setState(t, 'error', 'The tunnel engine stopped unexpectedly. The kill switch keeps blocking traffic until you turn this tunnel off.',
        { code: 'engine-stopped', message: 'The tunnel engine stopped unexpectedly. Turn the tunnel off and on again to reconnect.', engineStop: 'kill-switch-held' });
      return;
    }
    try {
      await this.opts.netconfig.tunnelDown(t.name, { allowScripts: this.opts.policy().allowScripts, log: (l) => this.line(t.name, l) });
    } catch (e) {
      this.line(t.name, `Cleanup after the engine stopped: ${(e as Error).message}`);
    }
    this.setState(t, 'error', 'The tunnel engine stopped unexpectedly, so the tunnel was turned off and its routes and DNS removed. Turn it on again to reconnect.',
      { code: 'engine-stopped', message: 'The tunnel engine stopped unexpectedly. Turn the tunnel on again to reconnect.', engineStop: 'turned-off' });
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
