// Linux TUN device through /dev/net/tun and koffi.
//
// Read pipeline (all on the JS thread, no worker, no copy):
//   1. readBatch() lends a vector and arms a libuv poll on the non-blocking fd.
//   2. When epoll reports it readable, read() packets straight into the
//      vector's slots (headroom first) until EAGAIN or the vector is full.
//   3. Hand the vector back through done(). If the engine reads again inside
//      done(), the poll simply stays armed; level-triggered epoll brings us
//      back on the next loop turn, after the other handles (UDP, timers) ran.
// Writes are synchronous (the TUN driver never blocks): with IFF_VNET_HDR,
// runs of TCP segments are merged into one write (tun-io-linux.ts).
//
// Everything goes through the fd, never the name, so the device survives
// `ip link set IF netns OTHER` (see netdev-linux.ts). Deletion shows up as
// EPOLLERR/EBADFD on a pending read, EBADFD on write, or TUNGETIFF failing
// on the one-second liveness check that covers idle devices.
import { closeSync, openSync, constants as fsc } from 'node:fs';
import { E, O_CLOEXEC, O_NONBLOCK, slabAddress, describeErrno, errno, pollHandle, setNonBlocking, sys, type PollHandle } from './libc.js';
import { PACKET_TAILROOM, type PacketVector } from './packet-vector.js';
import { TunClosedError, type ReadDone, type TunDevice, type TunStats } from './tun.js';
import * as netdev from './netdev-linux.js';
import { PlainIo, VnetIo, type PacketIo } from './tun-io-linux.js';

const IFF_TUN = 0x0001;
const IFF_NO_PI = 0x1000;
const IFF_VNET_HDR = 0x4000;
const TUNSETOFFLOAD = 0x400454d0;
const TUNSETVNETHDRSZ = 0x400454d8;
const LIVENESS_INTERVAL_MS = 1000;

export interface LinuxTunOptions {
  /** MTU to set at creation (wg-go's default is 1420). Leave undefined to keep the kernel's. */
  mtu?: number;
  /** Open with IFF_VNET_HDR so writes can merge TCP segments (default true; tun-io-linux.ts). */
  vnetHdr?: boolean;
  /** With vnetHdr: merge runs of TCP segments into one GSO write (default true). */
  gro?: boolean;
}

export class LinuxTun implements TunDevice {
  readonly stats: TunStats = { packetsRead: 0, packetsWritten: 0, dropped: 0, coalesced: 0 };
  private readonly fd: number;
  private readonly io: PacketIo;
  private readonly poll: PollHandle;
  private lastName: string;
  private pending: { vec: PacketVector; done: ReadDone } | null = null;
  private polling = false;
  private closedError: TunClosedError | null = null;
  private closeListeners: ((err: TunClosedError) => void)[] = [];
  private readonly liveness: NodeJS.Timeout;

