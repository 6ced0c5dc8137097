// A client whose underlay changes under its tunnel: two veth links to the
// server's namespace, each with its own client address, and a default route
// the test moves. Shared by underlay-change.test.ts and the bench section
// (test/bench/network-change.ts), which runs wireguard-go as the client too.
//
// With `family: 6` the underlay is IPv6 (fd91:1::2/64 and so on, the
// endpoint [fd91:9::1]); the tunnel's inner addresses stay the same.
//
//   nsC (client)                           nsS (server)
//   tunnel 10.92.0.2/24                    tunnel 10.92.0.1/24 (wireguard-go)
//   c1 10.91.1.2/24  <--- veth --->  10.91.1.1/24 s1
//   c2 10.91.2.2/24  <--- veth --->  10.91.2.1/24 s2
//   default via 10.91.1.1 (metric 100)     lo 10.91.9.1/32: the endpoint
//   [default via 10.91.2.1 (metric 200)]   reaches both client addresses
//
// Nothing here addresses anything outside these two namespaces.
import { Netns, vethPair } from '../../support/netns.js';
import { type Daemon, Secrets, attempt, genKeys, ifname, startDaemon, stopDaemon, wg } from './topology.js';

/** The underlay addresses of each family: client A and B, their gateways, the server's endpoint. */
export const UNDERLAY = {
  4: { a: '10.91.1.2', b: '10.91.2.2', gwA: '10.91.1.1', gwB: '10.91.2.1', server: '10.91.9.1', prefix: 24, host: 32 },
  6: { a: 'fd91:1::2', b: 'fd91:2::2', gwA: 'fd91:1::1', gwB: 'fd91:2::1', server: 'fd91:9::1', prefix: 64, host: 128 },
} as const;
export const SERVER_PORT = 51820;
export const SERVER_TUNNEL = '10.92.0.1';
export const CLIENT_TUNNEL = '10.92.0.2';

export interface UnderlayOptions {
  /** Which engine is the client; the server is always wireguard-go. */
  client: Daemon['kind'];
  /** The underlay's address family (default 4). */
  family?: 4 | 6;
  /** A second default route through c2 (metric 200), so losing A's address or link leaves a way out. */
  backupRoute?: boolean;
}

export class Underlay {
  readonly nsC = new Netns('uc');
  readonly nsS = new Netns('us');
  readonly secrets = new Secrets();
  readonly clientKeys = genKeys();
  readonly serverKeys = genKeys();
  client!: Daemon;
  server!: Daemon;
  c1 = '';
  c2 = '';
  family: 4 | 6 = 4;
  /** Everything the client daemon printed since it started. */
  clientLog = '';

  static async create(tag: string, opts: UnderlayOptions): Promise<Underlay> {
    const u = new Underlay();
    try {
      await u.setUp(tag, opts);
    } catch (e) {
      await u.destroy().catch(() => {});
      throw e;
    }
    return u;
  }

  /** The addresses of this underlay's family. */
  get addr(): (typeof UNDERLAY)[4 | 6] {
    return UNDERLAY[this.family];
  }

  /** `ip` with `-6` for an IPv6 underlay. */
  private ip(ns: Netns, args: string[]): void {
    ns.exec('ip', [`-${this.family}`, ...args]);
  }

