// Two whole Devices (engine/device.ts) on in-memory TUN devices and sockets
// (io/fakes.ts), sharing one ManualClock: wg-go's "two devices over channel
// TUNs and binds" test rig, with time under the test's control and no root.
//
//   A: 10.0.0.1, knows B's endpoint       B: 10.0.0.2, learns A's from A's handshake
//   tun.a --inject--> Device A --ChannelNetwork--> Device B --nextWritten--> tun.b
//
// Both are configured over UAPI `set` (DeviceUapi), as wg(8) would.
import { Device } from '../../../tunnel-helper/src/engine/device.js';
import { DeviceUapi } from '../../../tunnel-helper/src/engine/device-uapi.js';
import type { EngineEvent } from '../../../shared/engine-events/events.js';
import { nodeCrypto } from '../../../tunnel-helper/src/engine/crypto-node.js';
import { ChannelBind, ChannelNetwork, ChannelTun } from '../../../tunnel-helper/src/engine/io/fakes.js';
import { parseSet } from '../../../tunnel-helper/src/engine/uapi/protocol-set.js';
import { ipv4Packet } from '../../fakes/core-pair.js';
import { ManualClock } from './manual-clock.js';
import type { RouteMonitor } from '../../../tunnel-helper/src/engine/io/route-monitor.js';

export type Side = 'a' | 'b';
export const ADDRESS: Record<Side, string> = { a: '10.0.0.1', b: '10.0.0.2' };

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const other = (side: Side): Side => (side === 'a' ? 'b' : 'a');

export interface PairOptions {
  /** Each side's preshared key for the other (both the same for a working tunnel). */
  presharedKey?: Partial<Record<Side, Uint8Array>>;
  /** A routing seam per side, for following network changes. */
  routes?: Partial<Record<Side, RouteMonitor>>;
}

export class DevicePair {
  readonly clock = new ManualClock();
  readonly net = new ChannelNetwork();
  readonly tun: Record<Side, ChannelTun> = { a: new ChannelTun('wga'), b: new ChannelTun('wgb') };
  readonly device: Record<Side, Device>;
  readonly uapi: Record<Side, DeviceUapi>;
  readonly privateKey: Record<Side, Uint8Array> = { a: nodeCrypto.generatePrivateKey(), b: nodeCrypto.generatePrivateKey() };
  readonly publicKey: Record<Side, Uint8Array> = {
    a: nodeCrypto.publicKey(this.privateKey.a), b: nodeCrypto.publicKey(this.privateKey.b),
  };
  /** Every event each engine emitted, in order. */
  readonly events: Record<Side, EngineEvent[]> = { a: [], b: [] };

  constructor(opts: PairOptions = {}) {
    const make = (side: Side): Device => {
      const d = new Device(this.tun[side], new ChannelBind(this.net), { clock: this.clock, routes: opts.routes?.[side] ?? null });
      d.events.on((e) => this.events[side].push(e));
      d.start();
      return d;
    };
    this.device = { a: make('a'), b: make('b') };
    this.uapi = { a: new DeviceUapi(this.device.a), b: new DeviceUapi(this.device.b) };
    for (const side of ['a', 'b'] as const) {
      const psk = opts.presharedKey?.[side];
      const endpoint = side === 'a' ? [`endpoint=127.0.0.1:${this.device.b.listenPort}`] : [];
      this.set(side, [
        `private_key=${hex(this.privateKey[side])}`,
        `public_key=${hex(this.publicKey[other(side)])}`,
        ...(psk ? [`preshared_key=${hex(psk)}`] : []),
        ...endpoint,
        `allowed_ip=${ADDRESS[other(side)]}/32`,
      ]);
    }
  }

  /** Applies the lines of a UAPI `set=1` request to one side. */
  set(side: Side, lines: string[]): void {
    void this.uapi[side].set(parseSet(lines));
  }

  /** The peer as `side`'s UAPI `get` reports it. */
  peerOf(side: Side) {
    return this.uapi[side].get().peers[0]!;
  }

  /** `from` sends an 84-byte ping to the other side through the tunnel. */
  ping(from: Side, fill = 0xab): Uint8Array {
    const packet = ipv4Packet(ADDRESS[from], ADDRESS[other(from)], 84, fill);
    this.tun[from].inject(packet);
    return packet;
  }

  eventTypes(side: Side): EngineEvent['type'][] {
    return this.events[side].map((e) => e.type);
  }

  /** Returns once every packet in flight has been taken in by its engine
   *  (and whatever that made the engines send, in turn). */
  async settle(): Promise<void> {
    do await new Promise((resolve) => setImmediate(resolve));
    while (this.net.inFlight > 0 || this.tun.a.waiting > 0 || this.tun.b.waiting > 0);
  }

  /** Moves time forward by `ms`, running each engine timer at its deadline
   *  and letting the packets it sends arrive before the next one. */
  async advance(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    await this.settle();
    while (this.clock.runNextTimer(end)) await this.settle();
    this.clock.moveTo(end);
  }

  close(): void {
    this.device.a.close();
    this.device.b.close();
  }
}
