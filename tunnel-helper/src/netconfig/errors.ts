// The one error type the netconfig API throws: its message is a sentence a
// user can act on, shown as is by the command line and the app.
import type { Diagnostic } from '../config/index.js';

export class TunnelError extends Error {
  /** For a rejected config: every problem, with its line, for the caller to list. */
  readonly diagnostics?: readonly Diagnostic[];

  constructor(message: string, options?: { cause?: unknown; diagnostics?: readonly Diagnostic[] }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'TunnelError';
    if (options?.diagnostics) this.diagnostics = options.diagnostics;
  }
}

export function requireRoot(what: string): void {
  if (process.getuid?.() !== 0) throw new TunnelError(`${what} changes the network configuration and must run as root`);
}