  private async setUp(tag: string, opts: UnderlayOptions): Promise<void> {
    this.family = opts.family ?? 4;
    const a = this.addr;
    this.c1 = vethPair(this.nsC, `${a.a}/${a.prefix}`, this.nsS, `${a.gwA}/${a.prefix}`).aIf;
    this.c2 = vethPair(this.nsC, `${a.b}/${a.prefix}`, this.nsS, `${a.gwB}/${a.prefix}`).aIf;
    this.ip(this.nsS, ['addr', 'add', `${a.server}/${a.host}`, 'dev', 'lo']);
    // Answer ARP only for the addresses of the asking link, as a real gateway does: otherwise a
    // datagram still bound to c1 after the route moved would reach the endpoint "on link" through
    // s1, and the old path would never stop working.
    this.nsS.exec('sysctl', ['-q', '-w', 'net.ipv4.conf.all.arp_ignore=1']);
    this.ip(this.nsC, ['route', 'add', 'default', 'via', a.gwA, 'dev', this.c1, 'metric', '100']);
    if (opts.backupRoute) this.ip(this.nsC, ['route', 'add', 'default', 'via', a.gwB, 'dev', this.c2, 'metric', '200']);

    this.server = await startDaemon('wireguard-go', this.nsS, ifname(`${tag}s`));
    wg('set', this.server.ifname, 'private-key', this.secrets.file(this.serverKeys.priv), 'listen-port', String(SERVER_PORT),
      'peer', this.clientKeys.pub, 'allowed-ips', `${CLIENT_TUNNEL}/32`);
    this.up(this.nsS, this.server.ifname, SERVER_TUNNEL);

    this.client = await startDaemon(opts.client, this.nsC, ifname(`${tag}c`));
    this.client.child.stdout?.on('data', (d: Buffer) => { this.clientLog += d.toString(); });
    wg('set', this.client.ifname, 'private-key', this.secrets.file(this.clientKeys.priv),
      'peer', this.serverKeys.pub, 'allowed-ips', `${SERVER_TUNNEL}/32`, 'endpoint', `${this.family === 4 ? a.server : `[${a.server}]`}:${SERVER_PORT}`);
    this.up(this.nsC, this.client.ifname, CLIENT_TUNNEL);
  }

  private up(ns: Netns, ifn: string, address: string): void {
    ns.exec('ip', ['addr', 'add', `${address}/24`, 'dev', ifn]);
    ns.exec('ip', ['link', 'set', ifn, 'up']);
  }

  /** Scenario a: the default route moves to c2, whose address is B (Wi-Fi to Ethernet). */
  moveDefaultRoute(): void {
    this.ip(this.nsC, ['route', 'replace', 'default', 'via', this.addr.gwB, 'dev', this.c2, 'metric', '100']);
  }

  /** Scenario b: address A, the one in use, goes away (a lost lease); the backup route remains. */
  removeAddressInUse(): void {
    this.ip(this.nsC, ['addr', 'del', `${this.addr.a}/${this.addr.prefix}`, 'dev', this.c1]);
  }

  /** Scenario c: the link in use goes down (a cable pulled); the backup route remains. */
  takeLinkDown(): void {
    this.nsC.exec('ip', ['link', 'set', this.c1, 'down']);
  }

  /** How `wg show endpoints` prints the client at `address` and `port`. */
  endpointText(address: string, port: string): string {
    return this.family === 4 ? `${address}:${port}` : `[${address}]:${port}`;
  }

  /** The client's outer address and port as the server sees it (`wg show endpoints`). */
  endpointAtServer(): string {
    const line = wg('show', this.server.ifname, 'endpoints').split('\n').find((l) => l.startsWith(`${this.clientKeys.pub}\t`));
    return line?.split('\t')[1] ?? '';
  }

  /** One ping through the tunnel from the client. */
  ping(): boolean {
    return attempt(this.nsC, 'ping', ['-c', '1', '-W', '1', SERVER_TUNNEL]).code === 0;
  }

  logs(): string {
    return `\n--- client (${this.client?.kind}) log:\n${this.clientLog.slice(-4000)}\n--- server:\n${this.server?.output ?? ''}`;
  }

  async destroy(): Promise<void> {
    const errors: unknown[] = [];
    for (const [d, ns] of [[this.client, this.nsC], [this.server, this.nsS]] as const) {
      if (!d) continue;
      try {
        await stopDaemon(d, ns);
      } catch (e) {
        errors.push(e);
      }
    }
    this.nsC.destroy();
    this.nsS.destroy();
    this.secrets.cleanup();
    if (errors.length > 0) throw errors[0];
  }
}
