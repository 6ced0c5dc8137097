// Taking over a tunnel still up from before a helper restart: its engine
// survived, so it is watched and can be turned off, but its config never
// reached this process, so options cannot change without a reconnect. What
// the helper needs to keep its keys out of logs and to check route conflicts,
// it reads back from the engine.
import { encodeKey, keyToHex } from '../../../../shared/config/keys.js';
import type { Diagnosis, TunnelState } from '../../../../shared/control/protocol.js';
import { claimFromAllowedIps } from './conflicts.js';
import { HANDSHAKE_GRACE_MS, HANDSHAKE_STALE_MS } from './health.js';
import { engineStopped } from './engine-stopped.js';
import type { MonitorDeps } from './tunnel-monitor.js';
import type { Tunnel } from './tunnel-record.js';

export interface AdoptionHost {
  now(): number;
  line(text: string): void;
  setState(state: TunnelState, reason: string | null, diagnosis: Diagnosis | null): void;
  /** Starts the monitor; a handshake since `upAt` counts, a missing one only after `graceUntil`. */
  watch(upAt: number, graceUntil: number): void;
}

export async function adoptTunnel(t: Tunnel, deps: MonitorDeps, host: AdoptionHost): Promise<void> {
  const now = host.now();
  try {
    const dev = await deps.get(t.name);
    const keys = [dev.privateKey, ...dev.peers.map((p) => p.presharedKey)].filter((k): k is Uint8Array => !!k && k.some((b) => b !== 0));
    t.secrets = keys.flatMap((k) => [encodeKey(k), keyToHex(k)]);
    t.claim = claimFromAllowedIps(dev.peers.flatMap((p) => p.allowedIps));
  } catch {
    // Its engine is gone and recover() kept it: only a kill switch is left, blocking on purpose.
    const { reason, diagnosis } = engineStopped('helper-away');
    host.setState('error', reason, diagnosis);
    return;
  }
  host.line(`Adopted "${t.name}", still up from before the helper restarted.`);
  host.setState('connecting', 'Checking the tunnel after a helper restart.', null);
  host.watch(now - HANDSHAKE_STALE_MS, now + HANDSHAKE_GRACE_MS);
}
