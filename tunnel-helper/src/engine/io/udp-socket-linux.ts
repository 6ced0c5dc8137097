// One non-blocking UDP socket of a LinuxUdpBind: batched receive with
// recvmmsg straight into the engine's PacketVector slots, woken by a libuv
// poll on the JS thread; sending is UdpSender's (GSO, queue on EAGAIN). The
// one poll handle watches readability while a receive is pending and
// writability while the sender holds a queue.
import { BindClosedError, BindError, type BindStats } from './udp-bind.js';
import { describeErrno, errno, pollHandle, slabAddress, sys, type PollEvents, type PollHandle } from './libc.js';
import { MSG_TRUNC, MmsgBatch } from './mmsg-linux.js';
import {
  AF_INET, AF_INET6, EndpointCache, IPPROTO_IP, IPPROTO_IPV6, IP_PKTINFO, SOCKADDR_IN6_SIZE, SOL_UDP, UDP_SEGMENT,
  sockaddrPort, wildcardSockaddr,
} from './sockaddr-linux.js';
import { UdpSender } from './udp-sender-linux.js';
import type { Endpoint } from '../core/endpoint.js';
import type { PacketVector } from './packet-vector.js';
import type { ReadDone } from './tun.js';

export const SOL_SOCKET = 1;
export const SO_MARK = 36;
const SO_ERROR = 4;
const SO_SNDBUF = 7;
const SO_RCVBUF = 8;
const SO_SNDBUFFORCE = 32;
const SO_RCVBUFFORCE = 33;
const IPV6_V6ONLY = 26;
const IPV6_RECVPKTINFO = 49;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
/** wg-go's socket buffer size (commit f26efb6: +30% throughput). */
const SOCKET_BUFFER_SIZE = 7 << 20;
const BATCH = 128;
const CONTROL_SPACE = 64;

export function getIntSockopt(fd: number, level: number, name: number): number {
  const v = Buffer.alloc(4);
  const len = new Uint32Array([4]);
  if (sys.getsockopt(fd, level, name, v, len) < 0) throw new Error(describeErrno(`getsockopt(${level}, ${name})`, errno()));
  return v.readInt32LE(0);
}

function setIntSockopt(fd: number, level: number, name: number, value: number): number {
  const v = Buffer.alloc(4);
  v.writeInt32LE(value | 0, 0);
  return sys.setsockopt(fd, level, name, v, 4) < 0 ? errno() : 0;
}

export function applyMark(fd: number, mark: number): void {
  const err = setIntSockopt(fd, SOL_SOCKET, SO_MARK, mark);
  if (err) throw new BindError(`${describeErrno('Setting the fwmark (SO_MARK) of the tunnel sockets', err)}. This needs CAP_NET_ADMIN.`, err);
}

export class UdpSocket {
  readonly family: 4 | 6;
  readonly fd: number;
  readonly port: number;
  private readonly poll: PollHandle;
  private readonly sender: UdpSender;
  private readonly cache = new EndpointCache();
  private pending: { vec: PacketVector; done: ReadDone } | null = null;
  /** Per receive vector: its recvmmsg headers, and how many of them the kernel may have rewritten. */
  private readonly rxBatches = new WeakMap<PacketVector, { batch: MmsgBatch; dirty: number }>();
  private pollMask = 0;
  private closed = false;

