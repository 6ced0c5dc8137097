// Interface settings (MTU, flags, index) of a TUN device, wherever it lives.
//
// These ioctls name the interface, and a name means something only inside one
// network namespace. wg-go's tests create the TUN in one namespace and then
// `ip link set IF netns OTHER`; a lookup by name in our own namespace would
// then fail or, worse, hit another interface of the same name. So we ask the
// TUN fd which namespace its interface is in now (TUNGETDEVNETNS, Linux 5.2+),
// and when it is not ours we briefly enter it (setns on the JS thread only)
// to create the AF_INET socket the ioctls go through. The name comes from the
// fd too (TUNGETIFF), so renames are followed.
import { CLONE_NEWNET, E, describeErrno, errno, netnsId, sys } from './libc.js';
import { openSync, closeSync } from 'node:fs';

const IFNAMSIZ = 16;
const IFREQ_SIZE = 40;
export const TUNSETIFF = 0x400454ca;
export const TUNGETIFF = 0x800454d2;
const TUNGETDEVNETNS = 0x54e3;
const SIOCGIFFLAGS = 0x8913;
const SIOCSIFFLAGS = 0x8914;
const SIOCGIFMTU = 0x8921;
const SIOCSIFMTU = 0x8922;
const SIOCGIFINDEX = 0x8933;
const IFF_UP = 0x1;
const AF_INET = 2;
const SOCK_DGRAM = 2;
const SOCK_CLOEXEC = 0o2000000;

/** A 40-byte struct ifreq with `name` filled in. */
export function ifreq(name = ''): Buffer {
  const b = Buffer.alloc(IFREQ_SIZE);
  b.write(name, 0, IFNAMSIZ - 1, 'latin1');
  return b;
}

export function ifreqName(b: Buffer): string {
  const end = b.indexOf(0);
  return b.toString('latin1', 0, end < 0 || end > IFNAMSIZ ? IFNAMSIZ : end);
}

/** Thrown by tunIoctl when the fd no longer has an interface (it was deleted). */
export class DetachedError extends Error {}

/** TUNGETIFF through the fd: the interface's current name and flags. */
export function tunGetIff(fd: number): { name: string; flags: number } {
  const req = ifreq();
  if (sys.ioctl(fd, TUNGETIFF, req) < 0) {
    const err = errno();
    if (err === E.EBADFD) throw new DetachedError('the TUN interface is gone');
    throw new Error(describeErrno('TUNGETIFF', err));
  }
  return { name: ifreqName(req), flags: req.readUInt16LE(IFNAMSIZ) };
}

function inetSocket(where: string): number {
  const sock = sys.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) throw new Error(describeErrno(`socket(AF_INET) ${where}`, errno()));
  return sock;
}

/** Socket in our own namespace, or in the interface's after briefly entering it. */
function socketIn(nsFd: number): number {
  if (nsFd < 0 || netnsId(nsFd) === netnsId('self')) return inetSocket('for interface ioctls');
  const home = openSync('/proc/thread-self/ns/net', 'r');
  try {
    if (sys.setns(nsFd, CLONE_NEWNET) < 0) throw new Error(describeErrno('setns into the interface namespace', errno()));
    const sock = sys.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const err = errno();
    // Staying in the wrong namespace would silently misplace every later socket.
    if (sys.setns(home, CLONE_NEWNET) < 0) throw new Error(describeErrno('setns back to our namespace', errno()));
    if (sock < 0) throw new Error(describeErrno('socket(AF_INET) in the interface namespace', err));
    return sock;
  } finally {
    closeSync(home);
  }
}

/** Runs `fn(sock)` with a socket in the namespace of the TUN fd's interface. */
function withDeviceSocket<T>(tunFd: number, fn: (sock: number) => T): T {
  const nsFd = sys.ioctlInt(tunFd, TUNGETDEVNETNS, 0);
  // EBADFD: deleted. Other errors: kernels before 5.2, where we assume it never moved.
  if (nsFd < 0 && errno() === E.EBADFD) throw new DetachedError('the TUN interface is gone');
  try {
    const sock = socketIn(nsFd);
    try {
      return fn(sock);
    } finally {
      sys.close(sock);
    }
  } finally {
    if (nsFd >= 0) sys.close(nsFd);
  }
}

function ifIoctl(tunFd: number, req: number, what: string, fill?: (b: Buffer) => void): Buffer {
  const { name } = tunGetIff(tunFd);
  return withDeviceSocket(tunFd, (sock) => {
    const b = ifreq(name);
    fill?.(b);
    if (sys.ioctl(sock, req, b) < 0) throw new Error(describeErrno(`${what} of ${name}`, errno()));
    return b;
  });
}

export function getMtu(tunFd: number): number {
  return ifIoctl(tunFd, SIOCGIFMTU, 'Reading the MTU').readInt32LE(IFNAMSIZ);
}

export function setMtu(tunFd: number, mtu: number): void {
  if (!Number.isInteger(mtu) || mtu < 68 || mtu > 65535) throw new RangeError(`The MTU must be 68-65535, not ${mtu}.`);
  ifIoctl(tunFd, SIOCSIFMTU, 'Setting the MTU', (b) => b.writeInt32LE(mtu, IFNAMSIZ));
}

export function getIfIndex(tunFd: number): number {
  return ifIoctl(tunFd, SIOCGIFINDEX, 'Reading the interface index').readInt32LE(IFNAMSIZ);
}

export function isUp(tunFd: number): boolean {
  return (ifIoctl(tunFd, SIOCGIFFLAGS, 'Reading the flags').readUInt16LE(IFNAMSIZ) & IFF_UP) !== 0;
}

export function setUp(tunFd: number, up: boolean): void {
  const { name } = tunGetIff(tunFd);
  withDeviceSocket(tunFd, (sock) => {
    const b = ifreq(name);
    if (sys.ioctl(sock, SIOCGIFFLAGS, b) < 0) throw new Error(describeErrno(`Reading the flags of ${name}`, errno()));
    const flags = b.readUInt16LE(IFNAMSIZ);
    b.writeUInt16LE(up ? flags | IFF_UP : flags & ~IFF_UP, IFNAMSIZ);
    if (sys.ioctl(sock, SIOCSIFFLAGS, b) < 0) throw new Error(describeErrno(`Setting ${name} ${up ? 'up' : 'down'}`, errno()));
  });
}
