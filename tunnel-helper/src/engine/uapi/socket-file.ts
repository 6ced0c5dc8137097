// The socket file's life, as wg-go ipc/uapi_unix.go and uapi_linux.go run it:
// `/var/run/wireguard/IFNAME.sock`, its directory created with mode 0755,
// the socket bound under umask 077 (so it is 0700, root only), a stale file
// (connect → ECONNREFUSED) replaced, a live one refused; and the daemon
// leaves when someone deletes the file (wg-quick down does exactly that).

import { lstat } from 'node:fs/promises';
import { lstatSync, mkdirSync, statSync, unlinkSync, watch, type FSWatcher } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';

/** Where wg(8) looks for userspace interfaces (RUNSTATEDIR "/wireguard/"). */
export const SOCKET_DIRECTORY = '/var/run/wireguard';

/** `/var/run/wireguard/IFNAME.sock`; rejects names wg(8) could not reach. */
export function uapiSocketPath(ifname: string, directory = SOCKET_DIRECTORY): string {
  if (ifname === '' || ifname.length > 15 || /[/\0\s]/.test(ifname) || ifname === '.' || ifname === '..') {
    throw new Error(`"${ifname}" is not a valid interface name: use 1 to 15 characters, no "/" or spaces`);
  }
  return join(directory, `${ifname}.sock`);
}

/**
 * Creates the directory if needed and clears a stale socket; throws if a live
 * daemon owns the path. The file calls are synchronous (as in listenPrivately):
 * an engine starting up has nothing else to do, and each trip through libuv's
 * thread pool would delay its first answer, which a connect waits for.
 */
export async function prepareSocketPath(path: string): Promise<void> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (st === undefined) return;
  if (!st.isSocket()) {
    throw Object.assign(new Error(`${path} exists and is not a socket: remove it by hand if it is unused`), { code: 'EEXIST' });
  }
  if ((await probeSocket(path)) === 'live') {
    throw Object.assign(new Error(`${path} is in use by another running daemon: stop it first`), { code: 'EADDRINUSE' });
  }
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * What answers at `path`: `live` (a listener, even a busy one), `refused`
 * (a stale socket: its owner is gone), or `absent` (anything else).
 */
export function probeSocket(path: string, timeoutMs = 1000): Promise<'live' | 'refused' | 'absent'> {
  return new Promise((resolve) => {
    const sock = connect(path);
    const done = (result: 'live' | 'refused' | 'absent'): void => {
      sock.destroy();
      resolve(result);
    };
    sock.setTimeout(timeoutMs, () => done('live'));
    sock.once('connect', () => done('live'));
    sock.once('error', (err: NodeJS.ErrnoException) => {
      done(err.code === 'EAGAIN' ? 'live' : err.code === 'ECONNREFUSED' ? 'refused' : 'absent');
    });
  });
}

/** Identity of the file we created, so we never act on someone else's socket. */
export interface FileId {
  dev: number;
  ino: number;
}

export function fileId(path: string): FileId {
  const st = statSync(path);
  return { dev: st.dev, ino: st.ino };
}

/** True when `path` still names the file `id`. */
export async function stillOurs(path: string, id: FileId): Promise<boolean> {
  try {
    const st = await lstat(path);
    return st.dev === id.dev && st.ino === id.ino;
  } catch {
    return false;
  }
}

/**
 * Calls `onGone` once when `path` is deleted or replaced. inotify (fs.watch)
 * reacts at once; the interval poll covers what inotify misses, such as the
 * whole directory being removed and recreated.
 */
export function watchSocketFile(path: string, id: FileId, onGone: () => void, pollMs = 1000): () => void {
  let stopped = false;
  let watcher: FSWatcher | null = null;
  const check = (): void => {
    void stillOurs(path, id).then((ours) => {
      if (ours || stopped) return;
      stop();
      onGone();
    });
  };
  try {
    watcher = watch(path, { persistent: false }, check);
    watcher.on('error', check);
  } catch {
    watcher = null; // the poll still runs
  }
  const timer = setInterval(check, pollMs);
  timer.unref();
  function stop(): void {
    stopped = true;
    clearInterval(timer);
    watcher?.close();
  }
  return stop;
}