  /** Opens and binds a socket; returns an errno number instead when socket() or bind() fails. */
  static open(family: 4 | 6, port: number, mark: number, sticky: boolean, gso: boolean, stats: BindStats): UdpSocket | number {
    const fd = sys.socket(family === 4 ? AF_INET : AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return errno();
    try {
      if (family === 6 && setIntSockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1)) throw new BindError(describeErrno('IPV6_V6ONLY', errno()));
      // The FORCE variants pass rmem_max/wmem_max (CAP_NET_ADMIN); fall back to the capped ones.
      if (setIntSockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, SOCKET_BUFFER_SIZE)) setIntSockopt(fd, SOL_SOCKET, SO_RCVBUF, SOCKET_BUFFER_SIZE);
      if (setIntSockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, SOCKET_BUFFER_SIZE)) setIntSockopt(fd, SOL_SOCKET, SO_SNDBUF, SOCKET_BUFFER_SIZE);
      if (mark) applyMark(fd, mark);
      if (sticky) setIntSockopt(fd, family === 4 ? IPPROTO_IP : IPPROTO_IPV6, family === 4 ? IP_PKTINFO : IPV6_RECVPKTINFO, 1);
      const addr = wildcardSockaddr(family, port);
      if (sys.bind(fd, addr, addr.length) < 0) {
        const err = errno();
        sys.close(fd);
        return err;
      }
      const len = new Uint32Array([addr.length]);
      if (sys.getsockname(fd, addr, len) < 0) throw new BindError(describeErrno('getsockname', errno()));
      // UDP GSO is there when the option can be read (wg-go's check too).
      const canGso = gso && sys.getsockopt(fd, SOL_UDP, UDP_SEGMENT, Buffer.alloc(4), new Uint32Array([4])) === 0;
      return new UdpSocket(family, fd, sockaddrPort(addr), sticky, canGso, stats);
    } catch (e) {
      sys.close(fd);
      throw e;
    }
  }

  private constructor(family: 4 | 6, fd: number, port: number, private readonly sticky: boolean, gso: boolean, private readonly stats: BindStats) {
    this.family = family;
    this.fd = fd;
    this.port = port;
    this.poll = pollHandle(fd);
    this.sender = new UdpSender(fd, family, sticky, gso, stats, () => this.updatePoll());
  }

  /** Whether sends use UDP GSO (off when unsupported, or after the kernel refused it). */
  get gso(): boolean {
    return this.sender.gso;
  }

  receiveBatch(vec: PacketVector, done: ReadDone): void {
    if (this.pending) throw new Error('UdpReceiver.receiveBatch: a receive is already pending');
    if (this.closed) {
      process.nextTick(done, new BindClosedError(), 0);
      return;
    }
    this.pending = { vec, done };
    this.updatePoll();
  }

  /** Sends the packets of `vec` bound for this socket's family (see UdpSender). */
  send(vec: PacketVector, ep: Endpoint | null): number {
    return this.sender.send(vec, ep);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.poll.close();
    sys.close(this.fd);
    this.sender.clear();
    const p = this.pending;
    this.pending = null;
    if (p) process.nextTick(p.done, new BindClosedError(), 0);
  }

  private updatePoll(): void {
    if (this.closed) return;
    const mask = (this.pending ? 1 : 0) | (this.sender.queued > 0 ? 2 : 0);
    if (mask === this.pollMask) return;
    this.pollMask = mask;
    if (mask === 0) this.poll.stop();
    else this.poll.start({ readable: (mask & 1) !== 0, writable: (mask & 2) !== 0 }, (status, ev) => this.onPoll(status, ev));
  }

  private onPoll(status: number, ev: PollEvents): void {
    if (status < 0) {
      // libuv stopped the handle on a socket error: clear the error (SO_ERROR) and re-arm.
      try { getIntSockopt(this.fd, SOL_SOCKET, SO_ERROR); } catch { /* closed meanwhile */ }
      this.pollMask = 0;
      this.updatePoll();
      return;
    }
    if (ev.writable && this.sender.queued > 0) this.sender.flushQueue();
    if (ev.readable && this.pending) this.receive(this.pending);
  }

  private receive(p: { vec: PacketVector; done: ReadDone }): void {
    const { vec } = p;
    const { headroom, offsets, lengths, endpoints } = vec;
    const ctrl = this.sticky ? CONTROL_SPACE : 0;
    const rx = this.rxBatchFor(vec);
    // Only the lengths the kernel rewrote last time need resetting: a batch of 3
    // should not cost 128 header rewrites.
    for (let i = 0; i < rx.dirty; i++) {
      rx.batch.setNameLen(i, SOCKADDR_IN6_SIZE);
      rx.batch.setControlLen(i, ctrl);
    }
    const n = sys.recvmmsg(this.fd, rx.batch.address, rx.batch.capacity, 0, 0);
    rx.dirty = Math.min(rx.batch.capacity, Math.max(n, 0) + 1);
    if (n <= 0) return; // EAGAIN (spurious wakeup) or a transient error: stay armed
    const { names, control } = rx.batch;
    for (let i = 0; i < n; i++) {
      offsets[i] = headroom;
      if (rx.batch.msgFlags(i) & MSG_TRUNC) {
        lengths[i] = 0;
        this.stats.dropped++;
      } else {
        lengths[i] = rx.batch.msgLen(i);
      }
      endpoints[i] = this.cache.decode(names, rx.batch.nameOffset(i), control, rx.batch.controlOffset(i), ctrl ? rx.batch.controlLen(i) : 0);
    }
    vec.count = n;
    this.stats.packetsReceived += n;
    this.pending = null;
    p.done(null, n);
    this.updatePoll();
  }

  /** recvmmsg headers pointing into `vec`'s slots, built once per vector. */
  private rxBatchFor(vec: PacketVector): { batch: MmsgBatch; dirty: number } {
    let rx = this.rxBatches.get(vec);
    if (!rx) {
      const batch = new MmsgBatch(Math.min(vec.capacity, BATCH));
      const base = slabAddress(vec) + vec.headroom;
      for (let i = 0; i < batch.capacity; i++) batch.setIov(i, base + i * vec.slotSize, vec.slotSize - vec.headroom);
      rx = { batch, dirty: batch.capacity };
      this.rxBatches.set(vec, rx);
    }
    return rx;
  }
}
