// A client whose underlay changes under its tunnel: two veth links to the
// server's namespace, each with its own client address, and a default route
// the test moves. Shared by underlay-change.test.ts and the bench section
// (test/bench/network-change.ts), which runs wireguard-go as the client too.
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

export const CLIENT_A = '10.91.1.2';
export const CLIENT_B = '10.91.2.2';
export const GATEWAY_A = '10.91.1.1';
export const GATEWAY_B = '10.91.2.1';
export const SERVER_ENDPOINT = '10.91.9.1';
export const SERVER_PORT = 51820;
export const SERVER_TUNNEL = '10.92.0.1';
export const CLIENT_TUNNEL = '10.92.0.2';

export interface UnderlayOptions {
  /** Which engine is the client; the server is always wireguard-go. */
  client: Daemon['kind'];
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

  private async setUp(tag: string, opts: UnderlayOptions): Promise<void> {
    this.c1 = vethPair(this.nsC, `${CLIENT_A}/24`, this.nsS, `${GATEWAY_A}/24`).aIf;
    this.c2 = vethPair(this.nsC, `${CLIENT_B}/24`, this.nsS, `${GATEWAY_B}/24`).aIf;
    this.nsS.exec('ip', ['addr', 'add', `${SERVER_ENDPOINT}/32`, 'dev', 'lo']);
    // Answer ARP only for the addresses of the asking link, as a real gateway does: otherwise a
    // datagram still bound to c1 after the route moved would reach the endpoint "on link" through
    // s1, and the old path would never stop working.
    this.nsS.exec('sysctl', ['-q', '-w', 'net.ipv4.conf.all.arp_ignore=1']);
    this.nsC.exec('ip', ['route', 'add', 'default', 'via', GATEWAY_A, 'dev', this.c1, 'metric', '100']);
    if (opts.backupRoute) this.nsC.exec('ip', ['route', 'add', 'default', 'via', GATEWAY_B, 'dev', this.c2, 'metric', '200']);

    this.server = await startDaemon('wireguard-go', this.nsS, ifname(`${tag}s`));
    wg('set', this.server.ifname, 'private-key', this.secrets.file(this.serverKeys.priv), 'listen-port', String(SERVER_PORT),
      'peer', this.clientKeys.pub, 'allowed-ips', `${CLIENT_TUNNEL}/32`);
    this.up(this.nsS, this.server.ifname, SERVER_TUNNEL);

    this.client = await startDaemon(opts.client, this.nsC, ifname(`${tag}c`));
    this.client.child.stdout?.on('data', (d: Buffer) => { this.clientLog += d.toString(); });
    wg('set', this.client.ifname, 'private-key', this.secrets.file(this.clientKeys.priv),
      'peer', this.serverKeys.pub, 'allowed-ips', `${SERVER_TUNNEL}/32`, 'endpoint', `${SERVER_ENDPOINT}:${SERVER_PORT}`);
    this.up(this.nsC, this.client.ifname, CLIENT_TUNNEL);
  }

  private up(ns: Netns, ifn: string, address: string): void {
    ns.exec('ip', ['addr', 'add', `${address}/24`, 'dev', ifn]);
    ns.exec('ip', ['link', 'set', ifn, 'up']);
  }

  /** Scenario a: the default route moves to c2, whose address is B (Wi-Fi to Ethernet). */
  moveDefaultRoute(): void {
    this.nsC.exec('ip', ['route', 'replace', 'default', 'via', GATEWAY_B, 'dev', this.c2, 'metric', '100']);
  }

  /** Scenario b: address A, the one in use, goes away (a lost lease); the backup route remains. */
  removeAddressInUse(): void {
    this.nsC.exec('ip', ['addr', 'del', `${CLIENT_A}/24`, 'dev', this.c1]);
  }

  /** Scenario c: the link in use goes down (a cable pulled); the backup route remains. */
  takeLinkDown(): void {
    this.nsC.exec('ip', ['link', 'set', this.c1, 'down']);
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
