// What an engine tells whoever supervises it: protocol news per peer, with
// the wall-clock time it happened. Public keys only; never key material.
export type EngineEvent =
  | { type: 'handshake-initiated'; publicKey: Uint8Array; retry: boolean; wallMs: number }
  | { type: 'handshake-completed'; publicKey: Uint8Array; wallMs: number }
  | { type: 'handshake-failed'; publicKey: Uint8Array; attempts: number; wallMs: number }
  | { type: 'cookie-received'; publicKey: Uint8Array; wallMs: number }
  | { type: 'handshake-response-invalid'; publicKey: Uint8Array; wallMs: number }
  | { type: 'keys-zeroed'; publicKey: Uint8Array; wallMs: number }
  | { type: 'endpoint-changed'; publicKey: Uint8Array; from: string | null; to: string; wallMs: number }
  | { type: 'peer-removed'; publicKey: Uint8Array; wallMs: number };

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
