// "Exclude the network I'm on" as the tunnel manager runs it: turned on after
// an up or on a running tunnel (no reconnect), recomputed on every network
// change the helper's NetworkWatch reports, and read back from the journal
// for a tunnel adopted after a restart. netconfig/lan-bypass.ts does the work.
import { ProtocolError } from '../../../../shared/control/protocol.js';
import { redactLine } from '../../../../shared/redact.js';
import type { NetconfigApi } from './netconfig-api.js';
import type { Tunnel } from './tunnel-record.js';

export interface LanBypassHost {
  netconfig: NetconfigApi;
  line(t: Tunnel, text: string): void;
}

function describe(prefixes: readonly string[]): string {
  return prefixes.length === 0 ? 'no LAN subnet right now' : prefixes.join(', ');
}

/** Turns the option on or off for a tunnel that is up; a failure is a control error and changes nothing recorded. */
export async function setExcludeLan(t: Tunnel, on: boolean, host: LanBypassHost): Promise<void> {
  const { setLanBypass } = host.netconfig;
  if (!setLanBypass) throw new ProtocolError('conflict', 'This helper cannot exclude the LAN.');
  try {
    const routes = await setLanBypass.call(host.netconfig, t.name, on, { log: (l) => host.line(t, l) });
    t.excludeLan = on;
    t.lanBypass = routes.map((r) => r.prefix);
    host.line(t, on ? `The LAN bypasses the tunnel: ${describe(t.lanBypass)}.` : 'The LAN goes through the tunnel again.');
  } catch (e) {
    const message = redactLine((e as Error).message, t.secrets);
    host.line(t, `Could not change "exclude the LAN": ${message}`);
    throw new ProtocolError('tunnel-failed', message);
  }
}

/** After a network change: every tunnel with the option follows the new LAN. Returns the tunnels whose LAN changed. */
export async function refreshExcludeLan(tunnels: Iterable<Tunnel>, host: LanBypassHost): Promise<Tunnel[]> {
  const changed: Tunnel[] = [];
  for (const t of tunnels) {
    if (!t.excludeLan || t.state === 'down' || t.state === 'error' || !host.netconfig.refreshLanBypass) continue;
    try {
      const routes = await host.netconfig.refreshLanBypass(t.name, { log: (l) => host.line(t, l) });
      const next = (routes ?? []).map((r) => r.prefix);
      if (next.join() === t.lanBypass.join()) continue;
      t.lanBypass = next;
      host.line(t, `The network changed; the LAN that bypasses the tunnel is now: ${describe(next)}.`);
      changed.push(t);
    } catch (e) {
      host.line(t, `Could not follow the new LAN: ${redactLine((e as Error).message, t.secrets)}`);
    }
  }
  return changed;
}

/** For an adopted tunnel: the option as its journal says. */
export function readExcludeLan(t: Tunnel, netconfig: NetconfigApi): void {
  const routes = netconfig.lanBypassState?.(t.name) ?? null;
  t.excludeLan = routes !== null;
  t.lanBypass = (routes ?? []).map((r) => r.prefix);
}
