// LinuxUdpBind: the UdpBind of the engine on Linux. Two sockets on one port,
// IPv4 and IPv6 (V6ONLY), as wg-go's StdNetBind: unlike one dual-stack
// socket, this lets each family fail or be absent on its own and keeps
// IPv4 peers' endpoints in plain IPv4 form. Each socket does batched I/O
// (udp-socket-linux.ts), carries the fwmark, and, unless disabled, the sticky
// source (IP_PKTINFO / IPV6_RECVPKTINFO) so replies leave from the address
// the peer sent to.
import { BindError, type BindStats, type OpenResult, type UdpBind } from './udp-bind.js';
import { E, describeErrno } from './libc.js';
import { UdpSocket, applyMark } from './udp-socket-linux.js';
import type { Endpoint } from '../core/endpoint.js';
import type { PacketVector } from './packet-vector.js';

/** Attempts at finding a random port free for both families (wg-go tries 100 times too). */
const RANDOM_PORT_ATTEMPTS = 100;

export interface LinuxUdpBindOptions {
  /** Remember the local address each peer targets and reply from it (default true). */
  sticky?: boolean;
  /** Send runs of equal-size packets as one UDP GSO message where the kernel supports it (default true). */
  gso?: boolean;
}

export class LinuxUdpBind implements UdpBind {
  readonly stats: BindStats = { packetsReceived: 0, packetsSent: 0, dropped: 0, queued: 0 };
  private sockets: UdpSocket[] = [];
  private mark = 0;
  private readonly sticky: boolean;
  private readonly gso: boolean;

  constructor(opts: LinuxUdpBindOptions = {}) {
    this.sticky = opts.sticky ?? true;
    this.gso = opts.gso ?? true;
  }

  get port(): number {
    return this.sockets[0]?.port ?? 0;
  }

  open(port: number): OpenResult {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BindError(`The listen port must be 0-65535, not ${port}.`);
    this.close();
    for (let attempt = 0; attempt < RANDOM_PORT_ATTEMPTS; attempt++) {
      const v4 = UdpSocket.open(4, port, this.mark, this.sticky, this.gso, this.stats);
      if (typeof v4 === 'number' && v4 !== E.EAFNOSUPPORT) throw this.openError(4, port, v4);
      const actual = typeof v4 === 'number' ? port : v4.port;
      let v6: UdpSocket | number;
      try {
        v6 = UdpSocket.open(6, actual, this.mark, this.sticky, this.gso, this.stats);
      } catch (e) {
        if (typeof v4 !== 'number') v4.close();
        throw e;
      }
      if (typeof v6 === 'number') {
        if (v6 === E.EADDRINUSE && port === 0 && typeof v4 !== 'number') {
          v4.close(); // the random IPv4 port is taken for IPv6: try another
          continue;
        }
        if (v6 !== E.EAFNOSUPPORT) {
          if (typeof v4 !== 'number') v4.close();
          throw this.openError(6, actual, v6);
        }
      }
      this.sockets = [v4, v6].filter((s): s is UdpSocket => typeof s !== 'number');
      if (this.sockets.length === 0) throw new BindError('This system has neither IPv4 nor IPv6 UDP sockets.', E.EAFNOSUPPORT);
      return { port: this.port, receivers: this.sockets };
    }
    throw new BindError(`No UDP port was free for both IPv4 and IPv6 after ${RANDOM_PORT_ATTEMPTS} tries.`, E.EADDRINUSE);
  }

  close(): void {
    for (const s of this.sockets) s.close();
    this.sockets = [];
  }

  setMark(mark: number): void {
    if (!Number.isInteger(mark) || mark < 0 || mark > 0xffffffff) throw new BindError(`The fwmark must be a 32-bit number, not ${mark}.`);
    for (const s of this.sockets) applyMark(s.fd, mark);
    this.mark = mark;
  }

  sendBatch(vec: PacketVector, endpoint: Endpoint | null): number {
    const droppedBefore = this.stats.dropped;
    let eligible = 0;
    for (let i = 0; i < vec.count; i++) if (vec.lengths[i]! > 0) eligible++;
    let taken = 0;
    if (endpoint) taken = this.sockets.find((s) => s.family === endpoint.family)?.send(vec, endpoint) ?? 0;
    else for (const s of this.sockets) taken += s.send(vec, null);
    this.stats.dropped += eligible - taken; // no endpoint, or no socket of its family
    return eligible - (this.stats.dropped - droppedBefore);
  }

  /** Per open socket: whether sends use UDP GSO (diagnostics and tests). */
  gsoState(): boolean[] {
    return this.sockets.map((s) => s.gso);
  }

  /** The open sockets' fds by family, for diagnostics and tests (e.g. reading SO_MARK back). */
  socketFds(): { family: 4 | 6; fd: number }[] {
    return this.sockets.map((s) => ({ family: s.family, fd: s.fd }));
  }

  private openError(family: 4 | 6, port: number, err: number): BindError {
    const what = `Opening the IPv${family} UDP socket on port ${port}`;
    if (err === E.EADDRINUSE) return new BindError(`${what} failed: the port is already in use. Choose another ListenPort or leave it out for a random one.`, err);
    return new BindError(describeErrno(what, err), err);
  }
}
