// In-memory TunDevice and UdpBind (wg-go tuntest.ChannelTUN and
// bindtest.ChannelBinds), so whole engines can handshake and ping each other
// in unit tests without root, sockets or TUN devices (test/unit/engine).
//
//   test --inject()--> ChannelTun --readBatch--> engine A --sendBatch--> ChannelBind A
//                                                                          | ChannelNetwork
//   test <--written()-- ChannelTun <--writeBatch-- engine B <--receive-- ChannelBind B
//
// Packets are copied at each seam, like the kernel copies them, so an engine
// that reuses its vectors early shows up as corrupt packets here too.
// Deliveries run on setImmediate: like real I/O, they never re-enter the caller.
import { Endpoint } from '../core/endpoint.js';
import { PacketInbox as Inbox } from './packet-inbox.js';
import type { PacketVector } from './packet-vector.js';
import { TunClosedError, type ReadDone, type TunDevice, type TunStats } from './tun.js';
import { BindClosedError, BindError, type BindStats, type OpenResult, type UdpBind, type UdpReceiver } from './udp-bind.js';

/** Copies out the packets of a vector that a writer would send (length > 0). */
function packetsOf(vec: PacketVector): { data: Buffer; slot: number }[] {
  const out: { data: Buffer; slot: number }[] = [];
  for (let i = 0; i < vec.count; i++) if (vec.lengths[i]! > 0) out.push({ data: Buffer.from(vec.packet(i)), slot: i });
  return out;
}

export class ChannelTun implements TunDevice {
  readonly stats: TunStats = { packetsRead: 0, packetsWritten: 0, dropped: 0, coalesced: 0 };
  /** Every packet the engine wrote, in order (copies). */
  readonly written: Buffer[] = [];
  private readonly inbox = new Inbox();
  private readonly writeWaiters: ((p: Buffer) => void)[] = [];
  private closeListeners: ((err: TunClosedError) => void)[] = [];
  private closedError: TunClosedError | null = null;
  private currentMtu: number;
  private upState = false;

  constructor(private readonly ifName = 'tun0', mtu = 1420, private readonly index = 1) {
    this.currentMtu = mtu;
  }

  /** The OS sends `packet` into the tunnel: the engine will read it. */
  inject(packet: Uint8Array): void {
    this.inbox.push(packet, null);
  }

