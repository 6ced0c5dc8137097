// Asks a WireGuard demo server for a tunnel: a fresh key pair, one TCP
// exchange (demo-protocol.ts has the protocol), and the .conf. Shared by
// `wiredesk demo` and the app's "Try the WireGuard demo server". Every
// failure comes back as a DemoFailure, never as a thrown error, so each
// caller can say it in its own words.
import { connect, type LookupFunction } from 'node:net';
import { generatePrivateKey, publicKeyFromPrivate } from '../../../shared/config/keys.js';
import type { DemoFailure } from '../../../shared/demo/demo-failure.js';
import {
  DEMO_MAX_REPLY_BYTES, DEMO_TIMEOUT_SECONDS, demoConfig, formatTarget, parseDemoHost, parseDemoReply, type DemoTarget,
} from '../../../shared/demo/demo-protocol.js';

export interface DemoRequestOptions {
  /** The bound on the whole exchange; DEMO_TIMEOUT_SECONDS unless a test shortens it. */
  readonly timeoutMs?: number;
  /** Name resolution, for tests that must not use the real DNS. */
  readonly lookup?: LookupFunction;
}

type Failed = { readonly ok: false; readonly failure: DemoFailure };

export type DemoOutcome =
  | { readonly ok: true; readonly config: string; readonly target: DemoTarget; readonly publicKey: string }
  | Failed;

export async function requestDemoTunnel(hostText: string, opts: DemoRequestOptions = {}): Promise<DemoOutcome> {
  const target = parseDemoHost(hostText);
  if (!target.ok) return target;
  const privateKey = generatePrivateKey();
  const publicKey = publicKeyFromPrivate(privateKey);
  const line = await exchangeLine(target.value, `${publicKey}\n`, opts);
  if (!line.ok) return line;
  const reply = parseDemoReply(line.line, formatTarget(target.value));
  if (!reply.ok) return reply;
  return { ok: true, config: demoConfig({ privateKey, target: target.value, reply: reply.value }), target: target.value, publicKey };
}

/** Sends `request` and returns the first line of the answer, without its line ending. */
export function exchangeLine(target: DemoTarget, request: string, opts: DemoRequestOptions = {}): Promise<{ readonly ok: true; readonly line: string } | Failed> {
  const shown = formatTarget(target);
  const timeoutMs = opts.timeoutMs ?? DEMO_TIMEOUT_SECONDS * 1000;
  const fail = (failure: DemoFailure): Failed => ({ ok: false, failure });
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let settled = false;
    const socket = connect({ host: target.host, port: target.port, ...(opts.lookup ? { lookup: opts.lookup } : {}) });
    const finish = (result: { ok: true; line: string } | Failed) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(fail({ code: 'timeout', target: shown, seconds: timeoutMs / 1000 })), timeoutMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const newline = received.indexOf(0x0a);
      if (newline >= 0 && newline <= DEMO_MAX_REPLY_BYTES) finish({ ok: true, line: lineText(received.subarray(0, newline)) });
      else if (received.length > DEMO_MAX_REPLY_BYTES) finish(fail({ code: 'malformed', target: shown, part: 'too-long' }));
    });
    // The server's script may exit without a final newline; what it sent is still checked strictly.
    socket.on('end', () => finish(received.length === 0 ? fail({ code: 'closed', target: shown }) : { ok: true, line: lineText(received) }));
    socket.on('error', (e) => finish(fail(failureFor(e, shown, timeoutMs))));
  });
}

/** latin1 keeps every byte as one character, so non-ASCII bytes fail the strict checks rather than vanish. */
function lineText(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/\r$/, '');
}

function errnoOf(e: Error): string | undefined {
  const code = (e as NodeJS.ErrnoException).code;
  // Trying several addresses of one name (IPv6 and IPv4) fails with all their errors together.
  if (!code && e instanceof AggregateError) return (e.errors[0] as NodeJS.ErrnoException | undefined)?.code;
  return code;
}

function failureFor(e: Error, target: string, timeoutMs: number): DemoFailure {
  const code = errnoOf(e);
  switch (code) {
    case 'ECONNREFUSED':
      return { code: 'refused', target };
    case 'ENOTFOUND': case 'EAI_AGAIN': case 'EAI_FAIL': case 'EAI_NODATA': case 'EAI_NONAME':
      return { code: 'dns', target };
    case 'ENETUNREACH': case 'EHOSTUNREACH': case 'EHOSTDOWN': case 'ENETDOWN': case 'EADDRNOTAVAIL':
      return { code: 'unreachable', target };
    case 'ETIMEDOUT':
      return { code: 'timeout', target, seconds: timeoutMs / 1000 };
    case 'ECONNRESET': case 'EPIPE':
      return { code: 'closed', target };
    default:
      return { code: 'network', target, detail: code ?? e.message };
  }
}
