// What the helper knows about one tunnel it runs, and how that reads as the
// protocol's TunnelStatus.
import type { Diagnostic, LoadedConfig } from '../../../../shared/config/index.js';
import { routeClaims, type RouteClaim } from './conflicts.js';
import { secretsOf } from '../../../../shared/redact.js';
import type { UpResult } from './netconfig-api.js';
import { ProtocolError, type Diagnosis, type KillSwitch, type TunnelState, type TunnelStatus } from '../../../../shared/control/protocol.js';
import type { TunnelMonitor } from './tunnel-monitor.js';
import type { Recovery } from './recovery.js';

export interface Tunnel {
  name: string;
  /** Kept in memory only. null for a tunnel adopted after a helper restart: its config never reached this process. */
  config: LoadedConfig | null;
  /** Its keys in every printed form, kept out of log lines. */
  secrets: string[];
  claim: RouteClaim;
  killSwitch: KillSwitch;
  state: TunnelState;
  reason: string | null;
  diagnosis: Diagnosis | null;
  since: number;
  result: UpResult | null;
  monitor: TunnelMonitor | null;
  /** The up in progress; down waits for it. */
  starting: Promise<unknown> | null;
  /** Brings the tunnel back after sleep, a dead spell or a name's new address. */
  recovery: Recovery | null;
  /** Traffic waiting this long with nothing back counts as a dead tunnel. */
  deadAfterMs: number;
  /** "Exclude the network I'm on", and the prefixes it bypasses now (lan-bypass-option.ts). */
  excludeLan: boolean;
  lanBypass: string[];
  /** Split DNS domains it was brought up with ([] or absent: every query to its servers). */
  splitDns?: string[];
}

/** A tunnel not yet up: `config` null for one adopted after a helper restart. */
export function newTunnel(name: string, config: LoadedConfig | null, killSwitch: KillSwitch, deadAfterMs: number, now: number): Tunnel {
  return {
    name, config, secrets: config ? secretsOf(config.wg) : [], claim: config ? routeClaims(config) : { defaultRoutes: [] }, killSwitch,
    state: 'down', reason: null, diagnosis: null, since: now, result: null, monitor: null, starting: null, recovery: null, deadAfterMs,
    excludeLan: false, lanBypass: [],
  };
}

export function statusOf(t: Tunnel): TunnelStatus {
  // The monitor's reason is current to the second; a reconnect's is the recovery's own.
  const live = t.state === 'reconnecting' ? null : t.monitor?.health;
  return {
    name: t.name, state: t.state, reason: live ? live.reason : t.reason, diagnosis: live ? live.diagnosis : t.diagnosis,
    killSwitch: t.killSwitch, since: t.state === 'down' ? null : t.since, mtu: t.result?.mtu ?? null,
    hooksSkipped: t.result?.hooksSkipped ?? [], peers: t.monitor?.peerStatus ?? [],
    ...(t.excludeLan ? { excludeLan: true, lanBypass: t.lanBypass } : {}),
  };
}

export function notFound(name: string): ProtocolError {
  return new ProtocolError('not-found', `No tunnel named "${name}" is running.`);
}

/** The control error for config text that does not load, with every problem at its line. */
export function configInvalid(name: string, diagnostics: readonly Diagnostic[]): ProtocolError {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return new ProtocolError('config-invalid',
    `The configuration of "${name}" has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n` +
    errors.map((d) => `line ${d.line}:${d.column}: ${d.message}`).join('\n'),
    diagnostics.map((d) => ({ line: d.line, column: d.column, severity: d.severity, message: d.message })));
}
