// LinuxRouteMonitor: the RouteMonitor of the engine on Linux, two
// AF_NETLINK sockets through the koffi libc seam.
//   - The events socket joins the route, address and link groups of both
//     families (wg-go's route listener joins only RTMGRP_IPV4_ROUTE; IPv4
//     routes flushed by a link going down or its last address going away are
//     removed without a route message, so the link and address groups are
//     needed too). It is read on the JS thread when libuv reports it readable.
//   - The query socket joins no group. rtnetlink answers a request within the
//     write() that sends it, so a lookup is a write and a non-blocking read:
//     synchronous, with no reply to match up later.
// The sockets live in the namespace the engine started in, as its UDP
// sockets do, so they see the routes those sockets use.
import { E, addressOf, describeErrno, errno, pollHandle, sys, type PollHandle } from './libc.js';
import { NETLINK_ROUTE, RTMGRP_IPV4_IFADDR, RTMGRP_IPV4_ROUTE, RTMGRP_IPV6_IFADDR, RTMGRP_IPV6_ROUTE, RTMGRP_LINK,
  readNotifications, readRouteReply, routeRequest } from './rtnetlink-linux.js';
import type { NetworkChange, RouteLookup, RouteMonitor } from './route-monitor.js';
import type { Endpoint } from '../core/endpoint.js';

const AF_NETLINK = 16;
const SOCK_RAW = 3;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SO_RCVBUF = 8;
const SO_RCVBUFFORCE = 33;
const ENOBUFS = 105;
/** Room for bursts (a link going down reports every route and address on it). */
const EVENTS_BUFFER = 1 << 20;
const GROUPS = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_IFADDR | RTMGRP_IPV6_ROUTE;

function openNetlink(groups: number): number {
  const fd = sys.socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) throw new Error(describeErrno('Opening a netlink socket', errno()));
  const addr = Buffer.alloc(12); // sockaddr_nl: family u16, pad u16, pid u32 (0: the kernel picks), groups u32
  addr.writeUInt16LE(AF_NETLINK, 0);
  addr.writeUInt32LE(groups, 8);
  if (sys.bind(fd, addr, addr.length) < 0) {
    const err = errno();
    sys.close(fd);
    throw new Error(describeErrno('Binding a netlink socket', err));
  }
  return fd;
}

export class LinuxRouteMonitor implements RouteMonitor {
  private readonly buf = Buffer.from(new ArrayBuffer(1 << 16));
  private readonly bufAddress = addressOf(this.buf);
  private readonly poll: PollHandle;
  private listener: ((change: NetworkChange) => void) | null = null;
  private seq = 1;
  private closed = false;

  private constructor(private readonly events: number, private readonly query: number) {
    const size = Buffer.alloc(4);
    size.writeInt32LE(EVENTS_BUFFER, 0);
    if (sys.setsockopt(events, SOL_SOCKET, SO_RCVBUFFORCE, size, 4) < 0) sys.setsockopt(events, SOL_SOCKET, SO_RCVBUF, size, 4);
    this.poll = pollHandle(events);
  }

  /** Throws when netlink is unavailable (then the engine runs without it). */
  static open(): LinuxRouteMonitor {
    const events = openNetlink(GROUPS);
    try {
      return new LinuxRouteMonitor(events, openNetlink(0));
    } catch (e) {
      sys.close(events);
      throw e;
    }
  }

  onChange(cb: (change: NetworkChange) => void): void {
    this.listener = cb;
    if (this.closed) return;
    this.poll.start({ readable: true }, (status) => {
      if (status < 0) {
        // libuv stopped the handle (an error such as ENOBUFS pending): report a change and re-arm.
        this.drain({ any: true, removedAddresses: [] });
        if (!this.closed) this.onChange(cb);
        return;
      }
      this.drain({ any: false, removedAddresses: [] });
    });
  }

  lookup(to: Endpoint, mark: number, src: Uint8Array | null): RouteLookup {
    if (this.closed) return { ok: false, errno: E.EBADF };
    const seq = this.seq = (this.seq % 0x7fffffff) + 1;
    const req = routeRequest(to, mark, src, seq);
    if (sys.write(this.query, addressOf(req), req.length) < 0) return { ok: false, errno: errno() };
    for (;;) {
      const n = sys.read(this.query, this.bufAddress, this.buf.length);
      if (n < 0) {
        const err = errno();
        if (err === E.EINTR) continue;
        return { ok: false, errno: err }; // EAGAIN: no answer (should not happen: it is synchronous)
      }
      const reply = readRouteReply(this.buf, n, seq);
      if (reply) return reply; // else a late answer to an earlier request: skip it
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.poll.close();
    sys.close(this.events);
    sys.close(this.query);
  }

  private drain(change: NetworkChange): void {
    for (let reads = 0; reads < 1024 && !this.closed; reads++) {
      const n = sys.read(this.events, this.bufAddress, this.buf.length);
      if (n < 0) {
        const err = errno();
        if (err === E.EINTR) continue;
        if (err === ENOBUFS) { change.any = true; continue; } // notifications were lost: assume the worst
        break; // EAGAIN: drained
      }
      if (n === 0) break;
      readNotifications(this.buf, n, change);
    }
    if (change.any) this.listener?.(change);
  }
}
