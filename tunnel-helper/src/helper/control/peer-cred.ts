// Who is on the other end of a Unix socket: SO_PEERCRED, read with koffi.
// The helper asks on every connection, so a socket that leaked to another
// user (wrong mode, a passed fd, a bind-mounted path) still serves no one else.
import type { Socket } from 'node:net';
import { errno, sys } from '../../engine/io/libc.js';

const SOL_SOCKET = 1;
const SO_PEERCRED = 17;

export interface PeerCred {
  pid: number;
  uid: number;
  gid: number;
}

/** The credentials of the process that connected, or null if they cannot be read. */
export function peerCredentials(socket: Socket): PeerCred | null {
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) return null;
  const buf = Buffer.alloc(12); // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
  const len = new Uint32Array([12]);
  if (sys.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, buf, len) !== 0) {
    void errno();
    return null;
  }
  return { pid: buf.readInt32LE(0), uid: buf.readUInt32LE(4), gid: buf.readUInt32LE(8) };
}
