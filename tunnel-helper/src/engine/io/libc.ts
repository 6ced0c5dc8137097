// Raw Linux syscalls through koffi, shared by the TUN and UDP seams.
//
// Hot-path functions take memory as `intptr_t` plain Numbers (x86_64 and
// arm64 user addresses fit in 47-48 bits), so a call allocates nothing: the
// caller adds a slot offset to a base address it computed once. Such addresses
// must point into memory that cannot move: views of an explicit ArrayBuffer,
// never `Buffer.alloc(n)` of a small n (V8 keeps typed arrays up to 64 bytes
// on its moving heap).
//
// Every koffi call here is synchronous and returns at once: the fds are
// non-blocking and readiness comes from libuv (koffi.node.poll).
import koffi from 'koffi';
import { readlinkSync } from 'node:fs';
import type { PacketVector } from './packet-vector.js';

const libc = koffi.load('libc.so.6');

export const sys = {
  read: libc.func('long read(int fd, intptr_t buf, size_t count)') as (fd: number, buf: number, count: number) => number,
  write: libc.func('long write(int fd, intptr_t buf, size_t count)') as (fd: number, buf: number, count: number) => number,
  readv: libc.func('long readv(int fd, intptr_t iov, int iovcnt)') as (fd: number, iov: number, iovcnt: number) => number,
  writev: libc.func('long writev(int fd, intptr_t iov, int iovcnt)') as (fd: number, iov: number, iovcnt: number) => number,
  close: libc.func('int close(int fd)') as (fd: number) => number,
  /** ioctl with a pointer argument (an ifreq in a Buffer). */
  ioctl: libc.func('int ioctl(int fd, unsigned long req, void *arg)') as (fd: number, req: number, arg: Buffer) => number,
  /** ioctl with an integer argument (TUNSETOFFLOAD, TUNGETDEVNETNS). */
  ioctlInt: libc.func('ioctl', 'int', ['int', 'unsigned long', 'intptr_t']) as (fd: number, req: number, arg: number) => number,
  // Declared with a fixed third argument: the x86_64 and arm64 ABIs pass it in a register either way.
  fcntl: libc.func('fcntl', 'int', ['int', 'int', 'int']) as (fd: number, cmd: number, arg: number) => number,
  setns: libc.func('int setns(int fd, int nstype)') as (fd: number, nstype: number) => number,
  socket: libc.func('int socket(int domain, int type, int protocol)') as (domain: number, type: number, protocol: number) => number,
  bind: libc.func('int bind(int fd, void *addr, uint32_t len)') as (fd: number, addr: Buffer, len: number) => number,
  getsockname: libc.func('int getsockname(int fd, void *addr, void *len)') as (fd: number, addr: Buffer, len: Uint32Array) => number,
  setsockopt: libc.func('int setsockopt(int fd, int level, int name, void *val, uint32_t len)') as
    (fd: number, level: number, name: number, val: Buffer, len: number) => number,
  getsockopt: libc.func('int getsockopt(int fd, int level, int name, void *val, void *len)') as
    (fd: number, level: number, name: number, val: Buffer, len: Uint32Array) => number,
  recvmmsg: libc.func('int recvmmsg(int fd, intptr_t msgvec, unsigned int vlen, int flags, intptr_t timeout)') as
    (fd: number, msgvec: number, vlen: number, flags: number, timeout: number) => number,
  sendmmsg: libc.func('int sendmmsg(int fd, intptr_t msgvec, unsigned int vlen, int flags)') as
    (fd: number, msgvec: number, vlen: number, flags: number) => number,
  strerror: libc.func('const char *strerror(int errnum)') as (errnum: number) => string,
  setsid: libc.func('int setsid(void)') as () => number,
  _exit: libc.func('void _exit(int status)') as (status: number) => void,
};

export const errno = (): number => koffi.errno();

export const E = {
  EINTR: 4, EIO: 5, EBADF: 9, EAGAIN: 11, EINVAL: 22, EMSGSIZE: 90, EAFNOSUPPORT: 97,
  EADDRINUSE: 98, EADDRNOTAVAIL: 99, ENETUNREACH: 101, EBADFD: 77, ENOTTY: 25, EPERM: 1,
} as const;

export const O_NONBLOCK = 0o4000;
export const O_CLOEXEC = 0o2000000;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const CLONE_NEWNET = 0x40000000;

/** `what failed: strerror (errno N)`. */
export function describeErrno(what: string, err: number): string {
  return `${what}: ${sys.strerror(err)} (errno ${err})`;
}

/** The native address of a Buffer/ArrayBuffer-backed view, as a Number (see the header on why that is safe). */
export function addressOf(view: ArrayBufferView): number {
  return Number(koffi.address(view));
}

const slabAddresses = new WeakMap<PacketVector, number>();

/** Native address of a vector's first slot; slot i is at + i * slotSize (computed once per vector). */
export function slabAddress(vec: PacketVector): number {
  let base = slabAddresses.get(vec);
  if (base === undefined) {
    base = addressOf(vec.bufs[0]!);
    slabAddresses.set(vec, base);
  }
  return base;
}

/** Makes an fd non-blocking (fds handed over by a parent process may not be). */
export function setNonBlocking(fd: number): void {
  const flags = sys.fcntl(fd, F_GETFL, 0);
  if (flags < 0 || sys.fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) throw new Error(describeErrno(`fcntl(${fd}, O_NONBLOCK)`, errno()));
}

/** Identity of a network namespace fd, e.g. "net:[4026531833]". */
export function netnsId(fd: number | 'self'): string {
  return readlinkSync(fd === 'self' ? '/proc/thread-self/ns/net' : `/proc/self/fd/${fd}`);
}

/** Poll events as koffi delivers them: the callback receives (status, events). */
export interface PollEvents { readable: boolean; writable: boolean; disconnect: boolean }
export interface PollHandle { start(opts: { readable?: boolean; writable?: boolean }, cb: (status: number, ev: PollEvents) => void): void; stop(): void; close(): void }

/**
 * A libuv poll handle on `fd` (epoll on the Node event loop: no thread, no
 * copy). Callbacks run on the JS thread with status < 0 on error (UV_EBADF
 * when the TUN interface vanished). Starts stopped.
 */
export function pollHandle(fd: number): PollHandle {
  const noop = () => {};
  const h = koffi.node.poll(fd, { readable: true }, noop) as unknown as PollHandle;
  h.stop();
  return h;
}
