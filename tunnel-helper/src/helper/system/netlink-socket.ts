// rtnetlink over NETLINK_ROUTE sockets, through the engine's koffi libc seam:
//
//   rtnetlinkDump    one dump. The socket is non-blocking: the kernel builds a
//                    dump's replies while we send and read, so they are there
//                    to read at once, and an empty read before NLMSG_DONE is an
//                    error, never a wait.
//   watchRtnetlink   a socket bound to the link, neighbour, address and route
//                    multicast groups, polled on the event loop: any message
//                    (or an overrun) means "look again".
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
  const fd = sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) throw new RtnetlinkError(describeErrno('netlink socket', errno()));
  try {
    setNonBlocking(fd);
    const mySeq = seq = (seq + 1) & 0x7fffffff;
    const req = new Uint8Array(new ArrayBuffer(256));
    const msg = dumpRequest(type, family, mySeq);
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
        throw new RtnetlinkError(describeErrno(err === E.EAGAIN ? 'netlink dump ended without NLMSG_DONE' : 'netlink read', err));
      }
      if (n === 0) throw new RtnetlinkError('netlink socket closed mid-dump');
      total += n;
      if (total > MAX_DUMP_BYTES) throw new RtnetlinkError('netlink dump too large');
      for (const m of splitMessages(buf.subarray(0, n))) {
        if (m.seq !== mySeq) continue;
        if (m.type === NLMSG_DONE) return out;
        if (m.type === NLMSG_ERROR) {
          const code = errorCode(m);
          if (code !== 0) throw new RtnetlinkError(describeErrno('netlink dump', code));
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

/** Calls `onChange` when the kernel announces a link, neighbour, address or route change; returns the stop function. */
export function watchRtnetlink(onChange: () => void): () => void {
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
    if (news) onChange();
  });
  return () => {
    handle.stop();
    handle.close();
    sys.close(fd);
  };
}
