// Runs the actions DeviceCore returns against the device's sockets and TUN
// device, and turns the protocol's news into engine events. Datagrams and
// TUN packets are gathered into small vectors and written as one batch.
import { encodeKey } from '../../../shared/config/keys.js';
import type { Action } from './core/actions.js';
import type { DeviceCore } from './core/device-core.js';
import type { Peer } from './core/peer.js';
import type { Endpoint } from './core/endpoint.js';
import { PacketVector, slotSizeFor } from './io/packet-vector.js';
import type { TunDevice } from './io/tun.js';
import type { UdpBind } from './io/udp-bind.js';
import type { AllowedIps } from './allowed-ips.js';
import type { EngineEvents } from '../../../shared/engine-events/events.js';

/** How events name a peer: its public key in base64, as wg(8) prints it. */
const keyOf = (peer: Peer): string => encodeKey(peer.publicKey);

const CONTROL_BATCH = 64;

export class ActionRunner {
  private readonly udpOut = new PacketVector({ capacity: CONTROL_BATCH, slotSize: slotSizeFor(65535) });
  private readonly tunOut = new PacketVector({ capacity: CONTROL_BATCH, slotSize: slotSizeFor(65535) });
  /** Called after each run so the device can re-arm its timer. */
  afterRun: () => void = () => {};

  constructor(
    private readonly core: DeviceCore,
    private readonly allowedIps: AllowedIps<Peer>,
    private readonly tun: TunDevice,
    private readonly bind: UdpBind,
    private readonly events: EngineEvents,
  ) {}

  /** `wallNow` dates the events the actions announce. */
  run(actions: Action[], wallNow: number): void {
    for (const a of actions) {
      switch (a.type) {
        case 'send-datagram': {
          let endpoint = a.endpoint;
          if (a.clearSource && endpoint.srcIp !== null) {
            endpoint = endpoint.withoutSource();
            if (a.peer.endpoint === a.endpoint) this.core.setEndpoint(a.peer, endpoint);
          }
          this.queueDatagram(a.data, endpoint);
          break;
        }
        case 'send-to-source':
          this.queueDatagram(a.data, a.endpoint);
          break;
        case 'write-tun': {
          const owner = a.source.length === 4 ? this.allowedIps.lookupV4(a.source, 0) : this.allowedIps.lookupV6(a.source, 0);
          if (owner === a.peer) this.queueTun(a.packet);
          break;
        }
        case 'peer-removed':
          this.allowedIps.removeByPeer(a.peer);
          this.events.emit({ type: 'peer-removed', publicKey: keyOf(a.peer), wallMs: wallNow });
          break;
        case 'endpoint-changed':
          this.events.emit({ type: 'endpoint-changed', publicKey: keyOf(a.peer), from: a.previous?.key ?? null, to: a.endpoint.key, wallMs: wallNow });
          break;
        case 'handshake-initiated':
          this.events.emit({ type: 'handshake-initiated', publicKey: keyOf(a.peer), retry: a.retry, wallMs: wallNow });
          break;
        case 'handshake-completed':
          this.events.emit({ type: 'handshake-completed', publicKey: keyOf(a.peer), wallMs: a.wallMs });
          break;
        case 'handshake-failed':
          this.events.emit({ type: 'handshake-failed', publicKey: keyOf(a.peer), attempts: a.attempts, wallMs: wallNow });
          break;
        case 'cookie-received':
        case 'path-changed':
        case 'handshake-response-invalid':
        case 'keys-zeroed':
          this.events.emit({ type: a.type, publicKey: keyOf(a.peer), wallMs: wallNow });
          break;
      }
    }
    this.flush();
    this.afterRun();
  }

  private queueDatagram(data: Uint8Array, endpoint: Endpoint): void {
    if (this.udpOut.count === this.udpOut.capacity) this.flush();
    this.udpOut.push(data, endpoint);
  }

  private queueTun(packet: Uint8Array): void {
    if (this.tunOut.count === this.tunOut.capacity) this.flush();
    this.tunOut.push(packet);
  }

  private flush(): void {
    if (this.udpOut.count > 0) {
      this.bind.sendBatch(this.udpOut, null);
      this.udpOut.clear();
    }
    if (this.tunOut.count > 0) {
      try {
        this.tun.writeBatch(this.tunOut);
      } catch {
        // the TUN device is gone; shutdown follows through onClosed
      }
      this.tunOut.clear();
    }
  }
}
