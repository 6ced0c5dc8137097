// The split DNS forwarder: listens on a loopback address inside the tunnel's
// network namespace (resolv.conf points there) and forwards each query by its
// name: under a split domain to the tunnel's servers, sent from the tunnel's
// own address; anything else to the system's servers.
//
//   client --UDP--> listen:53 --(new id)--> upstream socket --> server
//   server --> upstream socket: accepted only from the server and port the
//              query went to, with the id it was given; id restored, relayed
//   no answer in TRY_MS: the next server of the group; after the last, dropped
//   client --TCP--> listen:53: one upstream TCP connection per query (clients
//              retry over TCP when a UDP answer is truncated)
//
// A malformed packet is dropped silently; nothing a client or a server sends
// can throw out of a handler.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createConnection, createServer, isIP, type Server, type Socket as TcpSocket } from 'node:net';
import { randomInt } from 'node:crypto';
import { isResponse, messageId, parseQuery, tcpFrame, withId } from '../../../../shared/dns/dns-message.js';
import { matchSplitDomain } from '../../../../shared/dns/split-domains.js';
import type { ForwarderConfig } from './forwarder-config.js';

const DNS_PORT = 53;
const TRY_MS = 2_000;
const TCP_TIMEOUT_MS = 10_000;
const MAX_PENDING = 4096;
const MAX_TCP_CLIENTS = 128;
const MAX_TCP_MESSAGE = 65_535;

type Group = 'tunnel' | 'system';

interface Pending {
  client: RemoteInfo;
  clientId: number;
  query: Uint8Array;
  servers: string[];
  index: number;
  server: string;
  socket?: Socket;
  timer?: NodeJS.Timeout;
}

export class DnsForwarder {
  private readonly pending = new Map<number, Pending>();
  private readonly sockets = new Map<string, Socket>();
  private listener: Socket | null = null;
  private tcp: Server | null = null;
  private tcpClients = 0;

  constructor(private readonly cfg: ForwarderConfig, private readonly log: (line: string) => void = () => {}) {}

