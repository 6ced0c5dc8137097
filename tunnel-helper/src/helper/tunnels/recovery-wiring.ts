// How a tunnel's recovery (recovery.ts) and its monitor decide the state
// together: while a reconnect is under way the recovery speaks
// ("reconnecting"), otherwise the monitor's health does, and a failure after
// a reconnect says what that reconnect tried.
import type { Diagnosis, EventData, TunnelState } from '../../../../shared/control/protocol.js';
import { namedEndpoints } from './endpoint-names.js';
import { RECONNECT_WINDOW_MS, Recovery } from './recovery.js';
import type { MonitorDeps } from './tunnel-monitor.js';
import type { Tunnel } from './tunnel-record.js';

export interface RecoveryHost {
  line(tunnel: string, text: string): void;
  roaming(d: EventData<'roaming'>): void;
  setState(t: Tunnel, state: TunnelState, reason: string | null, diagnosis: Diagnosis | null): void;
  resolve(host: string): Promise<string[]>;
  now(): number;
}

export function attachRecovery(t: Tunnel, deps: MonitorDeps, host: RecoveryHost): Recovery {
  t.recovery?.stop();
  t.recovery = new Recovery(t.name, namedEndpoints(t.config), { get: deps.get, set: deps.set, resolve: host.resolve, now: deps.now }, {
    line: (l) => host.line(t.name, l),
    roaming: (d) => host.roaming(d),
    endpointMoved: (key, ep) => t.monitor?.noteEndpoint(key, ep),
    reconnecting: (d) => {
      if (!d) return applyHealth(t, host);
      t.monitor?.holdOff(host.now() + RECONNECT_WINDOW_MS);
      host.setState(t, 'reconnecting', d.message, d);
    },
  }, t.deadAfterMs);
  return t.recovery;
}

/** The monitor's verdict, unless a reconnect is under way. */
export function applyHealth(t: Tunnel, host: Pick<RecoveryHost, 'setState'>): void {
  const h = t.monitor?.health;
  if (!h || t.recovery?.reconnecting) return;
  const tried = t.recovery?.lastTried;
  host.setState(t, h.state, h.reason, h.diagnosis && tried ? { ...h.diagnosis, tried } : h.diagnosis);
}
