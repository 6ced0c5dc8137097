// The UAPI server: a Unix stream socket that wg(8) and wg-quick drive exactly
// as they drive wireguard-go. Startup follows wg-go's UAPIOpen/UAPIListen:
//   1. create the socket directory (0755) if it is missing;
//   2. refuse if a live daemon answers on the path; unlink a stale file;
//   3. bind with umask 077, so the socket is 0700 and only root connects
//      (bound at a private name, then linked into place: see listenPrivately;
//      a spare engine binds before it knows its name: listenUapi);
//   4. watch the file: when it is deleted or replaced, tell the owner, who
//      should shut the device down (the daemon exits, as wg-go does).
// Device calls from all connections run one at a time.

import { createServer, type Server, type Socket } from 'node:net';
import { chmodSync, existsSync, linkSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { UapiDevice } from './device-api.js';
import { serveConnection, type ConnectionLimits, type Serializer } from './connection.js';
import { fileId, prepareSocketPath, stillOurs, watchSocketFile } from './socket-file.js';

export interface UapiServerOptions extends Partial<ConnectionLimits> {
  /** Connections beyond this are closed at once (default 64). */
  maxConnections?: number;
  /** How often to check that the socket file still exists (default 1000 ms). */
  watchIntervalMs?: number;
  /** Receives one line per failed request or dropped connection. */
  log?: (message: string) => void;
}

export interface UapiServer {
  readonly path: string;
  /** Stops listening, drops every connection and removes the socket file if it is still ours. */
  close(): Promise<void>;
  /** `cb` runs once if the socket file is deleted or replaced while we serve. */
  onSocketRemoved(cb: () => void): void;
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  maxLineBytes: 4096, // the longest valid line is under 100 bytes
  // ~650k allowed_ip lines, ~2 µs and a few hundred bytes each once parsed;
  // netns.sh's largest request (130560 allowed IPs) is 3.4 MB.
  maxRequestBytes: 16 * 1024 * 1024,
  requestTimeoutMs: 10_000,
  idleTimeoutMs: 0,
};

export async function startUapiServer(path: string, device: UapiDevice, opts: UapiServerOptions = {}): Promise<UapiServer> {
  await prepareSocketPath(path); // refused before anything is bound if a live daemon has it
  return (await listenUapi(dirname(path), opts)).publish(path, device);
}

/** A UAPI server listening at a private name, not yet at its interface's path. */
export interface UapiListener {
  /** Links the socket in at `path` (refused if a live daemon has it) and serves `device` there. */
  publish(path: string, device: UapiDevice): Promise<UapiServer>;
  /** Stops listening and removes the private name (an engine that never got its name); once published, it does nothing. */
  close(): Promise<void>;
}

/**
 * Listens before the interface is known (a spare engine, which then saves a
 * connect the listen: the path is only linked in once it is named).
 * Connections to the private name before that are closed at once.
 */
export async function listenUapi(directory: string, opts: UapiServerOptions = {}): Promise<UapiListener> {
  const limits: ConnectionLimits = {
    maxLineBytes: opts.maxLineBytes ?? DEFAULT_LIMITS.maxLineBytes,
    maxRequestBytes: opts.maxRequestBytes ?? DEFAULT_LIMITS.maxRequestBytes,
    requestTimeoutMs: opts.requestTimeoutMs ?? DEFAULT_LIMITS.requestTimeoutMs,
    idleTimeoutMs: opts.idleTimeoutMs ?? DEFAULT_LIMITS.idleTimeoutMs,
  };
  const log = opts.log ?? (() => {});
  const serialize = makeSerializer();
  const sockets = new Set<Socket>();
  let device: UapiDevice | null = null;

  mkdirSync(directory, { recursive: true, mode: 0o755 });
  removeOrphanedNames(directory);
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    if (device === null) return void socket.destroy();
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serveConnection(socket, device, limits, serialize, log);
  });
  server.maxConnections = opts.maxConnections ?? 64;
  server.on('drop', () => log('UAPI connection refused: too many connections'));
  const bound = join(directory, `.${process.pid}-${listenerSerial++}.sock.tmp`);
  await listenPrivately(server, bound);
  const closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
  let published = false;

  return {
    async publish(path, served) {
      published = true; // from here the server is the UapiServer's to close
      try {
        await linkInPlace(bound, path);
      } catch (err) {
        await closeServer();
        throw err;
      } finally {
        removeQuietly(bound);
      }
      device = served;
      return serving(path, server, sockets, log, opts.watchIntervalMs ?? 1000);
    },
    async close() {
      if (published) return;
      await closeServer();
      removeQuietly(bound);
    },
  };
}

let listenerSerial = 0;

function serving(path: string, server: Server, sockets: Set<Socket>, log: (message: string) => void, watchIntervalMs: number): UapiServer {
  const id = fileId(path);
  const removedCallbacks: Array<() => void> = [];
  let removed = false;
  let closing: Promise<void> | null = null;
  const stopWatching = watchSocketFile(path, id, () => {
    removed = true;
    for (const cb of removedCallbacks.splice(0)) {
      try {
        cb();
      } catch (err) {
        log(`socket-removed callback failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }, watchIntervalMs);

  return {
    path,
    onSocketRemoved(cb) {
      if (removed) queueMicrotask(cb);
      else removedCallbacks.push(cb);
    },
    close() {
      closing ??= (async () => {
        stopWatching();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await closed;
        if (await stillOurs(path, id)) removeQuietly(path);
      })();
      return closing;
    },
  };
}

/**
 * Binds under umask 077, as wg-go does, at a private name (`bound`), from
 * which linkInPlace links the socket into place. Two reasons: link() fails if
 * the path appeared meanwhile (no clobbering a daemon that just started), and
 * libuv unlinks the *bound* name on close, which must never be a path another
 * daemon may own by then.
 */
async function listenPrivately(server: Server, bound: string): Promise<void> {
  removeQuietly(bound);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const old = process.umask(0o077);
    try {
      server.listen(bound, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      process.umask(old); // bind() ran synchronously inside listen()
    }
  });
  chmodSync(bound, 0o700);
}

async function linkInPlace(bound: string, path: string): Promise<void> {
  await prepareSocketPath(path); // throws if a live daemon has it
  try {
    linkSync(bound, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    await prepareSocketPath(path); // throws if a live daemon won the race
    linkSync(bound, path);
  }
}

/** Private names left by engines that died before they were named (a spare is stopped with SIGKILL). */
function removeOrphanedNames(directory: string): void {
  try {
    for (const name of readdirSync(directory)) {
      const m = /^\.(\d+)-\d+\.sock\.tmp$/.exec(name);
      if (m && !existsSync(`/proc/${m[1]}`)) removeQuietly(join(directory, name));
    }
  } catch { /* best effort */ }
}

function removeQuietly(path: string): void {
  try { unlinkSync(path); } catch { /* not there */ }
}

function makeSerializer(): Serializer {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(op: () => Promise<T>): Promise<T> => {
    const result = tail.then(op);
    tail = result.catch(() => {});
    return result;
  };
}
