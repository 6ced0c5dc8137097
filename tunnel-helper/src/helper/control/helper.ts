// The helper service, assembled: policy + tunnel manager + control server,
// and the handlers that connect the schema's calls to the manager. The CLI
// (../wiredesk-helper.ts) parses flags and handles signals around it.
import { chmodSync, mkdirSync } from 'node:fs';
import { appVersion, ownAppRoot } from '../../install/layout.js';
import { TunnelManager } from '../tunnels/tunnel-manager.js';
import { Prober, realProbeDeps } from '../tunnels/probe.js';
import { NetworkIdentityWatch } from '../system/network-identity.js';
import type { NetconfigApi } from '../tunnels/netconfig-api.js';
import { readPolicy } from './policy.js';
import { launchApp } from '../split/app-launch.js';
import { PROTOCOL_VERSION, ProtocolError, type Handlers } from '../../../../shared/control/protocol.js';
import { ControlServer, type CallContext } from './server.js';

/** The app's version: the helper is installed from the app and must match it. */
export const HELPER_VERSION = appVersion(ownAppRoot());
export const CAPABILITIES = ['multi-tunnel', 'kill-switch', 'kill-switch-allow-lan', 'handshake-health', 'roaming', 'logs', 'probe', 'exclude-lan', 'split-apps'];

export interface HelperOptions {
  socketPath: string;
  ownerUid: number;
  policyPath: string;
  /** Engine logs (WIREDESK_LOG_DIR), root-only. */
  logDir: string;
  netconfig: NetconfigApi;
  engineCommand?: string;
  /** Where helper lines go besides the ring buffer (stderr: the journal). */
  echo: (line: string) => void;
}

export interface RunningHelper {
  manager: TunnelManager;
  server: ControlServer;
  /** Takes every tunnel down, then stops serving. */
  stop(): Promise<void>;
  /** Stops serving and leaves the tunnels up, for the next helper to adopt (an update). */
  handOver(): Promise<void>;
}

export async function startHelper(o: HelperOptions): Promise<RunningHelper> {
  mkdirSync(o.logDir, { recursive: true, mode: 0o700 });
  chmodSync(o.logDir, 0o700);
  // Engines spawned by netconfig inherit this and write their logs there.
  process.env.WIREDESK_LOG_DIR = o.logDir;

  const policy = () => readPolicy(o.policyPath, (m) => o.echo(m));
  let server: ControlServer | null = null;
  const manager = new TunnelManager({
    netconfig: o.netconfig,
    policy,
    logDir: o.logDir,
    emit: (event, data) => server?.broadcast(event, data),
    echo: o.echo,
    ...(o.engineCommand ? { engineCommand: o.engineCommand } : {}),
  });
  await manager.recover();
  await manager.adopt();
  // The network the computer is on, for the app's on-demand rules.
  const network = new NetworkIdentityWatch({ isTunnel: (ifname) => manager.isTunnelInterface(ifname), log: (line) => manager.logLine(null, line) });
  // Handshake-only checks of configs that are not up, for the app's failover groups.
  const prober = new Prober(realProbeDeps(o.engineCommand, () => manager.list().tunnels.map((t) => t.name)), (n, l) => manager.logLine(n, l));
  network.onChange((n) => server?.broadcast('network', n));

  const handlers: Handlers<CallContext> = {
    hello: async (p) => {
      if (p.protocolVersion !== PROTOCOL_VERSION) {
        throw new ProtocolError('unsupported-version',
          `The app speaks protocol ${p.protocolVersion} and this helper speaks ${PROTOCOL_VERSION}; update WireDesk so both match.`);
      }
      return {
        protocolVersion: PROTOCOL_VERSION, helperVersion: HELPER_VERSION, capabilities: CAPABILITIES,
        ownerUid: o.ownerUid, allowScripts: policy().allowScripts,
      };
    },
    network: async () => network.current(),
    listTunnels: async () => manager.list(),
    up: (p) => manager.up(p),
    down: (p) => manager.down(p.name),
    status: async (p) => manager.status(p.name),
    setOptions: (p) => manager.setOptions(p),
    logs: async (p) => manager.recentLogs(p),
    probe: (p) => prober.probe(p.name, p.configText, p.timeoutMs, manager.isTunnelInterface(p.name)),
    launchApp: (p) => launchApp(p, o.ownerUid, (line) => manager.logLine(null, line)),
  };
  server = await ControlServer.listen({ socketPath: o.socketPath, ownerUid: o.ownerUid, handlers, log: o.echo });
  o.echo(`wiredesk-helper ${HELPER_VERSION} serving uid ${o.ownerUid} on ${o.socketPath}`);
  // After listening: the bus socket is unref'd, so nothing before this may wait on it.
  void network.start();

  let stopping: Promise<void> | null = null;
  return {
    manager,
    server,
    stop: () => {
      stopping ??= (async () => {
        network.stop();
        await manager.shutdown();
        await server!.close();
      })();
      return stopping;
    },
    handOver: () => {
      stopping ??= (async () => {
        network.stop();
        manager.detach();
        await server!.close();
      })();
      return stopping;
    },
  };
}
