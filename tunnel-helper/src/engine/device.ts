// A WireGuard device: one interface's protocol core, cryptokey routing table,
// TUN device and UDP sockets, wired together. It is what `wiredesk-tunnel`
// runs and what the UAPI configures (see device-uapi.ts).
import { DeviceCore } from './core/device-core.js';
import type { Crypto, TransportCipher } from './core/crypto.js';
import type { Action } from './core/actions.js';
import type { Peer } from './core/peer.js';
import type { TunDevice } from './io/tun.js';
import type { UdpBind } from './io/udp-bind.js';
import type { RouteMonitor } from './io/route-monitor.js';
import { PathWatch } from './path-watch.js';
import { AllowedIps } from './allowed-ips.js';
import { ActionRunner } from './action-runner.js';
import { DataPath } from './data-path.js';
import { EngineEvents, describeEvent } from '../../../shared/engine-events/events.js';
import { systemClock, type Clock } from '../../../shared/clock.js';
import { nodeCrypto } from './crypto-node.js';
import { transportCipher } from './crypto-transport.js';
import { silentLogger, type Logger } from './logger.js';

/** How often the device notices MTU changes made with `ip link set mtu`. */
const MTU_POLL_MS = 1000;

export interface DeviceOptions {
  crypto?: Crypto;
  cipher?: TransportCipher;
  clock?: Clock;
  logger?: Logger;
  /** Watches routes so peers follow network changes at once (path-watch.ts). */
  routes?: RouteMonitor | null;
}

export class Device {
  readonly core: DeviceCore;
  readonly allowedIps = new AllowedIps<Peer>();
  readonly events = new EngineEvents();
  readonly clock: Clock;
  readonly log: Logger;
  private readonly runner: ActionRunner;
  private readonly dataPath: DataPath;
  private cancelTimer: (() => void) | null = null;
  private timerAt = Infinity;
  private readonly mtuPoll: NodeJS.Timeout;
  private fwmark = 0;
  private closed = false;
  private readonly pathWatch: PathWatch | null;

  constructor(readonly tun: TunDevice, readonly bind: UdpBind, opts: DeviceOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger ?? silentLogger;
    this.core = new DeviceCore(opts.crypto ?? nodeCrypto, opts.cipher ?? transportCipher, { mtu: tun.mtu() });
    this.runner = new ActionRunner(this.core, this.allowedIps, tun, bind, this.events);
    this.runner.afterRun = () => this.armTimer();
    this.dataPath = new DataPath(this.core, this.allowedIps, tun, bind, this.runner, this.clock);
    this.mtuPoll = setInterval(() => this.syncMtu(), MTU_POLL_MS);
    this.mtuPoll.unref();
    this.events.on((e) => this.log.verbose(describeEvent(e)));
    this.pathWatch = opts.routes ? new PathWatch(opts.routes, {
      peers: () => this.core.peers(),
      mark: () => this.fwmark,
      pathsChanged: (peers) => this.pathsChanged(peers),
    }, this.clock) : null;
  }

  /** Opens the sockets on a random port and starts moving packets. */
  start(): void {
    this.setListenPort(0);
    this.dataPath.start();
    this.pathWatch?.start();
    this.log.verbose('Device started');
  }

  get listenPort(): number {
    return this.bind.port;
  }

  /** Rebinds the sockets; throws BindError (e.g. EADDRINUSE) and keeps the old port then. */
  setListenPort(port: number): void {
    if (port !== 0 && port === this.bind.port) return;
    const previous = this.bind.port;
    let opened;
    try {
      opened = this.bind.open(port);
    } catch (e) {
      if (previous !== 0) this.dataPath.listen(this.bind.open(previous).receivers);
      throw e;
    }
    this.dataPath.listen(opened.receivers);
    this.log.verbose(`UDP bind has been updated: listening on port ${opened.port}`);
  }

  get mark(): number {
    return this.fwmark;
  }

  setMark(mark: number): void {
    this.bind.setMark(mark);
    this.fwmark = mark;
  }

  /** Runs actions that configuration changes produce (keepalives, removals). */
  run(actions: Action[]): void {
    if (actions.length > 0) this.runner.run(actions, this.clock.wallNow());
    else this.armTimer();
  }

  /** The tunnel is coming up: every peer with an endpoint is handshaken with now (DeviceCore.handshakeNow). */
  handshakeWithPeers(): void {
    const now = this.clock.now();
    const wallNow = this.clock.wallNow();
    this.run([...this.core.peers()].flatMap((peer) => this.core.handshakeNow(peer, now, wallNow)));
  }

  removePeer(peer: Peer): void {
    this.allowedIps.removeByPeer(peer);
    this.core.removePeer(peer);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.dataPath.stop();
    this.pathWatch?.stop();
    this.cancelTimer?.();
    clearInterval(this.mtuPoll);
    this.bind.close();
    this.tun.close();
    this.log.verbose('Device closed');
  }

  /** The route toward these peers' endpoints moved: re-bind and re-handshake now. */
  private pathsChanged(peers: Peer[]): void {
    if (this.closed) return;
    const wallNow = this.clock.wallNow();
    this.runner.run(this.core.networkChanged(peers, this.clock.now(), wallNow), wallNow);
  }

  /** Keeps one timer armed for the core's earliest deadline. */
  private armTimer(): void {
    if (this.closed) return;
    const deadline = this.core.nextDeadline();
    if (deadline === Infinity || deadline >= this.timerAt) return;
    this.cancelTimer?.();
    this.timerAt = deadline;
    this.cancelTimer = this.clock.setTimer(() => this.onTimer(), Math.max(0, Math.ceil(deadline - this.clock.now())));
  }

  private onTimer(): void {
    this.cancelTimer = null;
    this.timerAt = Infinity;
    const wallNow = this.clock.wallNow();
    this.runner.run(this.core.tick(this.clock.now(), wallNow), wallNow);
  }

  private syncMtu(): void {
    if (this.closed || this.tun.closed) return;
    let mtu: number;
    try {
      mtu = this.tun.mtu();
    } catch {
      return;
    }
    if (mtu !== this.core.mtu) {
      this.core.setMtu(mtu);
      this.dataPath.resizeForMtu(mtu);
      this.log.verbose(`MTU updated: ${mtu}`);
    }
  }
}
