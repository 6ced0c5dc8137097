// Test doubles for app-core's ports: a reversible SecretBox, a scripted
// helper that implements the control protocol's handlers, and AppPorts that
// record what they were asked to do.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HelperConnection, HelperLauncher, HelperLink } from '../../../electron/app-core/helper/helper-connection.js';
import type { AppPorts } from '../../../electron/app-core/ports.js';
import type { SecretBox } from '../../../electron/app-core/profiles/secret-box.js';
import type { NotificationSpec } from '../../../electron/app-core/tray/notification-model.js';
import type { EventName, EventPayload } from '../../../shared/ipc/schema.js';
import { loadConfig, type LoadedConfig } from '../../../shared/config/index.js';
import {
  PROTOCOL_VERSION, checkEventData, checkParams, checkResult,
  type EventData, type EventName as HelperEventName, type Handlers, type NetworkIdentity, type Params, type TunnelStatus,
} from '../../../shared/control/protocol.js';

/** "Encrypts" by reversing and base64-encoding, so a test can see that the key is not stored as written. */
export function reversingBox(available = true): SecretBox & { calls: number } {
  const box = {
    calls: 0,
    isAvailable: () => available,
    encrypt(plain: string) {
      box.calls++;
      return Buffer.from([...plain].reverse().join('')).toString('base64');
    },
    decrypt(cipher: string) {
      const text = Buffer.from(cipher, 'base64').toString();
      if (!text) throw new Error('bad ciphertext');
      return [...text].reverse().join('');
    },
  };
  return box;
}

/** The version the fake app and its fake helper share. */
export const FAKE_HELPER_VERSION = '0.0.0-test';

function connecting(name: string, killSwitch: TunnelStatus['killSwitch'] = 'off'): TunnelStatus {
  return { name, state: 'connecting', reason: null, diagnosis: null, killSwitch, since: 1, mtu: null, hooksSkipped: [], peers: [] };
}

/**
 * The helper, played by the protocol's handlers (shared/control/protocol.ts).
 * connect() is the app's side: every call and event is checked by the
 * protocol's own checks, as they are over the socket.
 */
export class FakeHelper implements Handlers {
  readonly upCalls: Params<'up'>[] = [];
  readonly downCalls: string[] = [];
  failUp: Error | null = null;
  private readonly listeners = new Map<HelperEventName, Set<(data: never) => void>>();
  private readonly linkListeners = new Set<(l: HelperLink, reason?: string) => void>();

  hello = async () => ({ protocolVersion: PROTOCOL_VERSION, helperVersion: FAKE_HELPER_VERSION, capabilities: [], ownerUid: 1000, allowScripts: false });
  /** What `network` answers; send('network', ...) to announce a change. */
  networkNow: NetworkIdentity = { key: null, source: 'none', connectionName: null, ssid: null, gatewayMac: null, subnet: null, at: 0 };
  network = async () => this.networkNow;
  listTunnels = async () => ({ tunnels: [] });
  up = async (p: Params<'up'>) => {
    this.upCalls.push(p);
    if (this.failUp) throw this.failUp;
    return connecting(p.name, p.options?.killSwitch);
  };
  down = async ({ name }: Params<'down'>) => {
    this.downCalls.push(name);
    return { name, state: 'down' as const };
  };
  status = async () => ({ tunnels: [] });
  setOptions = async (p: Params<'setOptions'>) => connecting(p.name, p.options.killSwitch);
  logs = async () => ({ lines: [] });
  readonly probeCalls: string[] = [];
  /** What probe answers, per tunnel name (default: not healthy). */
  readonly probeHealthy = new Map<string, boolean>();
  probe = async (p: Params<'probe'>) => {
    this.probeCalls.push(p.name);
    const healthy = this.probeHealthy.get(p.name) ?? false;
    return { name: p.name, healthy, handshakeMs: healthy ? 5 : null, reason: healthy ? null : 'No handshake completed with 1 of 1 peer within 8 s.' };
  };

  readonly launchCalls: Params<'launchApp'>[] = [];
  launchApp = async (p: Params<'launchApp'>) => {
    this.launchCalls.push(p);
    return { pid: 4242, name: p.desktopId.replace(/\.desktop$/, '') };
  };

