// Which network the computer is on, for the app's on-demand rules:
//
//   NetworkManager on the system bus  ->  "wifi:SSID" (Wi-Fi) or "connection:NAME"
//   otherwise, or NM has no primary   ->  "gateway:MAC@SUBNET" from netlink
//   neither                           ->  offline (key null)
//
// Re-read soon after the kernel announces a link, neighbour, address or route
// change (rtnetlink multicast) or NetworkManager sends any signal, and every
// IDENTITY_POLL_MS as a backstop (dumps and a few property reads are cheap);
// listeners hear only real changes. Reads are serialised: a change noticed during a read triggers one
// more read after it.
import { DbusConnection } from './dbus-client.js';
import { readGatewayIdentity, type GatewayIdentity } from './gateway-identity.js';
import { watchRtnetlink } from './netlink-socket.js';
import { NM_NAME, readNmIdentity, WIFI_TYPE, type NmIdentity } from './nm-identity.js';
import type { NetworkIdentity } from '../../../../shared/control/protocol.js';

export const IDENTITY_POLL_MS = 2000;
/** Kernel news comes in bursts (a new lease: address, routes, neighbour): read once after it settles. */
const SETTLE_MS = 100;
const BUS_RETRY_MS = 30_000;
const NM_MATCH = `type='signal',sender='${NM_NAME}'`;

/** Pure: the identity the helper reports, from what NetworkManager and netlink said. */
export function identityOf(nm: NmIdentity | null, gw: GatewayIdentity | null, at: number): NetworkIdentity {
  if (nm) {
    const wifi = nm.type === WIFI_TYPE && nm.ssid !== null;
    return {
      key: wifi ? `wifi:${nm.ssid!}` : `connection:${nm.name}`, source: 'networkmanager',
      connectionName: nm.name, ssid: nm.ssid, gatewayMac: null, subnet: null, at,
    };
  }
  if (gw) return { key: `gateway:${gw.gatewayMac}@${gw.subnet}`, source: 'gateway', connectionName: null, ssid: null, gatewayMac: gw.gatewayMac, subnet: gw.subnet, at };
  return { key: null, source: 'none', connectionName: null, ssid: null, gatewayMac: null, subnet: null, at };
}

export function sameNetwork(a: NetworkIdentity, b: NetworkIdentity): boolean {
  return a.key === b.key && a.connectionName === b.connectionName && a.ssid === b.ssid;
}

export interface NetworkIdentityOptions {
  /** The tunnels' own interfaces: a default route through one is not the network. */
  isTunnel: (ifname: string) => boolean;
  log: (line: string) => void;
  /** Opens the system bus; null: netlink only. */
  openBus?: (() => Promise<DbusConnection>) | null;
  readGateway?: (isTunnel: (ifname: string) => boolean) => Promise<GatewayIdentity | null>;
  /** Subscribes to the kernel's network news; null: poll only. */
  watchKernel?: ((onChange: () => void) => () => void) | null;
  now?: () => number;
}

export class NetworkIdentityWatch {
  private identity: NetworkIdentity;
  private readonly listeners = new Set<(n: NetworkIdentity) => void>();
  private timer: NodeJS.Timeout | null = null;
  private settle: NodeJS.Timeout | null = null;
  private unwatch: (() => void) | null = null;
  private bus: DbusConnection | null = null;
  private busTriedAt = -Infinity;
  /** The bus's absence is said once, not at every retry. */
  private busMissingSaid = false;
  private reading: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly o: NetworkIdentityOptions) {
    this.now = o.now ?? Date.now;
    this.identity = identityOf(null, null, this.now());
  }

  current(): NetworkIdentity {
    return this.identity;
  }

  onChange(listener: (n: NetworkIdentity) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the network once, then keeps watching. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.stopped) return;
    this.timer = setInterval(() => void this.refresh(), IDENTITY_POLL_MS);
    this.timer.unref();
    const watch = this.o.watchKernel === undefined ? watchRtnetlink : this.o.watchKernel;
    try {
      this.unwatch = watch?.(() => this.soon()) ?? null;
    } catch (e) {
      this.o.log(`Cannot hear the kernel's network changes (${(e as Error).message}); the network is checked every ${IDENTITY_POLL_MS / 1000} s.`);
    }
  }

  private soon(): void {
    if (this.settle || this.stopped) return;
    this.settle = setTimeout(() => { this.settle = null; void this.refresh(); }, SETTLE_MS);
    this.settle.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.settle) clearTimeout(this.settle);
    this.timer = null;
    this.unwatch?.();
    this.unwatch = null;
    this.bus?.close();
    this.bus = null;
  }

  /** Reads the network now; resolves once a read that began after this call has finished. */
  refresh(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        await this.readOnce().catch((e: Error) => this.o.log(`Could not identify the network: ${e.message}`));
      } while (this.again && !this.stopped);
    })().finally(() => { this.reading = null; });
    return this.reading;
  }

  private async readOnce(): Promise<void> {
    const bus = await this.nmBus();
    const nm = bus ? await readNmIdentity(bus, this.o.isTunnel) : null;
    const gw = nm ? null : await (this.o.readGateway ?? readGatewayIdentity)(this.o.isTunnel);
    const next = identityOf(nm, gw, this.now());
    if (this.stopped || sameNetwork(next, this.identity)) return;
    this.identity = next;
    this.o.log(next.key === null ? 'The computer is offline (no network to identify).' : `The computer is on network ${describe(next)}.`);
    for (const l of this.listeners) l(next);
  }

  /** The bus, when NetworkManager is on it; opened lazily and retried now and then. */
  private async nmBus(): Promise<DbusConnection | null> {
    const open = this.o.openBus === undefined ? () => DbusConnection.open() : this.o.openBus;
    if (!open) return null;
    if (!this.bus && this.now() - this.busTriedAt >= BUS_RETRY_MS) {
      this.busTriedAt = this.now();
      try {
        const bus = await open();
        if (this.stopped) { bus.close(); return null; }
        bus.onClose(() => { if (this.bus === bus) this.bus = null; });
        bus.onSignal(() => this.soon());
        await bus.addMatch(NM_MATCH);
        this.bus = bus;
        this.busMissingSaid = false;
      } catch (e) {
        if (!this.busMissingSaid) this.o.log(`The system bus is not available (${(e as Error).message}); networks are identified by their gateway.`);
        this.busMissingSaid = true;
      }
    }
    if (!this.bus) return null;
    return (await this.bus.nameHasOwner(NM_NAME).catch(() => false)) ? this.bus : null;
  }
}

/** For logs: "Wi-Fi “Cafe” (connection Cafe)", "gateway 52:54:00:… on 10.0.0.0/24". */
export function describe(n: NetworkIdentity): string {
  if (n.source === 'networkmanager') return n.ssid !== null ? `Wi-Fi "${n.ssid}" (connection "${n.connectionName}")` : `connection "${n.connectionName}"`;
  if (n.source === 'gateway') return `gateway ${n.gatewayMac} on ${n.subnet}`;
  return 'offline';
}
