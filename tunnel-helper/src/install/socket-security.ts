// Who may reach the control socket, checked from both ends.
//
// The helper (root) listens in a directory that only root can write (so no
// one can swap the socket for their own), and hands the socket file to the
// ONE user it serves: owner = that uid, mode 0600. It also checks every
// peer's credentials (peer-cred.ts).
//
// The app (that user) trusts a socket only if:
//   1. its directory is a real directory owned by root and not writable by
//      group or others: then only root could have created the socket in it;
//   2. the socket file is a socket owned by the app's own uid with no group
//      or other permissions: then root made it for this user.
// Checking "socket owned by root" would be wrong here, since the helper
// chowns it to the user on purpose.
import { chmodSync, chownSync, lstatSync, mkdirSync, unlinkSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { probeSocket } from '../engine/uapi/socket-file.js';

export const DEFAULT_SOCKET_DIR = '/run/wiredesk';
export const DEFAULT_SOCKET_PATH = `${DEFAULT_SOCKET_DIR}/helper.sock`;

export class UnsafeSocketError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeSocketError';
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch {
    return null;
  }
}

/** Throws UnsafeSocketError unless `dir` is a directory owned by root, not writable by group or others. */
export function checkSocketDirectory(dir: string): void {
  const st = lstatOrNull(dir);
  if (!st) throw new UnsafeSocketError(`${dir} does not exist.`);
  if (!st.isDirectory()) throw new UnsafeSocketError(`${dir} is not a directory (a symbolic link is not accepted).`);
  if (st.uid !== 0) throw new UnsafeSocketError(`${dir} is owned by uid ${st.uid}, not root, so another user could replace the helper's socket.`);
  if ((st.mode & 0o022) !== 0) {
    throw new UnsafeSocketError(`${dir} is writable by group or others (mode ${(st.mode & 0o7777).toString(8)}), so another user could replace the helper's socket.`);
  }
}

/**
 * Creates the default directory (root, 0755) when missing, then checks it.
 * netconfig keeps its journals there too and creates it 0700 when it comes
 * first; the user must be able to reach the socket by name, so a root-owned
 * directory gets search permission (x) for others, not listing (r).
 */
export function ensureSocketDirectory(dir: string): void {
  const st = lstatOrNull(dir);
  if (!st) {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    chmodSync(dir, 0o755); // the umask may have narrowed it
  } else if (st.isDirectory() && st.uid === 0 && (st.mode & 0o022) === 0 && (st.mode & 0o011) !== 0o011) {
    chmodSync(dir, (st.mode & 0o7777) | 0o011);
  }
  checkSocketDirectory(dir);
}

/** Removes a stale socket left by a helper that died; refuses if one is still serving. */
export async function clearStaleSocket(path: string): Promise<void> {
  const st = lstatOrNull(path);
  if (!st) return;
  if (!st.isSocket()) throw new UnsafeSocketError(`${path} exists and is not a socket; remove it or choose another --socket.`);
  if ((await probeSocket(path)) === 'live') {
    throw new UnsafeSocketError(`Another helper is already listening on ${path}. Stop it first (only one helper may manage tunnels).`);
  }
  unlinkSync(path);
}

/** Gives the socket to the user the helper serves: owner uid, mode 0600. */
export function handSocketTo(path: string, ownerUid: number): void {
  chownSync(path, ownerUid, 0);
  chmodSync(path, 0o600);
}

/**
 * The app's check before it trusts the socket at `path` (see the header).
 * `expectedOwnerUid` defaults to the caller's own uid.
 */
export function verifyHelperSocket(path: string, expectedOwnerUid = process.getuid?.() ?? -1): void {
  checkSocketDirectory(dirname(path));
  const st = lstatOrNull(path);
  if (!st) throw new UnsafeSocketError(`The helper is not running: ${path} does not exist.`);
  if (!st.isSocket()) throw new UnsafeSocketError(`${path} is not a socket.`);
  if (st.uid !== expectedOwnerUid) {
    throw new UnsafeSocketError(`${path} belongs to uid ${st.uid}, not to uid ${expectedOwnerUid}: that helper serves another user.`);
  }
  if ((st.mode & 0o077) !== 0) throw new UnsafeSocketError(`${path} is accessible to group or others (mode ${(st.mode & 0o777).toString(8)}).`);
}