  /**
   * Creates (or attaches to) the TUN interface `name`; a name like `wg%d`
   * lets the kernel pick the number. Needs CAP_NET_ADMIN.
   */
  static create(name: string, opts: LinuxTunOptions = {}): LinuxTun {
    if (name.length === 0 || name.length > 15) throw new Error(`Interface name "${name}" must be 1-15 characters.`);
    const fd = openSync('/dev/net/tun', fsc.O_RDWR | O_NONBLOCK | O_CLOEXEC);
    try {
      const req = netdev.ifreq(name);
      req.writeUInt16LE(IFF_TUN | IFF_NO_PI | (opts.vnetHdr === false ? 0 : IFF_VNET_HDR), 16);
      if (sys.ioctl(fd, netdev.TUNSETIFF, req) < 0) throw new Error(describeErrno(`Creating TUN interface ${name}`, errno()));
      const tun = new LinuxTun(fd, opts.gro ?? true);
      if (opts.mtu !== undefined) tun.setMtu(opts.mtu);
      return tun;
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Adopts a TUN fd opened by a parent process (WG_TUN_FD). It must be IFF_TUN|IFF_NO_PI. */
  static fromFd(fd: number, opts: Pick<LinuxTunOptions, 'gro'> = {}): LinuxTun {
    const { flags } = netdev.tunGetIff(fd);
    if ((flags & (IFF_TUN | IFF_NO_PI)) !== (IFF_TUN | IFF_NO_PI)) {
      throw new Error(`fd ${fd} is not a TUN device without packet information (flags 0x${flags.toString(16)}).`);
    }
    setNonBlocking(fd);
    return new LinuxTun(fd, opts.gro ?? true);
  }

  private constructor(fd: number, gro: boolean) {
    this.fd = fd;
    const { name, flags } = netdev.tunGetIff(fd);
    this.lastName = name;
    if (flags & IFF_VNET_HDR) {
      // Whoever opened the fd may have offered offloads (wg-go does): take them back, so reads
      // never carry GSO packets, and pin the header to the 10-byte virtio_net_hdr.
      const size = Buffer.alloc(4);
      size.writeInt32LE(10, 0);
      if (sys.ioctlInt(fd, TUNSETOFFLOAD, 0) < 0 || sys.ioctl(fd, TUNSETVNETHDRSZ, size) < 0) {
        throw new Error(describeErrno(`Configuring the virtio-net header of ${name}`, errno()));
      }
      this.io = new VnetIo(fd, gro);
    } else {
      this.io = new PlainIo(fd);
    }
    this.poll = pollHandle(fd);
    this.liveness = setInterval(() => this.checkAlive(), LIVENESS_INTERVAL_MS);
    this.liveness.unref();
  }

  get closed(): boolean {
    return this.closedError !== null;
  }

  name(): string {
    return this.ifOp(() => {
      this.lastName = netdev.tunGetIff(this.fd).name;
      return this.lastName;
    });
  }

  ifIndex(): number { return this.ifOp(() => netdev.getIfIndex(this.fd)); }
  mtu(): number { return this.ifOp(() => netdev.getMtu(this.fd)); }
  setMtu(mtu: number): void { this.ifOp(() => netdev.setMtu(this.fd, mtu)); }
  up(): void { this.ifOp(() => netdev.setUp(this.fd, true)); }
  down(): void { this.ifOp(() => netdev.setUp(this.fd, false)); }
  isUp(): boolean { return this.ifOp(() => netdev.isUp(this.fd)); }

  readBatch(vec: PacketVector, done: ReadDone): void {
    if (this.pending) throw new Error('LinuxTun.readBatch: a read is already pending');
    if (this.closedError) {
      const err = this.closedError;
      process.nextTick(done, err, 0);
      return;
    }
    this.pending = { vec, done };
    if (!this.polling) {
      this.polling = true;
      this.poll.start({ readable: true }, (status) => this.onReadable(status));
    }
  }

  writeBatch(vec: PacketVector): number {
    return this.ifOp(() => {
      const written = this.io.write(vec, this.stats);
      this.stats.packetsWritten += written;
      return written;
    });
  }

  onClosed(cb: (err: TunClosedError) => void): void {
    if (this.closedError) process.nextTick(cb, this.closedError);
    else this.closeListeners.push(cb);
  }

  close(): void {
    if (!this.closedError) this.shutdown(false);
  }

  private onReadable(status: number): void {
    const p = this.pending;
    if (!p) {
      this.stopPolling();
      return;
    }
    // status < 0 is EPOLLERR: the interface is gone. read() confirms with EBADFD.
    const { vec } = p;
    const base = slabAddress(vec);
    const { headroom, slotSize, offsets, lengths } = vec;
    const room = slotSize - headroom;
    let n = 0;
    let failed = 0;
    while (n < vec.capacity) {
      const got = this.io.read(base + n * slotSize + headroom, room);
      if (got === -1) {
        failed = errno();
        break;
      }
      offsets[n] = headroom;
      // A packet that eats into the tailroom cannot be padded and sealed in place.
      lengths[n] = got < 0 || got > room - PACKET_TAILROOM ? 0 : got;
      if (lengths[n] === 0) this.stats.dropped++;
      vec.endpoints[n] = null;
      n++;
    }
    if (n === 0) {
      if (failed === E.EAGAIN || failed === E.EINTR) {
        if (status >= 0) return; // spurious wakeup: stay armed
      }
      this.shutdown(failed === E.EBADFD || status < 0);
      return;
    }
    vec.count = n;
    this.stats.packetsRead += n;
    this.pending = null;
    p.done(null, n);
    if (!this.pending) this.stopPolling();
  }

  private stopPolling(): void {
    if (this.polling && !this.closedError) this.poll.stop();
    this.polling = false;
  }

  private checkAlive(): void {
    if (this.closedError) return;
    try {
      netdev.tunGetIff(this.fd);
    } catch (e) {
      if (e instanceof netdev.DetachedError) this.shutdown(true);
    }
  }

  /** Runs an fd operation, turning "the interface is gone" into TunClosedError. */
  private ifOp<T>(fn: () => T): T {
    if (this.closedError) throw this.closedError;
    try {
      return fn();
    } catch (e) {
      if (e instanceof netdev.DetachedError) throw this.shutdown(true);
      throw e;
    }
  }

  private shutdown(deleted: boolean): TunClosedError {
    if (this.closedError) return this.closedError;
    const err = new TunClosedError(this.lastName, deleted);
    this.closedError = err;
    clearInterval(this.liveness);
    this.poll.close();
    this.polling = false;
    closeSync(this.fd);
    const p = this.pending;
    this.pending = null;
    if (p) process.nextTick(p.done, err, 0);
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const cb of listeners) process.nextTick(cb, err);
    return err;
  }
}
