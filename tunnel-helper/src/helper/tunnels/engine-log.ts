// The adapter for foreign engines: what UAPI cannot tell (handshake
// initiations, cookie replies, replies that fail to verify, the engine giving
// up), read from the text of a verbose log in wireguard-go's words:
//   DEBUG: 2026/11/23 18:36:12 (wq1) peer(IQZQ…M2g) - Sending handshake initiation
// Peers are abbreviated (first 4 and characters 40-42 of the base64 key), so
// they are matched back against the tunnel's full public keys. WireDesk's own
// engine sends typed events instead (shared/engine-events/event-stream.ts); this guesswork
// is only for an engine that cannot, e.g. wireguard-go run as WIREDESK_ENGINE.
// Pure.
import type { EngineEvent } from '../../../../shared/engine-events/events.js';

export type EngineSignal = 'initiated' | 'completed' | 'gave-up' | 'cookie' | 'invalid-reply' | 'endpoint-changed';

export interface EngineLogEntry {
  level: 'DEBUG' | 'ERROR' | null;
  /** The line's own timestamp (local time, 1 s resolution), or null. */
  at: number | null;
  /** Text after the timestamp and interface prefix. */
  message: string;
  peer: { head: string; tail: string } | null;
  signal: EngineSignal | null;
}

const LINE = /^(DEBUG|ERROR): (\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) (?:\([^)]*\) )?(.*)$/;
const PEER = /^peer\(([A-Za-z0-9+/]{4})…([A-Za-z0-9+/=]{3})\) - (.*)$/;

const SIGNALS: [RegExp, EngineSignal][] = [
  [/^Sending handshake initiation/, 'initiated'],
  [/^Handshake completed|^Received handshake response/, 'completed'],
  [/^Handshake did not complete after \d+ attempts, giving up/, 'gave-up'],
  [/^Received cookie reply|cookie reply/i, 'cookie'],
  [/invalid (handshake )?response|failed to (consume|authenticate|decrypt) (handshake )?response|response .*did not verify/i, 'invalid-reply'],
  [/^Endpoint changed from/, 'endpoint-changed'],
];

export function parseEngineLine(line: string): EngineLogEntry {
  const m = LINE.exec(line);
  if (!m) return { level: null, at: null, message: line, peer: null, signal: null };
  const [, level, y, mo, d, h, mi, s, rest] = m;
  const at = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)).getTime();
  const p = PEER.exec(rest!);
  const message = p ? p[3]! : rest!;
  const signal = p ? SIGNALS.find(([re]) => re.test(message))?.[1] ?? null : null;
  return {
    level: level as 'DEBUG' | 'ERROR',
    at: Number.isFinite(at) ? at : null,
    message: rest!,
    peer: p ? { head: p[1]!, tail: p[2]! } : null,
    signal,
  };
}

/** The full key among `keys` that the engine's abbreviation stands for. */
export function matchPeer(abbrev: { head: string; tail: string }, keys: readonly string[]): string | null {
  const found = keys.filter((k) => k.slice(0, 4) === abbrev.head && k.slice(40, 43) === abbrev.tail);
  return found.length === 1 ? found[0]! : null;
}

/**
 * The event WireDesk's engine would have sent for a foreign engine's log line,
 * dated `wallMs` (the line's own stamp has only 1 s resolution), or null.
 * Only the signals UAPI cannot tell are read: completed handshakes and
 * endpoint changes come from UAPI, which every engine serves.
 */
export function eventFromLogLine(line: string, keys: readonly string[], wallMs: number): EngineEvent | null {
  const entry = parseEngineLine(line);
  const publicKey = entry.peer && entry.signal ? matchPeer(entry.peer, keys) : null;
  if (publicKey === null) return null;
  switch (entry.signal) {
    case 'initiated': return { type: 'handshake-initiated', publicKey, retry: /\(retry\)/.test(entry.message), wallMs };
    case 'cookie': return { type: 'cookie-received', publicKey, wallMs };
    case 'invalid-reply': return { type: 'handshake-response-invalid', publicKey, wallMs };
    case 'gave-up': return { type: 'handshake-failed', publicKey, attempts: Number(/after (\d+) attempts/.exec(entry.message)?.[1] ?? 0), wallMs };
    default: return null;
  }
}

/** Splits appended text into whole lines, keeping a trailing partial line for next time. */
export class LineSplitter {
  private partial = '';

  constructor(private readonly maxLine = 8192) {}

  push(text: string): string[] {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    // A runaway line without newlines must not grow without bound.
    if (this.partial.length > this.maxLine) {
      parts.push(this.partial.slice(0, this.maxLine));
      this.partial = '';
    }
    return parts.filter((l) => l !== '').map((l) => (l.length > this.maxLine ? l.slice(0, this.maxLine) : l));
  }
}
