// A handshake-only probe of a config that is not up: can its peers be
// reached right now? The app's failover groups ask this of a higher-ranked
// member while a lower one holds the routes, so nothing may route through it:
//
//   engine on a throwaway interface (wdpb<pid><n>): no addresses, no
//   routes, no DNS, IPv6 disabled on it; peers with no allowed IPs, so
//   nothing can be sent into it --> keepalive every second: with no keys
//   it is a handshake initiation --> done when every peer with an endpoint
//   has a handshake, or at the timeout --> interface deleted (the engine exits)
//
// The probe's UDP carries the fwmark of the running tunnel that uses policy
// routing (a /0 in AllowedIPs), so it leaves by the underlay like that
// tunnel's own UDP, and its kill switch lets it out (`meta mark M accept`).
import { writeFileSync } from 'node:fs';
import { encodeKey, keyToHex, loadConfig, type WgConfig } from '../../../../shared/config/index.js';
import { ProtocolError, type ProbeResult } from '../../../../shared/control/protocol.js';
import type { DeviceState, SetRequest } from '../../engine/uapi/device-api.js';
import { uapiGet, uapiSet } from '../../engine/uapi/client.js';
import { engineCommand, startEngine, stopEngine } from '../netconfig/engine.js';
import { ip } from '../netconfig/exec.js';
import { ensureStateDir } from '../netconfig/journal.js';
import { resolveEndpoints, setconfRequest } from '../netconfig/wg-setconf.js';

export const PROBE_TIMEOUT_MS = 8_000;
const POLL_MS = 100;
/** Probes at once; more wait for nothing: they are refused as busy. */
const MAX_PROBES = 4;

export interface ProbeDeps {
  startEngine(ifname: string): Promise<void>;
  stopEngine(ifname: string): Promise<void>;
  /** `ip link set IFNAME up`, with IPv6 disabled on it. */
  linkUp(ifname: string): Promise<void>;
  get(ifname: string): Promise<DeviceState>;
  set(ifname: string, request: SetRequest | string): Promise<void>;
  /** The fwmark of a running policy-routed tunnel, or 0. */
  bypassMark(): Promise<number>;
  now(): number;
  sleep(ms: number): Promise<void>;
}

export class Prober {
  private running = new Set<string>();
  private serial = 0;

  constructor(private readonly deps: ProbeDeps, private readonly line: (tunnel: string, text: string) => void) {}

  /** `isUp`: the tunnel runs here, so its health is known and a second engine would fight it for the peer. */
  async probe(name: string, configText: string, timeoutMs = PROBE_TIMEOUT_MS, isUp = false): Promise<ProbeResult> {
    if (isUp) throw new ProtocolError('conflict', `"${name}" is up; its own state says whether it is healthy, so it is not probed.`);
    if (this.running.has(name)) throw new ProtocolError('busy', `"${name}" is being probed already; wait for that probe's answer.`);
    if (this.running.size >= MAX_PROBES) throw new ProtocolError('busy', `${MAX_PROBES} probes are running; try again in a few seconds.`);
    const { config } = loadConfig(configText);
    if (!config) throw new ProtocolError('config-invalid', `The configuration of "${name}" has errors; open it in the editor to see them.`);
    const withEndpoint = config.wg.peers.filter((p) => p.endpoint);
    if (withEndpoint.length === 0) return { name, healthy: false, handshakeMs: null, reason: 'No peer has an endpoint, so there is nothing to probe.' };

    const ifname = `wdpb${process.pid % 1_000_000}${this.serial++ % 100}`.slice(0, 15);
    this.running.add(name);
    const started = this.deps.now();
    try {
      const mark = await this.deps.bypassMark();
      const endpoints = await resolveEndpoints(config.wg);
      await this.deps.startEngine(ifname);
      await this.deps.set(ifname, setconfRequest(handshakeOnly(config.wg), endpoints, mark || undefined));
      await this.deps.linkUp(ifname);
      // Set on a running device, a keepalive interval sends one at once: with no keys, a handshake initiation.
      for (const p of withEndpoint) await this.deps.set(ifname, `public_key=${keyToHex(p.publicKey)}\nupdate_only=true\npersistent_keepalive_interval=1\n`);
      const want = new Set(withEndpoint.map((p) => encodeKey(p.publicKey)));
      for (;;) {
        const state = await this.deps.get(ifname);
        const done = state.peers.filter((p) => want.has(encodeKey(p.publicKey)) && p.lastHandshakeSec > 0);
        const elapsed = this.deps.now() - started;
        if (done.length === want.size) {
          this.line(name, `Probe: ${want.size === 1 ? 'the peer answered' : `all ${want.size} peers answered`} a handshake in ${elapsed} ms.`);
          return { name, healthy: true, handshakeMs: elapsed, reason: null };
        }
        if (elapsed >= timeoutMs) {
          const reason = `No handshake completed with ${want.size - done.length} of ${want.size} peer${want.size === 1 ? '' : 's'} within ${Math.round(timeoutMs / 1000)} s.`;
          this.line(name, `Probe: ${reason}`);
          return { name, healthy: false, handshakeMs: null, reason };
        }
        await this.deps.sleep(POLL_MS);
      }
    } catch (e) {
      if (e instanceof ProtocolError) throw e;
      const reason = `The probe could not run: ${(e as Error).message}`;
      this.line(name, reason);
      return { name, healthy: false, handshakeMs: null, reason };
    } finally {
      this.running.delete(name);
      await this.deps.stopEngine(ifname).catch((e: Error) => this.line(name, `Probe cleanup of ${ifname}: ${e.message}`));
    }
  }
}

/** The config's keys and endpoints only: no allowed IPs, a random port (the real one may be taken by a running tunnel). */
function handshakeOnly(wg: WgConfig): WgConfig {
  return {
    privateKey: wg.privateKey,
    peers: wg.peers.map((p) => ({ publicKey: p.publicKey, ...(p.presharedKey ? { presharedKey: p.presharedKey } : {}), ...(p.endpoint ? { endpoint: p.endpoint } : {}), allowedIps: [] })),
  };
}

/** The probe's parts on this system: the tunnels' engine, `ip`, UAPI. */
export function realProbeDeps(engineOption: string | undefined, runningTunnels: () => string[]): ProbeDeps {
  return {
    startEngine: (ifname) => {
      ensureStateDir(); // the engine's output goes there; no tunnel may have created it yet
      return startEngine(ifname, engineCommand(engineOption));
    },
    stopEngine: (ifname) => stopEngine(ifname),
    linkUp: async (ifname) => {
      // No IPv6 at all: no link-local address, no multicast route. Absent when the system has no IPv6.
      try { writeFileSync(`/proc/sys/net/ipv6/conf/${ifname}/disable_ipv6`, '1'); } catch { /* no IPv6 here */ }
      await ip(['link', 'set', 'dev', ifname, 'up']);
    },
    get: (ifname) => uapiGet(ifname, { timeoutMs: 3000 }),
    set: (ifname, request) => uapiSet(ifname, request, { timeoutMs: 3000 }),
    bypassMark: async () => {
      for (const n of runningTunnels()) {
        const mark = await uapiGet(n, { timeoutMs: 3000 }).then((s) => s.fwmark, () => 0);
        if (mark !== 0) return mark;
      }
      return 0;
    },
    now: Date.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
}
