// The output an engine writes for the WireDesk helper that supervises it: one
// JSON record a line, appended to WIREDESK_LOG_DIR/IFNAME.log (see
// tunnel-helper/src/engine/wiredesk-tunnel.ts), read back by the helper's tunnels/tunnel-monitor.ts.
//
//   {"type":"log","line":"DEBUG: 2026/11/23 18:36:12 (wq0) peer(pWp0…0A0) - Sending handshake initiation"}
//   {"type":"handshake-initiated","publicKey":"pWp0D61O/A6zt4BhvWPqBVxcpujTopGz5XPdxuXy0A0=","retry":false,"wallMs":1795459572123}
//
// A `log` record carries a line of the engine's log for people, as LOG_LEVEL
// chooses; every other record is an EngineEvent (events.ts), written whatever
// LOG_LEVEL says. The helper diagnoses from events, so rewording a log line
// cannot change a diagnosis, and peers carry their full public key.
//
// One append-only file, not a socket: the engine writes it with no reader
// attached, so a helper that restarts and adopts the running engine reads what
// happened meanwhile, in order with the log. The file is only written when the
// helper starts the engine (it sets WIREDESK_LOG_DIR); run by wg-quick or by
// hand, the engine logs to stdout as wireguard-go does and UAPI is all there is.
import { decodeKey } from '../config/keys.js';
import type { EngineEvent } from './events.js';

export type EngineRecord = EngineEvent | { type: 'log'; line: string };

/** The record as one line of the stream, newline included. */
export function formatRecord(record: EngineRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** The record a line holds, or null when the line is not one (a foreign
 *  engine's text, a line cut short, a field of the wrong kind). */
export function parseRecord(line: string): EngineRecord | null {
  if (!line.startsWith('{')) return null;
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  if (r.type === 'log') return typeof r.line === 'string' ? { type: 'log', line: r.line } : null;
  const publicKey = r.publicKey;
  const wallMs = r.wallMs;
  if (typeof publicKey !== 'string' || decodeKey(publicKey) === null) return null;
  if (typeof wallMs !== 'number' || !Number.isFinite(wallMs)) return null;
  switch (r.type) {
    case 'handshake-initiated':
      return typeof r.retry === 'boolean' ? { type: r.type, publicKey, retry: r.retry, wallMs } : null;
    case 'handshake-failed':
      return Number.isInteger(r.attempts) ? { type: r.type, publicKey, attempts: r.attempts as number, wallMs } : null;
    case 'endpoint-changed': {
      const { from, to } = r;
      if ((from !== null && typeof from !== 'string') || typeof to !== 'string') return null;
      return { type: r.type, publicKey, from, to, wallMs };
    }
    case 'handshake-completed':
    case 'cookie-received':
    case 'handshake-response-invalid':
    case 'keys-zeroed':
    case 'peer-removed':
    case 'path-changed':
      return { type: r.type, publicKey, wallMs };
    default:
      return null;
  }
}
