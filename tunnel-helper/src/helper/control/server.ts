// The control server: a Unix socket that only the owner user (and root) may
// use, speaking protocol.ts. It checks the peer's uid on every connection
// (SO_PEERCRED), validates every call against the schema, and broadcasts
// events to all connected clients. Handlers are typed from the schema, so a
// method missing here is a compile error.
import { createServer, type Server, type Socket } from 'node:net';
import { unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { ControlConnection, DEFAULT_LIMITS, type ConnectionLimits } from './connection.js';
import { encodeFrame } from '../../../../shared/control/frame.js';
import { peerCredentials, type PeerCred } from './peer-cred.js';
import { checkParams, type EventData, type EventName, type Handlers, type MethodName } from '../../../../shared/control/protocol.js';
import { checkSocketDirectory, clearStaleSocket, handSocketTo } from '../../install/socket-security.js';

export interface CallContext {
  peer: PeerCred;
}

export interface ServerOptions {
  socketPath: string;
  ownerUid: number;
  handlers: Handlers<CallContext>;
  log: (line: string) => void;
  maxConnections?: number;
  limits?: ConnectionLimits;
}

export class ControlServer {
  private connections = new Set<ControlConnection>();
  private refused = 0;

  private constructor(private readonly server: Server, private readonly opts: ServerOptions) {}

  /** Checks the socket's directory, listens, and hands the socket to the owner (0600). */
  static async listen(opts: ServerOptions): Promise<ControlServer> {
    checkSocketDirectory(dirname(opts.socketPath));
    await clearStaleSocket(opts.socketPath);
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true });
    const self = new ControlServer(server, opts);
    server.on('connection', (s) => self.accept(s));
    server.on('error', (e) => opts.log(`control socket error: ${e.message}`));
    // The umask (077, set by the CLI) keeps the socket root-only until it is handed over.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    handSocketTo(opts.socketPath, opts.ownerUid);
    return self;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  get refusedCount(): number {
    return this.refused;
  }

  /** Encodes an event once and queues it to every client. */
  broadcast<E extends EventName>(event: E, data: EventData<E>): void {
    if (this.connections.size === 0) return;
    let frame: Uint8Array;
    try {
      frame = encodeFrame({ event, data });
    } catch (e) {
      this.opts.log(`Dropped a ${event} event: ${(e as Error).message}`);
      return;
    }
    for (const c of this.connections) c.send(frame);
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    try { unlinkSync(this.opts.socketPath); } catch { /* already gone */ }
  }

  private accept(socket: Socket): void {
    const peer = peerCredentials(socket);
    if (!peer || (peer.uid !== this.opts.ownerUid && peer.uid !== 0)) {
      this.refused++;
      this.opts.log(`Refused a connection from ${peer ? `uid ${peer.uid} (pid ${peer.pid})` : 'an unknown process'}: this helper serves uid ${this.opts.ownerUid} only.`);
      socket.on('error', () => {});
      socket.end(encodeFrame({ id: null, error: { code: 'forbidden', message: `This helper serves uid ${this.opts.ownerUid} only.` } }));
      setTimeout(() => socket.destroy(), 500).unref();
      return;
    }
    if (this.connections.size >= (this.opts.maxConnections ?? 16)) {
      socket.on('error', () => {});
      socket.end(encodeFrame({ id: null, error: { code: 'busy', message: 'Too many connections to the helper; close some and retry.' } }));
      setTimeout(() => socket.destroy(), 500).unref();
      return;
    }
    const ctx: CallContext = { peer };
    const conn: ControlConnection = new ControlConnection(
      socket, (method, params) => this.dispatch(method, params, ctx), this.opts.limits ?? DEFAULT_LIMITS,
      () => this.connections.delete(conn),
    );
    this.connections.add(conn);
    socket.resume();
  }

  private async dispatch(method: MethodName, params: unknown, ctx: CallContext): Promise<unknown> {
    const checked = checkParams(method, params);
    const handler = this.opts.handlers[method] as (p: unknown, c: CallContext) => Promise<unknown>;
    return handler(checked, ctx);
  }
}