  /** Resolves with the next packet the engine writes (or one already written and not yet taken). */
  nextWritten(timeoutMs = 5000): Promise<Buffer> {
    const ready = this.written.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.writeWaiters.splice(this.writeWaiters.indexOf(waiter), 1);
        reject(new Error(`no packet written to ${this.ifName} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (p: Buffer) => {
        clearTimeout(timer);
        resolve(p);
      };
      this.writeWaiters.push(waiter);
    });
  }

  /** Injected packets the engine has not read yet. */
  get waiting(): number {
    return this.inbox.waiting;
  }

  /** Simulates `ip link del`: readers get TunClosedError(deleted) and onClosed fires. */
  simulateDelete(): void {
    this.shutdown(true);
  }

  readBatch(vec: PacketVector, done: ReadDone): void {
    this.inbox.read(vec, (err, n) => {
      this.stats.packetsRead += n;
      done(err, n);
    });
  }

  writeBatch(vec: PacketVector): number {
    if (this.closedError) throw this.closedError;
    const packets = packetsOf(vec);
    for (const { data } of packets) {
      const waiter = this.writeWaiters.shift();
      if (waiter) waiter(data);
      else this.written.push(data);
    }
    this.stats.packetsWritten += packets.length;
    return packets.length;
  }

  name(): string { return this.ifName; }
  ifIndex(): number { return this.index; }
  mtu(): number { return this.currentMtu; }
  setMtu(mtu: number): void { this.currentMtu = mtu; }
  up(): void { this.upState = true; }
  down(): void { this.upState = false; }
  isUp(): boolean { return this.upState; }
  get closed(): boolean { return this.closedError !== null; }

  onClosed(cb: (err: TunClosedError) => void): void {
    if (this.closedError) setImmediate(cb, this.closedError);
    else this.closeListeners.push(cb);
  }

  close(): void {
    this.shutdown(false);
  }

  private shutdown(deleted: boolean): void {
    if (this.closedError) return;
    this.closedError = new TunClosedError(this.ifName, deleted);
    this.inbox.close(this.closedError);
    for (const cb of this.closeListeners) setImmediate(cb, this.closedError);
    this.closeListeners = [];
  }
}

/** Connects ChannelBinds by port: a datagram to any address with port P goes to the bind open on P. */
export class ChannelNetwork {
  private readonly binds = new Map<number, ChannelBind>();
  private nextPort = 40000;
  /** Return false to drop a datagram (loss, firewall, observation in tests). */
  filter: ((data: Buffer, from: Endpoint, to: Endpoint) => boolean) | null = null;

  /** Datagrams delivered to binds whose engines have not received them yet:
   *  0 once every engine has taken in all there was to take. */
  get inFlight(): number {
    let n = 0;
    for (const bind of this.binds.values()) n += bind.waiting;
    return n;
  }

  /** @internal */ attach(bind: ChannelBind, port: number): number {
    if (port === 0) while (this.binds.has(port = this.nextPort++));
    if (this.binds.has(port)) throw new BindError(`Port ${port} is already in use.`, 98);
    this.binds.set(port, bind);
    return port;
  }

  /** @internal */ detach(port: number): void {
    this.binds.delete(port);
  }

  /** @internal */ route(data: Buffer, from: Endpoint, to: Endpoint): void {
    const target = this.binds.get(to.port);
    if (target && (!this.filter || this.filter(data, from, to))) target.deliver(data, from);
  }
}

/** Two binds on one fresh ChannelNetwork (more can join with `new ChannelBind(a.network)`). */
export function createChannelBinds(): [ChannelBind, ChannelBind] {
  const net = new ChannelNetwork();
  return [new ChannelBind(net), new ChannelBind(net)];
}

export class ChannelBind implements UdpBind {
  readonly stats: BindStats = { packetsReceived: 0, packetsSent: 0, dropped: 0, queued: 0 };
  /** The fwmark set last (recorded only). */
  mark = 0;
  private inboxes: { 4: Inbox; 6: Inbox } | null = null;
  private boundPort = 0;
  private self: { 4: Endpoint; 6: Endpoint } | null = null;

  constructor(readonly network: ChannelNetwork) {}

  get port(): number {
    return this.boundPort;
  }

  /** The endpoint peers reach this bind at: 127.0.0.1:port or [::1]:port. */
  endpoint(family: 4 | 6 = 4): Endpoint {
    if (!this.self) throw new Error('ChannelBind is not open');
    return this.self[family];
  }

  /** Datagrams waiting for this bind's receivers. */
  get waiting(): number {
    return this.inboxes ? this.inboxes[4].waiting + this.inboxes[6].waiting : 0;
  }

  open(port: number): OpenResult {
    this.close();
    this.boundPort = this.network.attach(this, port);
    this.self = { 4: Endpoint.parse(`127.0.0.1:${this.boundPort}`), 6: Endpoint.parse(`[::1]:${this.boundPort}`) };
    const inboxes = { 4: new Inbox(), 6: new Inbox() };
    this.inboxes = inboxes;
    const receiver = (family: 4 | 6): UdpReceiver => ({
      family,
      receiveBatch: (vec, done) => inboxes[family].read(vec, (err, n) => {
        this.stats.packetsReceived += n;
        done(err, n);
      }),
    });
    return { port: this.boundPort, receivers: [receiver(4), receiver(6)] };
  }

  close(): void {
    if (!this.inboxes) return;
    this.network.detach(this.boundPort);
    this.inboxes[4].close(new BindClosedError());
    this.inboxes[6].close(new BindClosedError());
    this.inboxes = null;
    this.self = null;
    this.boundPort = 0;
  }

  setMark(mark: number): void {
    this.mark = mark;
  }

  /** Like UDP, a datagram to a port nobody listens on counts as sent and is lost. */
  sendBatch(vec: PacketVector, endpoint: Endpoint | null): number {
    let sent = 0;
    for (const { data, slot } of packetsOf(vec)) {
      const to = endpoint ?? vec.endpoints[slot];
      if (!this.self || !to) {
        this.stats.dropped++;
        continue;
      }
      this.network.route(data, this.self[to.family], to);
      sent++;
    }
    this.stats.packetsSent += sent;
    return sent;
  }

  /** @internal */ deliver(data: Buffer, from: Endpoint): void {
    this.inboxes?.[from.family].push(data, from);
  }
}
