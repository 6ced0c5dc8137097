// The one file that knows the helper's wire protocol: it maps the real
// control client (tunnel-helper/src/control/client.ts) onto HelperConnection.
import { connectHelper, type HelperClient } from '../../../tunnel-helper/src/control/client.js';
import type { KillSwitch } from '../../../tunnel-helper/src/control/protocol.js';
import type { HelperConnection, HelperEvents, HelperLink, TunnelOptions } from './helper-connection.js';

export function killSwitchOf(o: TunnelOptions): KillSwitch {
  return !o.killSwitch ? 'off' : o.allowLan ? 'allow-lan' : 'on';
}

export async function connectControl(socketPath: string, expectedOwnerUid?: number): Promise<HelperConnection> {
  const client = await connectHelper(socketPath, {
    clientName: 'wiredesk-app',
    ...(expectedOwnerUid !== undefined ? { expectedOwnerUid } : {}),
  });
  return adaptClient(client);
}

type Subscribe<E extends keyof HelperEvents> = (client: HelperClient, emit: (p: HelperEvents[E]) => void) => () => void;

/** One translation per event, from the helper's wire form to the app's. */
const subscribe: { [E in keyof HelperEvents]: Subscribe<E> } = {
  'tunnel-state': (client, emit) => client.on('tunnel-state', (d) => emit({
    name: d.name, state: d.state,
    ...(d.diagnosis ? { diagnosis: { code: d.diagnosis.code, message: d.diagnosis.message } }
      : d.reason && d.state === 'error' ? { diagnosis: { code: 'setup-failed', message: d.reason } } : {}),
  })),
  stats: (client, emit) => client.on('stats', (d) => emit({
    name: d.name, at: d.at,
    peers: d.peers.map((p) => ({ publicKey: p.publicKey, rxBytes: p.rxBytes, txBytes: p.txBytes, lastHandshake: p.latestHandshakeMs, endpoint: p.endpoint })),
  })),
  handshake: (client, emit) => client.on('handshake', (d) => emit({
    name: d.name, publicKey: d.publicKey, at: d.at, kind: d.kind,
    ...(d.diagnosis ? { diagnosis: { code: d.diagnosis.code, message: d.diagnosis.message } } : {}),
  })),
  roaming: (client, emit) => client.on('roaming', (d) => emit({ name: d.name, publicKey: d.publicKey, at: d.at, from: d.from, to: d.to })),
  log: (client, emit) => client.on('log', (d) => emit({ name: d.tunnel, at: d.at, source: d.source, message: d.text })),
};

export function adaptClient(client: HelperClient): HelperConnection {
  const on: HelperConnection['on'] = (event, listener) => (subscribe[event] as Subscribe<typeof event>)(client, listener);
  return {
    hello: async () => ({ version: client.helloResult?.helperVersion ?? 'unknown' }),
    listTunnels: async () => (await client.call('listTunnels', {})).tunnels,
    up: async (name, configText, options) => {
      await client.call('up', { name, configText, options: { killSwitch: killSwitchOf(options) } });
    },
    down: async (name) => {
      await client.call('down', { name });
    },
    setOptions: async (name, options) => {
      await client.call('setOptions', { name, options: { killSwitch: killSwitchOf(options) } });
    },
    logs: async (name, limit) =>
      (await client.call('logs', { name, limit })).lines.map((l) => ({ name: l.tunnel, at: l.at, source: l.source, message: l.text })),
    on,
    onLink: (listener: (link: HelperLink, reason?: string) => void) =>
      client.onConnection((state, detail) => listener(state === 'connected' ? 'connected' : 'reconnecting', detail)),
    close: () => client.close(),
  };
}
