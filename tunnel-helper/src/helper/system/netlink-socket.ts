// One rtnetlink dump over a NETLINK_ROUTE socket, through the engine's koffi
// libc seam. The socket is non-blocking: the kernel builds a dump's replies
// while we send and read, so they are there to read at once, and an empty
// read before NLMSG_DONE is an error, never a wait.
import { E, addressOf, describeErrno, errno, setNonBlocking, sys } from '../../engine/io/libc.js';
import { NLMSG_DONE, NLMSG_ERROR, RtnetlinkError, dumpRequest, errorCode, splitMessages } from './rtnetlink.js';

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