  /** Binds UDP and TCP on listen:port; rejects if either is taken. */
  async start(): Promise<void> {
    const udp = createSocket('udp4');
    udp.on('message', (msg, rinfo) => this.onQuery(msg, rinfo));
    udp.on('error', (err) => this.log(`listener: ${err.message}`));
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(this.cfg.port, this.cfg.listen, () => { udp.off('error', reject); resolve(); });
    });
    this.listener = udp;
    const tcp = createServer((conn) => this.onTcpClient(conn));
    tcp.on('error', (err) => this.log(`tcp listener: ${err.message}`));
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(this.cfg.port, this.cfg.listen, () => { tcp.off('error', reject); resolve(); });
    });
    this.tcp = tcp;
  }

  close(): void {
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
    this.listener?.close();
    this.tcp?.close();
  }

  /** Which servers a query name goes to. */
  route(name: string): { group: Group; servers: string[] } {
    return matchSplitDomain(name, this.cfg.splitDomains) !== null
      ? { group: 'tunnel', servers: this.cfg.tunnelServers }
      : { group: 'system', servers: this.cfg.systemServers };
  }

  private onQuery(msg: Buffer, client: RemoteInfo): void {
    const q = parseQuery(msg);
    if (!q || this.pending.size >= MAX_PENDING) return;
    const { group, servers } = this.route(q.name);
    if (servers.length === 0) return;
    const id = this.freeId();
    if (id === null) return;
    this.send({ client, clientId: q.id, query: withId(msg, id), servers, index: 0, server: '' }, id, group);
  }

  private send(p: Pending, id: number, group: Group): void {
    const server = p.servers[p.index]!;
    const socket = this.upstream(group, isIP(server) === 6 ? 6 : 4);
    p.server = server;
    p.socket = socket;
    p.timer = setTimeout(() => {
      this.pending.delete(id);
      if (p.index + 1 < p.servers.length) {
        p.index += 1;
        this.pending.set(id, p);
        this.send(p, id, group);
      }
    }, TRY_MS);
    this.pending.set(id, p);
    socket.send(p.query, DNS_PORT, server, (err) => {
      // No route (the tunnel went away and its source address with it): never retried elsewhere.
      if (err) this.log(`send to ${server}: ${err.message}`);
    });
  }

  private onAnswer(socket: Socket, msg: Buffer, from: RemoteInfo): void {
    if (!isResponse(msg)) return;
    const id = messageId(msg);
    const p = this.pending.get(id);
    if (!p || p.socket !== socket || from.port !== DNS_PORT || from.address !== p.server) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    this.listener?.send(withId(msg, p.clientId), p.client.port, p.client.address);
  }

  /** One socket per group and family; the tunnel's is bound to the tunnel's own address. */
  private upstream(group: Group, family: 4 | 6): Socket {
    const key = `${group}${family}`;
    const existing = this.sockets.get(key);
    if (existing) return existing;
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    socket.on('message', (msg, from) => this.onAnswer(socket, msg, from));
    socket.on('error', (err) => this.log(`${key}: ${err.message}`));
    const source = group === 'tunnel' ? (family === 6 ? this.cfg.tunnelSources.v6 : this.cfg.tunnelSources.v4) : undefined;
    socket.bind({ port: 0, ...(source ? { address: source } : {}) });
    this.sockets.set(key, socket);
    return socket;
  }

  private freeId(): number | null {
    for (let i = 0; i < 16; i++) {
      const id = randomInt(0, 65536);
      if (!this.pending.has(id)) return id;
    }
    return null;
  }

  private onTcpClient(conn: TcpSocket): void {
    if (this.tcpClients >= MAX_TCP_CLIENTS) { conn.destroy(); return; }
    this.tcpClients += 1;
    conn.on('close', () => { this.tcpClients -= 1; });
    conn.on('error', () => conn.destroy());
    conn.setTimeout(TCP_TIMEOUT_MS, () => conn.destroy());
    readFrames(conn, (msg) => {
      const q = parseQuery(msg);
      if (!q) { conn.destroy(); return; }
      const { group, servers } = this.route(q.name);
      if (servers.length === 0) { conn.destroy(); return; }
      this.forwardTcp(msg, group, servers, 0, (answer) => {
        if (answer && !conn.destroyed) conn.write(tcpFrame(answer));
        else conn.destroy();
      });
    });
  }

  /** One query over a new TCP connection to servers[index], the next one on failure. */
  private forwardTcp(msg: Uint8Array, group: Group, servers: string[], index: number, done: (answer: Uint8Array | null) => void): void {
    const server = servers[index];
    if (server === undefined) { done(null); return; }
    const family = isIP(server) === 6 ? 6 : 4;
    const source = group === 'tunnel' ? (family === 6 ? this.cfg.tunnelSources.v6 : this.cfg.tunnelSources.v4) : undefined;
    const up = createConnection({ host: server, port: DNS_PORT, ...(source ? { localAddress: source } : {}) });
    let settled = false;
    const finish = (answer: Uint8Array | null) => {
      if (settled) return;
      settled = true;
      up.destroy();
      if (answer) done(answer);
      else this.forwardTcp(msg, group, servers, index + 1, done);
    };
    up.setTimeout(TCP_TIMEOUT_MS, () => finish(null));
    up.on('error', () => finish(null));
    up.on('close', () => finish(null));
    up.on('connect', () => up.write(tcpFrame(msg)));
    readFrames(up, (answer) => finish(isResponse(answer) && messageId(answer) === messageId(msg) ? answer : null));
  }
}

/** Calls `onFrame` for each length-prefixed message; a zero-length frame or an oversized buffer ends the connection. */
function readFrames(conn: TcpSocket, onFrame: (msg: Uint8Array) => void): void {
  let buf = Buffer.alloc(0);
  conn.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 2) {
      const len = buf.readUInt16BE(0);
      if (len === 0 || len > MAX_TCP_MESSAGE) { conn.destroy(); return; }
      if (buf.length < 2 + len) break;
      const msg = buf.subarray(2, 2 + len);
      buf = buf.subarray(2 + len);
      onFrame(msg);
    }
  });
}
