// rtnetlink over NETLINK_ROUTE sockets, through the engine's koffi libc seam:
//
//   rtnetlinkDump    one dump. The socket is non-blocking: the kernel builds a
//                    dump's replies while we send and read, so they are there
//                    to read at once, and an empty read before NLMSG_DONE is an
//                    error, never a wait.
//   rtnetlinkRequest one request with NLM_F_ACK (rtnetlink-change.ts), a
//                    change or a get: the same, up to its ack.
//   watchRtnetlink   one socket, shared by every watcher in the process, bound
//                    to the link, neighbour, address and route multicast
//                    groups and polled on the event loop: any message (or an
//                    overrun) means "look again".
import { E, addressOf, describeErrno, errno, pollHandle, setNonBlocking, sys } from '../../engine/io/libc.js';
import { NLMSG_DONE, NLMSG_ERROR, RtnetlinkError, splitMessages } from '../../../../shared/netlink/rtnetlink.js';
import { dumpRequest, errorCode } from './rtnetlink.js';

const AF_NETLINK = 16;
const SOCK_RAW = 3;
const SOCK_CLOEXEC = 0o2000000;
const NETLINK_ROUTE = 0;
/** A dump this long is not a desktop's routing table; stop reading rather than loop. */
const MAX_DUMP_BYTES = 16 * 1024 * 1024;

let seq = Math.floor(Date.now() / 1000) & 0x7fffffff;

/** The payloads of every reply message of one dump (RTM_GET* with NLM_F_DUMP) for `family`. */
export function rtnetlinkDump(type: number, family: number): Buffer[] {
  const mySeq = nextSeq();
  return exchange(dumpRequest(type, family, mySeq), mySeq, 'netlink dump', false);
}

/** The kernel refused a request: `errno` says why (EEXIST, ENODEV...). */
export class RtnetlinkRefused extends RtnetlinkError {
  constructor(readonly errno: number) {
    super(sys.strerror(errno));
  }
}

/**
 * One request that carries NLM_F_ACK (rtnetlink-change.ts), with `seq`: the
 * payloads of its replies (a get's answer), or RtnetlinkRefused. The kernel
 * handles a NETLINK_ROUTE request inside the write, so the answer and the
 * ack are queued when it returns.
 */
export function rtnetlinkRequest(request: Buffer, seq: number): Buffer[] {
  return exchange(request, seq, 'netlink request', true);
}

function nextSeq(): number {
  return (seq = (seq + 1) & 0x7fffffff);
}

/** A sequence number for a request built by the caller. */
export function rtnetlinkSeq(): number {
  return nextSeq();
}

/** Sends `msg` on a new socket and reads the replies for `mySeq` until NLMSG_DONE, or its ack when `endsOnAck`. */
function exchange(msg: Buffer, mySeq: number, what: string, endsOnAck: boolean): Buffer[] {
  const fd = sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) throw new RtnetlinkError(describeErrno('netlink socket', errno()));
  try {
    setNonBlocking(fd);
    const req = new Uint8Array(new ArrayBuffer(Math.max(256, msg.length)));
    req.set(msg);
    if (sys.write(fd, addressOf(req), msg.length) !== msg.length) throw new RtnetlinkError(describeErrno('netlink send', errno()));
    const buf = Buffer.from(new ArrayBuffer(64 * 1024));
    const out: Buffer[] = [];
    let total = 0;
    for (;;) {
      const n = sys.read(fd, addressOf(buf), buf.length);
      if (n < 0) {
        const err = errno();
        if (err === E.EINTR) continue;
        throw new RtnetlinkError(describeErrno(err === E.EAGAIN ? `${what} ended without an answer` : 'netlink read', err));
      }
      if (n === 0) throw new RtnetlinkError(`netlink socket closed during a ${what}`);
      total += n;
      if (total > MAX_DUMP_BYTES) throw new RtnetlinkError(`${what}: answer too large`);
      for (const m of splitMessages(buf.subarray(0, n))) {
        if (m.seq !== mySeq) continue;
        if (m.type === NLMSG_DONE) return out;
        if (m.type === NLMSG_ERROR) {
          const code = errorCode(m);
          if (code !== 0) throw new RtnetlinkRefused(code);
          if (endsOnAck) return out;
          continue;
        }
        out.push(Buffer.from(m.payload));
      }
    }
  } finally {
    sys.close(fd);
  }
}

/** RTMGRP_LINK, _NEIGH, _IPV4_IFADDR, _IPV4_ROUTE, _IPV6_IFADDR, _IPV6_ROUTE. */
const WATCH_GROUPS = 0x1 | 0x4 | 0x10 | 0x40 | 0x100 | 0x400;
const ENOBUFS = 105;

/** The helper's one watching socket, and who listens to it (the network watch and the network identity). */
let watching: { readonly listeners: Set<() => void>; close(): void } | null = null;

/**
 * Calls `onChange` when the kernel announces a link, neighbour, address or
 * route change; returns the stop function. Every caller shares one socket,
 * opened for the first and closed after the last.
 */
export function watchRtnetlink(onChange: () => void): () => void {
  watching ??= openWatch();
  const w = watching;
  // Each caller is its own entry, even with the same function.
  const listener = () => onChange();
  w.listeners.add(listener);
  return () => {
    if (!w.listeners.delete(listener) || w.listeners.size > 0) return;
    w.close();
    if (watching === w) watching = null;
  };
}

function openWatch(): { readonly listeners: Set<() => void>; close(): void } {
  const fd = sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) throw new RtnetlinkError(describeErrno('netlink socket', errno()));
  try {
    setNonBlocking(fd);
    const addr = Buffer.alloc(12); // sockaddr_nl: family, pad, pid 0 (the kernel picks), groups
    addr.writeUInt16LE(AF_NETLINK, 0);
    addr.writeUInt32LE(WATCH_GROUPS, 8);
    if (sys.bind(fd, addr, addr.length) < 0) throw new RtnetlinkError(describeErrno('netlink bind', errno()));
  } catch (e) {
    sys.close(fd);
    throw e;
  }
  const listeners = new Set<() => void>();
  const buf = Buffer.from(new ArrayBuffer(64 * 1024));
  const handle = pollHandle(fd);
  handle.start({ readable: true }, (status) => {
    if (status < 0) return;
    let news = false;
    for (;;) {
      const n = sys.read(fd, addressOf(buf), buf.length);
      if (n > 0) { news = true; continue; }
      // ENOBUFS: the kernel dropped messages we were too slow for; that is news too.
      if (n < 0 && errno() === ENOBUFS) news = true;
      break;
    }
    if (news) for (const l of [...listeners]) l();
  });
  return {
    listeners,
    close: () => {
      handle.stop();
      handle.close();
      sys.close(fd);
    },
  };
}
