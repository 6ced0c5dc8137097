// Gets a trusted helper connection when a tunnel is first switched on:
//   1. connect to a running helper (the user's service, or one started before);
//   2. else, with the user's consent (one password prompt): install the helper
//      the first time, or start the installed one; then connect.
// A helper of another version than the app is never used: the status says
// 'outdated' and setup() updates it, again with one prompt. Every change is
// reported as a HelperStatus; if the link closes for good, restart() starts over.
import type { HelperStatus } from '../../../shared/ipc/types.js';
import type { HelperConnection, HelperLauncher } from './helper-connection.js';

export class HelperSupervisor {
  private connection: HelperConnection | null = null;
  private pending: Promise<HelperConnection> | null = null;
  private status: HelperStatus;
  private readonly statusListeners = new Set<(s: HelperStatus) => void>();
  private readonly connectListeners = new Set<(c: HelperConnection) => void>();

  constructor(private readonly launcher: HelperLauncher, private readonly sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))) {
    this.status = { state: 'idle', installed: launcher.installed().state };
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
      return (await this.tryConnect()) !== null;
    } catch {
      return false;
    }
  }

  ensure(): Promise<HelperConnection> {
    return this.once(() => this.start());
  }

  async restart(): Promise<HelperStatus> {
    this.drop();
    await this.ensure().catch(() => undefined);
    return this.status;
  }

  /** "Set up WireDesk" / "Update the helper": installs this app's helper with one authorization, then connects. */
  async setup(): Promise<HelperStatus> {
    this.drop();
    await this.once(() => this.authorize(() => this.launcher.install())).catch(() => undefined);
    return this.status;
  }

  private once(work: () => Promise<HelperConnection>): Promise<HelperConnection> {
    if (this.connection) return Promise.resolve(this.connection);
    this.pending ??= work().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private drop(): void {
    this.connection?.close();
    this.connection = null;
  }

  private async start(): Promise<HelperConnection> {
    this.set({ state: 'starting', installed: this.launcher.installed().state });
    try {
      const running = await this.tryConnect();
      if (running) return running;
    } catch {
      // Nothing running: ask the user to let us start it.
    }
    const installed = this.launcher.installed();
    if (installed.state === 'outdated') return this.failOutdated(installed.version);
    return this.authorize(() => (installed.state === 'none' ? this.launcher.install() : this.launcher.start()));
  }

  private async authorize(step: () => Promise<void>): Promise<HelperConnection> {
    this.set({ state: 'starting', installed: this.launcher.installed().state });
    try {
      await step();
    } catch (e) {
      return this.failWith('failed', `WireDesk could not start its helper: ${(e as Error).message}`);
    }
    let lastError: unknown;
    // The started helper needs a moment to create its socket.
    for (let attempt = 0; attempt < 40; attempt++) {
      try {
        const c = await this.tryConnect();
        if (c) return c;
      } catch (e) {
        lastError = e;
        await this.sleep(Math.min(50 * 2 ** attempt, 500));
      }
    }
    return this.failWith('failed', `The helper started but its socket could not be trusted or reached: ${(lastError as Error)?.message ?? 'unknown error'}`);
  }

  /** Connects; a helper of another version is closed again and reported (null), never used. */
  private async tryConnect(): Promise<HelperConnection | null> {
    const c = await this.launcher.connect();
    const version = c.hello.helperVersion;
    if (version === this.launcher.appVersion) return this.adopt(c);
    c.close();
    return this.failOutdated(version);
  }

  private failOutdated(version: string): never {
    return this.failWith('outdated',
      `The installed WireDesk helper is version ${version} and this app is ${this.launcher.appVersion}. Update the helper (one password prompt) to switch tunnels on.`);
  }

  private failWith(state: 'failed' | 'outdated', message: string): never {
    this.set({ state, message, installed: this.launcher.installed().state });
    throw new Error(message);
  }

  private adopt(connection: HelperConnection): HelperConnection {
    this.connection = connection;
    connection.onLink((link, reason) => {
      if (this.connection !== connection) return;
      const installed = this.launcher.installed().state;
      if (link === 'connected') {
        this.set({ state: 'connected', installed });
        return;
      }
      // The client keeps retrying with backoff; meanwhile the user learns the
      // helper is gone and may restart it (which asks for a password again).
      if (link === 'closed') this.connection = null;
      this.set({
        state: link === 'closed' ? 'failed' : 'reconnecting',
        message: `The WireDesk helper stopped${reason ? ` (${reason})` : ''}. Restart it to switch tunnels on again.`,
        installed,
      });
    });
    this.set({ state: 'connected', installed: this.launcher.installed().state });
    for (const l of this.connectListeners) l(connection);
    return connection;
  }

  private set(status: HelperStatus): void {
    this.status = status;
    for (const l of this.statusListeners) l(status);
  }
}
