// The app's side of the control protocol (used by the Electron main process
// and by tests). Calls and events are typed from protocol.ts; replies and
// events are validated with the same checks the helper uses.
//
// Before it trusts a socket, the client checks (socket-security.ts) that the
// socket's directory is owned by root and not writable by others, and that
// the socket file is owned by this very user with mode 0600: only root can
// have put it there, and root made it for us. It then says hello and
// refuses a helper that speaks another protocol version. When an
// established connection drops it reconnects with exponential backoff
// (the checks and hello run again each time) and tells onConnection
// listeners, so the UI can show "helper not running".
import { connect, type Socket } from 'node:net';
import { FrameDecoder, encodeFrame } from '../../../shared/control/frame.js';
import {
  PROTOCOL_VERSION, ProtocolError, checkEventData, checkResult, parseIncoming,
  type ErrorBody, type EventData, type EventName, type MethodName, type Params, type Result,
} from '../../../shared/control/protocol.js';
import { verifyHelperSocket } from '../../../tunnel-helper/src/install/socket-security.js';

export interface HelperClientOptions {
  /** Uid the socket must belong to (default: our own uid). */
  expectedOwnerUid?: number;
  /** Reconnect after an established connection drops (default true). */
  reconnect?: boolean;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** Per-call timeout (default 120 s: an up with DNS and hooks can take a while). */
  callTimeoutMs?: number;
  clientName?: string;
}

/** The connection to the helper is missing or was lost; the call may be retried. */
export class HelperUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HelperUnavailableError';
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; method: MethodName; timer: NodeJS.Timeout };
type ConnectionListener = (state: 'connected' | 'disconnected', detail: string) => void;

export class HelperClient {
  private socket: Socket | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private listeners = new Map<EventName, Set<(data: never) => void>>();
  private connectionListeners = new Set<ConnectionListener>();
  private closedByUser = false;
  private backoff: number;
  private retryTimer: NodeJS.Timeout | null = null;
  private lastServerError: ErrorBody | null = null;
  helloResult: Result<'hello'> | null = null;

  constructor(readonly path: string, private readonly opts: HelperClientOptions = {}) {
    this.backoff = opts.backoffInitialMs ?? 250;
  }

  get connected(): boolean {
    return this.socket !== null && this.helloResult !== null;
  }

  /** Calls `method`; the result is checked against the schema. */
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    return this.send(method, params).then((r) => checkResult(method, r));
  }

  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, cb: (data: EventData<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(cb as (data: never) => void);
    return () => set.delete(cb as (data: never) => void);
  }

  onConnection(cb: ConnectionListener): () => void {
    this.connectionListeners.add(cb);
    return () => this.connectionListeners.delete(cb);
  }

  close(): void {
    this.closedByUser = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.destroy();
  }

  /** Verifies the socket, connects and says hello. Rejects on any failure. */
  async open(): Promise<void> {
    verifyHelperSocket(this.path, this.opts.expectedOwnerUid);
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(this.path);
      s.once('connect', () => { s.off('error', reject); resolve(s); });
      s.once('error', reject);
    });
    this.attach(socket);
    try {
      this.helloResult = await this.call('hello', { protocolVersion: PROTOCOL_VERSION, ...(this.opts.clientName ? { client: this.opts.clientName } : {}) });
    } catch (e) {
      this.helloResult = null;
      socket.destroy();
      throw e;
    }
    this.backoff = this.opts.backoffInitialMs ?? 250;
    for (const l of this.connectionListeners) l('connected', this.path);
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    this.lastServerError = null;
    const decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (!frame.ok) {
          socket.destroy(); // the helper never sends bad frames; something is wrong, start over
          return;
        }
        this.onMessage(frame.message);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => this.onClose(socket));
  }

  private onMessage(msg: unknown): void {
    let m: ReturnType<typeof parseIncoming>;
    try {
      m = parseIncoming(msg);
    } catch {
      return;
    }
    if (m.kind === 'event') {
      let data: unknown;
      try {
        data = checkEventData(m.event, m.data);
      } catch {
        return; // a malformed event is dropped, not delivered half-typed
      }
      for (const cb of this.listeners.get(m.event) ?? []) (cb as (d: unknown) => void)(data);
    } else if (m.kind === 'reply') {
      if (m.id === null) {
        this.lastServerError = m.error ?? null;
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.error) p.reject(new ProtocolError(m.error.code, m.error.message, m.error.diagnostics));
      else p.resolve(m.result);
    }
  }

  private send(method: MethodName, params: unknown): Promise<unknown> {
    const socket = this.socket;
    if (!socket || socket.destroyed) return Promise.reject(new HelperUnavailableError('Not connected to the WireDesk helper.'));
    const id = this.nextId;
    this.nextId = this.nextId >= 0x7fffffff ? 1 : this.nextId + 1;
    return new Promise((resolve, reject) => {
      const timeoutMs = this.opts.callTimeoutMs ?? 120_000;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new HelperUnavailableError(`The helper did not answer ${method} within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, method, timer });
      socket.write(encodeFrame({ id, method, params }));
    });
  }

  private onClose(socket: Socket): void {
    if (this.socket !== socket) return;
    this.socket = null;
    const wasUp = this.helloResult !== null;
    this.helloResult = null;
    const why = this.lastServerError ? `${this.lastServerError.code}: ${this.lastServerError.message}` : 'the connection closed';
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(this.lastServerError
        ? new ProtocolError(this.lastServerError.code, this.lastServerError.message)
        : new HelperUnavailableError(`Lost the connection to the helper during ${p.method}.`));
    }
    this.pending.clear();
    if (!wasUp) return; // open() reports first-connection failures itself
    for (const l of this.connectionListeners) l('disconnected', why);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closedByUser || this.opts.reconnect === false) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.opts.backoffMaxMs ?? 10_000);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.closedByUser) return;
      this.open().catch(() => this.scheduleReconnect());
    }, delay);
    this.retryTimer.unref?.();
  }
}

/** Connects to the helper at `path` after checking who owns it (see the header). */
export async function connectHelper(path: string, opts: HelperClientOptions = {}): Promise<HelperClient> {
  const client = new HelperClient(path, opts);
  await client.open();
  return client;
}
