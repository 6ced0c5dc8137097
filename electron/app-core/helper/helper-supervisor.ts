// Gets a trusted helper connection when a tunnel is first switched on:
//   1. connect to a running helper (installed service, or one we started before)
//   2. else launch it with the user's consent, then connect
// and reports every change as a HelperStatus. If the link closes for good,
// the status says so and restart() starts over.
import type { HelperStatus } from '../../ipc/types.js';
import type { HelperConnection, HelperLauncher } from './helper-connection.js';

export class HelperSupervisor {
  private connection: HelperConnection | null = null;
  private pending: Promise<HelperConnection> | null = null;
  private status: HelperStatus;
  private readonly statusListeners = new Set<(s: HelperStatus) => void>();
  private readonly connectListeners = new Set<(c: HelperConnection) => void>();

  constructor(private readonly launcher: HelperLauncher, private readonly sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))) {
    this.status = { state: 'idle', serviceInstalled: launcher.isServiceInstalled() };
  }

  getStatus(): HelperStatus {
    return this.status;
  }

  current(): HelperConnection | null {
    return this.connection;
  }

  onStatus(listener: (s: HelperStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Called once per new connection, so the owner can subscribe to its events. */
  onConnect(listener: (c: HelperConnection) => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  /** Connects to an already running helper without asking for a password (startup). */
  async attachIfRunning(): Promise<boolean> {
    if (this.connection) return true;
    try {
      this.adopt(await this.launcher.connect());
      return true;
    } catch {
      return false;
    }
  }

  ensure(): Promise<HelperConnection> {
    if (this.connection) return Promise.resolve(this.connection);
    this.pending ??= this.start().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  async restart(): Promise<HelperStatus> {
    this.connection?.close();
    this.connection = null;
    await this.ensure().catch(() => undefined);
    return this.status;
  }

  async installService(): Promise<HelperStatus> {
    try {
      await this.launcher.installService();
      this.set({ ...this.status, serviceInstalled: this.launcher.isServiceInstalled(), message: undefined });
    } catch (e) {
      this.set({ ...this.status, message: `The helper service was not installed: ${(e as Error).message}` });
    }
    return this.status;
  }

  private async start(): Promise<HelperConnection> {
    this.set({ state: 'starting', serviceInstalled: this.launcher.isServiceInstalled() });
    try {
      return this.adopt(await this.launcher.connect());
    } catch {
      // Nothing running: ask the user to let us start it.
    }
    try {
      await this.launcher.launch();
    } catch (e) {
      return this.failWith(`WireDesk could not start its helper: ${(e as Error).message}`);
    }
    let lastError: unknown;
    // The launched helper needs a moment to create its socket.
    for (let attempt = 0; attempt < 40; attempt++) {
      try {
        return this.adopt(await this.launcher.connect());
      } catch (e) {
        lastError = e;
        await this.sleep(Math.min(50 * 2 ** attempt, 500));
      }
    }
    return this.failWith(`The helper started but its socket could not be trusted or reached: ${(lastError as Error)?.message ?? 'unknown error'}`);
  }

  private failWith(message: string): never {
    this.set({ state: 'failed', message, serviceInstalled: this.launcher.isServiceInstalled() });
    throw new Error(message);
  }

  private adopt(connection: HelperConnection): HelperConnection {
    this.connection = connection;
    connection.onLink((link, reason) => {
      if (this.connection !== connection) return;
      const serviceInstalled = this.launcher.isServiceInstalled();
      if (link === 'connected') {
        this.set({ state: 'connected', serviceInstalled });
        return;
      }
      // The client keeps retrying with backoff; meanwhile the user learns the
      // helper is gone and may restart it (which asks for a password again).
      if (link === 'closed') this.connection = null;
      this.set({
        state: link === 'closed' ? 'failed' : 'reconnecting',
        message: `The WireDesk helper stopped${reason ? ` (${reason})` : ''}. Restart it to switch tunnels on again.`,
        serviceInstalled,
      });
    });
    this.set({ state: 'connected', serviceInstalled: this.launcher.isServiceInstalled() });
    for (const l of this.connectListeners) l(connection);
    return connection;
  }

  private set(status: HelperStatus): void {
    this.status = status;
    for (const l of this.statusListeners) l(status);
  }
}
