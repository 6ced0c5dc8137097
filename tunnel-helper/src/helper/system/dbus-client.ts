// A small D-Bus client for the system bus, enough to call methods and hear
// signals (logind's PrepareForSleep; NetworkManager's state for on-demand
// rules). Chosen over a library: a few hundred lines we can read, with no
// install scripts and nothing the helper does not use.
//
//   connect -> "\0AUTH EXTERNAL <hex uid>" -> OK -> BEGIN -> Hello() -> calls, AddMatch, signals
//
// The bus address comes from DBUS_SYSTEM_BUS_ADDRESS (tests start their own
// bus), else the standard socket. Only unix: transports are used.
import { connect, type Socket } from 'node:net';
import { DbusWireError, MESSAGE_TYPE, decodeMessage, encodeCall, messageLength, type DbusMessage, type DbusValue } from './dbus-wire.js';

export const SYSTEM_BUS_SOCKET = '/var/run/dbus/system_bus_socket';
const AUTH_TIMEOUT_MS = 5000;
const CALL_TIMEOUT_MS = 10_000;

/** The unix socket path of the first unix: address in a D-Bus address list; '\0' leads an abstract one. */
export function socketPathOf(address: string | undefined): string {
  for (const one of (address ?? '').split(';')) {
    const m = /^unix:(.*)$/.exec(one.trim());
    if (!m) continue;
    const kv = new Map(m[1]!.split(',').map((p) => [p.slice(0, p.indexOf('=')), unescapeValue(p.slice(p.indexOf('=') + 1))] as const));
    if (kv.get('path')) return kv.get('path')!;
    if (kv.get('abstract')) return `\0${kv.get('abstract')!}`;
  }
  return SYSTEM_BUS_SOCKET;
}

function unescapeValue(v: string): string {
  return v.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export class DbusError extends Error {
  /** The D-Bus error name, e.g. org.freedesktop.DBus.Error.ServiceUnknown. */
  constructor(readonly errorName: string, message: string) {
    super(message);
  }
}

export interface CallSpec {
  destination: string;
  path: string;
  interface: string;
  member: string;
  signature?: string;
  body?: DbusValue[];
}

export class DbusConnection {
  private buf: Buffer = Buffer.alloc(0);
  private serial = 0;
  private pending = new Map<number, { resolve: (m: DbusMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private signalListeners: ((m: DbusMessage) => void)[] = [];
  private closeListeners: ((why: string) => void)[] = [];
  private closed = false;

  private constructor(private readonly sock: Socket) {
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
    sock.on('error', (e) => this.close(e.message));
    sock.on('close', () => this.close('the bus closed the connection'));
  }

  /** Connects, authenticates as this process's uid and says Hello. */
  static async open(address = process.env.DBUS_SYSTEM_BUS_ADDRESS): Promise<DbusConnection> {
    const sock = connect(socketPathOf(address));
    sock.unref();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { sock.destroy(); reject(new Error('the bus did not answer authentication in time')); }, AUTH_TIMEOUT_MS);
      let text = '';
      const fail = (e: Error): void => { clearTimeout(timer); sock.destroy(); reject(e); };
      const onData = (c: Buffer): void => {
        text += c.toString('latin1');
        if (text.length > 512) return fail(new Error('the bus sent an overlong authentication reply'));
        if (!text.includes('\r\n')) return;
        sock.off('data', onData);
        sock.off('error', fail);
        clearTimeout(timer);
        if (!text.startsWith('OK ')) return fail(new Error(`the bus refused authentication: ${text.trim().slice(0, 100)}`));
        sock.write('BEGIN\r\n');
        resolve();
      };
      sock.on('error', fail);
      sock.on('data', onData);
      sock.on('connect', () => {
        const uid = Buffer.from(String(process.getuid?.() ?? 0)).toString('hex');
        sock.write(`\0AUTH EXTERNAL ${uid}\r\n`);
      });
    });
    const conn = new DbusConnection(sock);
    await conn.call({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'Hello' });
    return conn;
  }

  /** Calls a method; resolves with the reply's body, rejects with DbusError on an error reply. */
  call(spec: CallSpec, timeoutMs = CALL_TIMEOUT_MS): Promise<DbusValue[]> {
    if (this.closed) return Promise.reject(new Error('the D-Bus connection is closed'));
    const serial = this.serial = (this.serial % 0x7fffffff) + 1;
    return new Promise<DbusMessage>((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(serial); reject(new Error(`${spec.member}: no reply within ${timeoutMs} ms`)); }, timeoutMs);
      timer.unref();
      this.pending.set(serial, { resolve, reject, timer });
      this.sock.write(encodeCall(serial, spec));
    }).then((m) => {
      if (m.type === MESSAGE_TYPE.error) throw new DbusError(m.errorName ?? 'org.freedesktop.DBus.Error.Failed', typeof m.body[0] === 'string' ? m.body[0] : m.errorName ?? 'error');
      return m.body;
    });
  }

  /** Subscribes to signals that match `rule` (the bus's match-rule syntax). */
  async addMatch(rule: string): Promise<void> {
    await this.call({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'AddMatch', signature: 's', body: [rule] });
  }

  async nameHasOwner(name: string): Promise<boolean> {
    const [has] = await this.call({ destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', interface: 'org.freedesktop.DBus', member: 'NameHasOwner', signature: 's', body: [name] });
    return has === true;
  }

  onSignal(listener: (m: DbusMessage) => void): () => void {
    this.signalListeners.push(listener);
    return () => { this.signalListeners = this.signalListeners.filter((l) => l !== listener); };
  }

  onClose(listener: (why: string) => void): void {
    this.closeListeners.push(listener);
  }

  close(why = 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    this.sock.destroy();
    for (const p of this.pending.values()) { clearTimeout(p.timer); p.reject(new Error(`the D-Bus connection closed: ${why}`)); }
    this.pending.clear();
    for (const l of this.closeListeners) l(why);
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    try {
      for (;;) {
        const len = messageLength(this.buf);
        if (len === null || this.buf.length < len) return;
        const m = decodeMessage(this.buf.subarray(0, len));
        this.buf = this.buf.subarray(len);
        this.dispatch(m);
      }
    } catch (e) {
      // A stream we cannot frame cannot be resynchronised: drop it.
      this.close(e instanceof DbusWireError ? `malformed message: ${e.message}` : (e as Error).message);
    }
  }

  private dispatch(m: DbusMessage): void {
    if ((m.type === MESSAGE_TYPE.return || m.type === MESSAGE_TYPE.error) && m.replySerial !== undefined) {
      const p = this.pending.get(m.replySerial);
      if (!p) return;
      this.pending.delete(m.replySerial);
      clearTimeout(p.timer);
      p.resolve(m);
    } else if (m.type === MESSAGE_TYPE.signal) {
      for (const l of this.signalListeners) l(m);
    }
  }
}
