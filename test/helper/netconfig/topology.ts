// Two namespaces joined by a veth pair, for netconfig tests:
//
//   client ns                                  peer ns
//   va: 10.201.0.2/24, fd01::2/64  <- veth ->  vb: 10.201.0.1/24, fd01::1/64
//   default routes via the peer                wireguard-go PEERIF, port 51820:
//   (`wiredesk up` runs here)                    192.168.201.1/24, fd77::1/64
//                                              "service" addresses (on lo) only
//                                              the tunnel reaches: 172.30.0.1,
//                                              fd30::1 (dropped when they
//                                              arrive over the veth)
//                                              "outside" 198.18.0.1 (benchmark
//                                              range), reached over the veth
//
// Everything lives in namespaces the test creates; nothing routes outside.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Netns, hasCommand, isRoot, run, vethPair } from '../../support/netns.js';

export const PEER_PORT = 51820;
export const TUNNEL_PEER_V4 = '192.168.201.1';
export const TUNNEL_PEER_V6 = 'fd77::1';
export const SERVICE_V4 = '172.30.0.1';
export const SERVICE_V6 = 'fd30::1';
export const OUTSIDE_V4 = '198.18.0.1';
export const LAN_PEER_V4 = '10.201.0.1';
export const ORIGINAL_RESOLV = 'nameserver 10.201.0.1\noptions timeout:1 attempts:1\n';

let serial = 0;

export function wgKeyPair(): { priv: string; pub: string } {
  const priv = run('wg', ['genkey']).trim();
  return { priv, pub: run('wg', ['pubkey'], { input: `${priv}\n` }).trim() };
}

export class Topology {
  readonly client: Netns;
  readonly peer: Netns;
  readonly clientVeth: string;
  /** Unique on this host: the UAPI socket directory is shared by all namespaces. */
  readonly ifname: string;
  readonly peerIf: string;
  readonly clientKeys = wgKeyPair();
  readonly peerKeys = wgKeyPair();
  readonly dir: string;
  /** Other tunnel names a test used, whose files destroy() removes too. */
  readonly extraNames: string[] = [];

  constructor(tag: string) {
    const id = `${process.pid % 10000}${tag}${serial++}`;
    this.ifname = `wdc${id}`.slice(0, 15);
    this.peerIf = `wdp${id}`.slice(0, 15);
    this.dir = mkdtempSync(join(tmpdir(), 'wd-netconfig-'));
    chmodSync(this.dir, 0o700);
    this.client = new Netns('c');
    this.peer = new Netns('p');
    try {
      this.client.setResolvConf(ORIGINAL_RESOLV);
      // No duplicate address detection: a "tentative" flag clearing later would spoil before/after comparisons.
      for (const ns of [this.client, this.peer]) {
        ns.exec('sysctl', ['-q', '-w', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
      }
      const { aIf, bIf } = vethPair(this.client, '10.201.0.2/24,fd01::2/64', this.peer, '10.201.0.1/24,fd01::1/64');
      this.clientVeth = aIf;
      this.client.exec('ip', ['route', 'add', 'default', 'via', '10.201.0.1']);
      this.client.exec('ip', ['-6', 'route', 'add', 'default', 'via', 'fd01::1']);
      this.client.exec('ip', ['route', 'add', '198.18.0.0/24', 'via', '10.201.0.1']);
      this.setUpPeer(bIf);
    } catch (e) {
      this.destroy();
      throw e;
    }
  }

  private setUpPeer(veth: string): void {
    const p = this.peer;
    p.exec('sysctl', ['-q', 'net.ipv4.ip_forward=1']);
    p.exec('ip', ['addr', 'add', `${SERVICE_V4}/32`, 'dev', 'lo']);
    p.exec('ip', ['-6', 'addr', 'add', `${SERVICE_V6}/128`, 'dev', 'lo', 'nodad']);
    p.exec('ip', ['addr', 'add', `${OUTSIDE_V4}/32`, 'dev', 'lo']);
    p.exec('nft', ['-f', '-'], {
      input: `table inet svc {\n chain guard {\n type filter hook input priority 0;\n iifname "${veth}" ip daddr ${SERVICE_V4} drop\n iifname "${veth}" ip6 daddr ${SERVICE_V6} drop\n }\n}\n`,
    });
    p.exec('wireguard-go', [this.peerIf], { timeoutMs: 20_000 });
    const keyFile = join(this.dir, 'peer.key');
    writeFileSync(keyFile, `${this.peerKeys.priv}\n`, { mode: 0o600 });
    p.exec('wg', ['set', this.peerIf, 'private-key', keyFile, 'listen-port', String(PEER_PORT),
      'peer', this.clientKeys.pub, 'allowed-ips', '192.168.201.2/32,fd77::2/128']);
    p.exec('ip', ['addr', 'add', `${TUNNEL_PEER_V4}/24`, 'dev', this.peerIf]);
    p.exec('ip', ['-6', 'addr', 'add', `${TUNNEL_PEER_V6}/64`, 'dev', this.peerIf, 'nodad']);
    p.exec('ip', ['link', 'set', this.peerIf, 'up']);
  }

  /** A client config; `interface` and `peer` lines are appended to the sections. */
  config(opts: { allowedIps?: string; iface?: string[]; peer?: string[] } = {}): string {
    return [
      '[Interface]',
      `PrivateKey = ${this.clientKeys.priv}`,
      'Address = 192.168.201.2/24, fd77::2/64',
      ...(opts.iface ?? []),
      '',
      '[Peer]',
      `PublicKey = ${this.peerKeys.pub}`,
      `Endpoint = 10.201.0.1:${PEER_PORT}`,
      `AllowedIPs = ${opts.allowedIps ?? '192.168.201.0/24, 172.30.0.0/24, fd30::/64'}`,
      ...(opts.peer ?? []),
      '',
    ].join('\n');
  }

  /** Writes IFNAME.conf (mode 0600) and returns its path. */
  writeConfig(text: string, name = this.ifname): string {
    const path = join(this.dir, `${name}.conf`);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  }

  /** Runs a command in the client namespace; never throws. */
  runInClient(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000): { status: number; stdout: string; stderr: string } {
    const r = spawnSync('ip', ['netns', 'exec', this.client.name, cmd, ...args], {
      encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, ...env },
    });
    return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  /** 0 when one ping to `addr` from the client gets an answer within `waitSec` (1 s is plenty over a veth). */
  ping(addr: string, waitSec = 2): number {
    return this.client.status('ping', ['-c', '1', '-W', String(waitSec), addr], 10_000);
  }

  destroy(): void {
    this.client?.destroy();
    this.peer?.destroy();
    for (const name of [this.ifname, ...this.extraNames]) {
      for (const f of [`/run/wiredesk/${name}.journal`, `/run/wiredesk/${name}.engine-output`, `/run/wiredesk/${name}.dns-forwarder`, `/run/wiredesk/${name}.dns-output`, `/var/run/wireguard/${name}.sock`]) {
        rmSync(f, { force: true });
      }
    }
    rmSync(`/var/run/wireguard/${this.peerIf}.sock`, { force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Why these tests cannot run here, or false when they can. */
export const skipReason: string | false = !isRoot() || !hasCommand('wireguard-go') || !hasCommand('nft')
  ? 'needs root, wireguard-go and nft' : false;

/** Runs `fn` on a fresh topology and always tears it down. */
export async function withTopology(tag: string, fn: (t: Topology) => Promise<void> | void): Promise<void> {
  const t = new Topology(tag);
  try {
    await fn(t);
  } finally {
    t.destroy();
  }
}