  async connect(): Promise<HelperConnection> {
    return {
      hello: await this.hello(),
      call: async (method, params) => {
        const handler = (this as Handlers)[method] as (p: unknown) => Promise<unknown>;
        return checkResult(method, await handler(checkParams(method, params)));
      },
      on: (event, listener) => {
        let set = this.listeners.get(event);
        if (!set) this.listeners.set(event, (set = new Set()));
        set.add(listener as (data: never) => void);
        return () => set.delete(listener as (data: never) => void);
      },
      onLink: (listener) => {
        this.linkListeners.add(listener);
        return () => this.linkListeners.delete(listener);
      },
      close: () => undefined,
    };
  }

  /** Plays the helper's side: sends an event to the app. */
  send<E extends HelperEventName>(event: E, data: EventData<E>): void {
    const checked = checkEventData(event, data);
    for (const l of this.listeners.get(event) ?? []) (l as (d: EventData<E>) => void)(checked);
  }

  link(l: HelperLink, reason?: string): void {
    for (const listener of this.linkListeners) listener(l, reason);
  }
}

export function fakeLauncher(helper: FakeHelper, opts: { running?: boolean } = {}): HelperLauncher & { launches: number } {
  let running = opts.running ?? false;
  const launcher = {
    launches: 0,
    async connect() {
      if (!running) throw new Error('no helper socket');
      return helper.connect();
    },
    appVersion: FAKE_HELPER_VERSION,
    installed: () => ({ state: 'current', version: FAKE_HELPER_VERSION }) as const,
    async install() {
      throw new Error('the fake helper is always installed');
    },
    async start() {
      launcher.launches++;
      running = true;
    },
  };
  return launcher;
}

export interface RecordingPorts extends AppPorts {
  readonly events: { event: EventName; payload: unknown }[];
  readonly notifications: NotificationSpec[];
  readonly saved: Map<string, string>;
  eventsOf<K extends EventName>(event: K): EventPayload<K>[];
}

export function recordingPorts(launcher: HelperLauncher, overrides: Partial<AppPorts> = {}): RecordingPorts {
  const events: { event: EventName; payload: unknown }[] = [];
  const notifications: NotificationSpec[] = [];
  const saved = new Map<string, string>();
  return {
    userDataDir: mkdtempSync(join(tmpdir(), 'wiredesk-app-')),
    appInfo: { version: '0.0.0-test', platform: 'linux', systemLocale: 'en-US' },
    secretBox: reversingBox(),
    launcher,
    dialogs: { saveFile: async () => null },
    clipboard: { writeText: () => undefined },
    notifier: { show: (n) => notifications.push(n) },
    autostart: { set: () => undefined },
    emit: (event, payload) => events.push({ event, payload }),
    showWindow: () => undefined,
    quit: () => undefined,
    now: () => 1_700_000_000_000,
    events,
    notifications,
    saved,
    eventsOf: <K extends EventName>(event: K) => events.filter((e) => e.event === event).map((e) => e.payload as EventPayload<K>),
    ...overrides,
  };
}

/** Two keys that belong together, and a small valid config that uses them. */
export const PRIVATE_KEY = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
export const PEER_KEY = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';

export function sampleConfig(extra = ''): string {
  return [
    '# Office VPN — comments are kept',
    '[Interface]',
    `PrivateKey = ${PRIVATE_KEY}  # my key`,
    'Address = 10.0.0.2/24, fd00::2/64',
    'DNS = 10.0.0.1',
    '',
    '[Peer]',
    `PublicKey = ${PEER_KEY}`,
    'Endpoint = 192.0.2.1:51820',
    'AllowedIPs = 10.0.0.0/24',
    'PersistentKeepalive = 25',
    extra,
  ].join('\n');
}

/** A config as the app's import and save pass it on: loaded. */
export function loaded(text: string): LoadedConfig {
  const { config, diagnostics } = loadConfig(text);
  if (!config) throw new Error(`not a valid config: ${diagnostics.map((d) => d.message).join('; ')}`);
  return config;
}
