// The one error type the netconfig API throws: its message is a sentence a
// user can act on, shown as is by the command line and the app.

export class TunnelError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'TunnelError';
  }
}

export function requireRoot(what: string): void {
  if (process.getuid?.() !== 0) throw new TunnelError(`${what} changes the network configuration and must run as root`);
}
