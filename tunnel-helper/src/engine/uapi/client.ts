// A UAPI client for `wiredesk show` and the helper: it talks to any
// userspace WireGuard (our engine, wireguard-go, boringtun) the way wg(8)
// does, one request per connection.

import { connect } from 'node:net';
import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeviceState, SetRequest } from './device-api.js';
import { Errno, UapiError } from './errors.js';
import { parseGet } from './protocol-get.js';
import { formatSet } from './protocol-set.js';
import { SOCKET_DIRECTORY, probeSocket, uapiSocketPath } from './socket-file.js';

export interface UapiClientOptions {
  /** Socket directory (default /var/run/wireguard). */
  directory?: string;
  /** Give up after this long without a complete reply (default 10 s). */
  timeoutMs?: number;
  /** Largest reply accepted (default 256 MiB). */
  maxReplyBytes?: number;
}

/**
 * Sends `request` (one complete request, blank line included) and resolves
 * with the reply up to and including its blank line.
 */
export function uapiRequest(socketPath: string, request: string, opts: UapiClientOptions = {}): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxReplyBytes = opts.maxReplyBytes ?? 256 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const sock = connect(socketPath);
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err: Error | null, text?: string): void => {
      if (settled) return;
      settled = true;
      sock.destroy();
      if (err) reject(err);
      else resolve(text ?? '');
    };
    sock.setTimeout(timeoutMs, () => finish(new Error(`no reply from ${socketPath} within ${timeoutMs} ms`)));
    sock.on('error', (err) => finish(err));
    sock.on('connect', () => sock.write(request));
    let lastByte = 10; // the stream starts as if after a newline: a leading "\n" is a blank line
    sock.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > maxReplyBytes) return finish(new UapiError(Errno.EMSGSIZE, `reply from ${socketPath} is too large`));
      // The reply ends with its first blank line, i.e. the first "\n\n" of the stream.
      const base = size - chunk.length;
      let end = -1;
      if (lastByte === 10 && chunk[0] === 10) end = base + 1;
      else {
        const at = chunk.indexOf('\n\n');
        if (at !== -1) end = base + at + 2;
      }
      lastByte = chunk[chunk.length - 1] ?? lastByte;
      if (end !== -1) finish(null, Buffer.concat(chunks).toString('latin1', 0, end));
    });
    sock.on('end', () => finish(new UapiError(Errno.EPROTO, `${socketPath} closed the connection before replying`)));
  });
}

/** The state of interface `ifname`, as `wg show` reads it. */
export async function uapiGet(ifname: string, opts: UapiClientOptions = {}): Promise<DeviceState> {
  const path = uapiSocketPath(ifname, opts.directory);
  return parseGet(await uapiRequest(path, 'get=1\n\n', opts));
}

/**
 * Applies a configuration: a SetRequest, or the lines of a `set=1` request
 * as text (the `set=1` line and the blank line are optional). Throws UapiError with the device's errno on failure.
 */
export async function uapiSet(ifname: string, request: SetRequest | string, opts: UapiClientOptions = {}): Promise<void> {
  const path = uapiSocketPath(ifname, opts.directory);
  const body = typeof request === 'string' ? request.replace(/^set=1\n/, '').replace(/\n*$/, '') : '';
  const text = typeof request === 'string' ? `set=1\n${body ? `${body}\n` : ''}\n` : formatSet(request);
  const reply = await uapiRequest(path, text, opts);
  const m = /^errno=(-?[0-9]+)\n\n$/.exec(reply);
  if (!m) throw new UapiError(Errno.EPROTO, `malformed set reply from ${path}: ${JSON.stringify(reply.slice(0, 64))}`);
  const errno = Number(m[1]);
  if (errno !== 0) throw new UapiError(Math.abs(errno), `${ifname} refused the configuration (errno ${errno})`);
}

/**
 * Names of the userspace interfaces with a live socket, sorted. Like wg(8),
 * it unlinks sockets nobody listens on any more (connect → ECONNREFUSED).
 */
export async function listInterfaces(opts: UapiClientOptions = {}): Promise<string[]> {
  const directory = opts.directory ?? SOCKET_DIRECTORY;
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const found: string[] = [];
  for (const name of names) {
    if (!name.endsWith('.sock') || name.length <= '.sock'.length) continue;
    const path = join(directory, name);
    const st = await stat(path).catch(() => null);
    if (!st?.isSocket()) continue;
    const probe = await probeSocket(path);
    if (probe === 'live') found.push(name.slice(0, -'.sock'.length));
    else if (probe === 'refused') await unlink(path).catch(() => {});
  }
  return found.sort();
}
