// What an engine tells whoever supervises it: protocol news per peer, with
// the wall-clock time it happened. A peer is named by its public key in
// base64, as wg(8) prints it: never key material. The WireDesk helper reads
// these from the engine's output file (event-stream.ts).
export type EngineEvent =
  | { type: 'handshake-initiated'; publicKey: string; retry: boolean; wallMs: number }
  | { type: 'handshake-completed'; publicKey: string; wallMs: number }
  | { type: 'handshake-failed'; publicKey: string; attempts: number; wallMs: number }
  | { type: 'cookie-received'; publicKey: string; wallMs: number }
  | { type: 'handshake-response-invalid'; publicKey: string; wallMs: number }
  | { type: 'keys-zeroed'; publicKey: string; wallMs: number }
  /** `from` and `to` are endpoints as wg(8) prints them; `from` is null for a first endpoint. */
  | { type: 'endpoint-changed'; publicKey: string; from: string | null; to: string; wallMs: number }
  | { type: 'peer-removed'; publicKey: string; wallMs: number }
  /** The route or local address toward the peer's endpoint changed (the
   *  underlay moved): the engine re-bound its source and, if the peer was in
   *  use, re-handshook at once. */
  | { type: 'path-changed'; publicKey: string; wallMs: number };

export class EngineEvents {
  private listeners: ((e: EngineEvent) => void)[] = [];

  on(listener: (e: EngineEvent) => void): () => void {
    this.listeners.push(listener);
    return () => { this.listeners = this.listeners.filter((l) => l !== listener); };
  }

  emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }
}

/** The event as a line of the engine's log, in wireguard-go's style: the peer
 *  abbreviated, then what happened. For people; programs read the event. */
export function describeEvent(e: EngineEvent): string {
  const who = `peer(${e.publicKey.slice(0, 4)}…${e.publicKey.slice(40, 43)})`;
  switch (e.type) {
    case 'handshake-initiated': return `${who} - Sending handshake initiation${e.retry ? ' (retry)' : ''}`;
    case 'handshake-completed': return `${who} - Handshake completed`;
    case 'handshake-failed': return `${who} - Handshake did not complete after ${e.attempts} attempts, giving up`;
    case 'cookie-received': return `${who} - Received cookie reply: peer is under load`;
    case 'handshake-response-invalid': return `${who} - Received invalid handshake response: the preshared keys do not match`;
    case 'keys-zeroed': return `${who} - Removing all keys, since we haven't received a new one in 540 seconds`;
    case 'endpoint-changed': return `${who} - Endpoint changed from ${e.from ?? '(none)'} to ${e.to}`;
    case 'peer-removed': return `${who} - Removed: its public key is now the interface's own`;
    case 'path-changed': return `${who} - Route to endpoint changed: clearing the source address`;
  }
}
