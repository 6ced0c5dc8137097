// One client connection to the UAPI socket. A connection carries any number
// of requests one after another (wg-go device/uapi.go IpcHandle):
//
//   idle ──"get=1"──> get ──""──> busy ──reply──> idle
//   idle ──"set=1"──> set ──lines…""──> busy ──reply──> idle
//   idle ──anything else──> errno=-22, closed
//
// Hostile input is bounded: a line longer than maxLineBytes gets -EIO (wg-go's
// scanner limit, tighter), a request over maxRequestBytes gets -EMSGSIZE, and
// both close the connection; a bad `set` line gets its errno once the request
// ends and the connection stays usable. Reading pauses while a device call
// runs or while the client is not reading its replies, so memory per
// connection stays at about one socket chunk plus the request being parsed.
// Set lines may end in CRLF, as Go's line scanner allows. Unlike wg-go, a
// request cut off by EOF is never applied (-EPROTO), an unknown operation
// gets a reply before the close, and requests written back to back after a
// set are not lost.

import type { Socket } from 'node:net';
import type { UapiDevice } from './device-api.js';
import { Errno, UapiError, errnoOf } from './errors.js';
import { formatGet } from './protocol-get.js';
import { SetParser, setLineText } from './protocol-set.js';

export interface ConnectionLimits {
  maxLineBytes: number;
  maxRequestBytes: number;
  /** Inactivity allowed in the middle of a request. */
  requestTimeoutMs: number;
  /** Inactivity allowed between requests (0: none, as in wg-go). */
  idleTimeoutMs: number;
}

/** Runs device calls one at a time across all connections (wg-go's ipcMutex). */
export type Serializer = <T>(op: () => Promise<T>) => Promise<T>;

type Mode = 'idle' | 'get' | 'set' | 'busy' | 'closed';

export function serveConnection(
  socket: Socket,
  device: UapiDevice,
  limits: ConnectionLimits,
  serialize: Serializer,
  log: (message: string) => void,
): void {
  let mode: Mode = 'idle';
  let inbox: Buffer | null = null; // received, not yet consumed, from `pos`
  let pos = 0;
  let partial: Buffer[] = []; // start of a line whose newline has not arrived
  let partialBytes = 0;
  let parser: SetParser | null = null;
  let setError: unknown = null; // first bad line of the current set; the rest is skipped
  let requestBytes = 0;
  let eof = false;
  let blocked = false; // the client is not reading its replies

  socket.setTimeout(limits.idleTimeoutMs);
  socket.on('timeout', () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    mode = 'closed';
    inbox = null;
    partial = [];
    parser = null;
  });
  socket.on('data', (chunk: Buffer) => {
    if (mode === 'closed') return;
    inbox = inbox === null ? chunk : Buffer.concat([inbox.subarray(pos), chunk]);
    pos = 0;
    pump();
  });
  socket.on('end', () => {
    eof = true;
    pump();
  });

  function pump(): void {
    while (inbox !== null && (mode === 'idle' || mode === 'get' || mode === 'set') && !blocked) {
      const nl = inbox.indexOf(10, pos);
      const end = nl === -1 ? inbox.length : nl;
      if (partialBytes + end - pos > limits.maxLineBytes) {
        return closeWith(Errno.EIO, `a line is longer than ${limits.maxLineBytes} bytes`);
      }
      if (nl === -1) {
        partial.push(inbox.subarray(pos));
        partialBytes += inbox.length - pos;
        inbox = null;
        break;
      }
      let line: string;
      if (partialBytes === 0) {
        line = inbox.toString('latin1', pos, nl);
      } else {
        partial.push(inbox.subarray(pos, nl));
        line = Buffer.concat(partial).toString('latin1');
        partial = [];
        partialBytes = 0;
      }
      pos = nl + 1;
      if (pos === inbox.length) inbox = null;
      handleLine(line);
    }
    if (mode === 'closed') return;
    if (inbox === null && eof && mode !== 'busy') return finishAtEof();
    if (mode === 'busy' || blocked) socket.pause();
    else socket.resume();
  }

  function handleLine(line: string): void {
    if (mode === 'idle') {
      if (line === 'get=1') mode = 'get';
      else if (line === 'set=1') startSet();
      else return closeWith(Errno.EINVAL, `unknown operation ${JSON.stringify(line.slice(0, 32))}`);
      socket.setTimeout(limits.requestTimeoutMs);
    } else if (mode === 'get') {
      if (line !== '') return closeWith(Errno.EINVAL, 'get=1 must be followed by a blank line');
      run(async () => formatGet(await device.get()));
    } else if (mode === 'set') {
      requestBytes += line.length + 1;
      if (requestBytes > limits.maxRequestBytes) {
        return closeWith(Errno.EMSGSIZE, `a set request is larger than ${limits.maxRequestBytes} bytes`);
      }
      const text = setLineText(line);
      if (text === '') return endSet();
      if (setError !== null) return;
      try {
        parser?.line(text);
      } catch (err) {
        setError = err;
        parser = null; // free what was parsed; the request can no longer succeed
      }
    }
  }

  function startSet(): void {
    mode = 'set';
    parser = new SetParser();
    setError = null;
    requestBytes = 'set=1\n'.length;
  }

  function endSet(): void {
    const p = parser;
    parser = null;
    if (setError !== null || p === null) {
      const err = setError;
      setError = null;
      return reply(`errno=-${errnoOf(err)}\n\n`, err);
    }
    const request = p.finish();
    run(async () => {
      await device.set(request);
      return 'errno=0\n\n';
    });
  }

  function run(op: () => Promise<string>): void {
    mode = 'busy';
    socket.setTimeout(0); // a slow device call is not the client's fault
    serialize(op).then(
      (text) => reply(text, null),
      (err: unknown) => reply(`errno=-${errnoOf(err)}\n\n`, err),
    );
  }

  function reply(text: string, err: unknown): void {
    if (err !== null) log(`UAPI request failed: ${describe(err)}`);
    if (mode === 'closed') return;
    mode = 'idle';
    socket.setTimeout(limits.idleTimeoutMs);
    if (!socket.write(text)) {
      blocked = true;
      socket.once('drain', () => {
        blocked = false;
        pump();
      });
    }
    pump();
  }

  function finishAtEof(): void {
    if (mode === 'get' || mode === 'set') {
      // Half a request: say so if the client still listens, apply nothing.
      mode = 'closed';
      socket.end(`errno=-${Errno.EPROTO}\n\n`);
      return;
    }
    mode = 'closed';
    socket.end();
  }

  function closeWith(errno: number, why: string): void {
    log(`UAPI connection closed: ${why}`);
    mode = 'closed';
    inbox = null;
    parser = null;
    socket.setTimeout(limits.requestTimeoutMs); // a client that never reads cannot hold us
    socket.end(`errno=-${errno}\n\n`, () => socket.destroy());
  }
}

function describe(err: unknown): string {
  if (err instanceof UapiError) return `${err.message} (errno ${err.errno})`;
  return err instanceof Error ? err.message : String(err);
}
