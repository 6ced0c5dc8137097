// A wiredesk-helper running inside a test namespace, with wireguard-go peers
// in a second namespace:
//
//   client ns (helper + its tunnels)              peer ns
//   veth 192.168.240.1/24  <------------------->  veth 192.168.240.2/24
//                                                 wireguard-go peer i: port 52000+i,
//                                                 tunnel address 10.240.i.2/24
//   tunnel i: 10.240.i.1/24, peer 10.240.i.2/32
//
// The helper serves uid OWNER_UID; tests connect as root (always allowed).
// Every name is unique on the host (the UAPI socket directory and the
// journal names are shared by all namespaces), and destroy() removes
// everything, sockets included.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeKey, generatePrivateKeyBytes, publicKeyBytes } from '../../../shared/config/index.js';
import { connectHelper, type HelperClient } from '../../../electron/app-core/helper/control-client.js';
import { Netns, vethPair, waitFor } from '../../support/netns.js';
import { repoRoot } from '../../support/cli.js';

export const OWNER_UID = 4242;
export const CLIENT_V4 = '192.168.240.1';
export const PEER_V4 = '192.168.240.2';
const helperBin = join(repoRoot, 'tunnel-helper', 'bin', 'wiredesk-helper');
let serial = 0;

export function keyPair(): { priv: string; pub: string } {
  const sk = generatePrivateKeyBytes();
  return { priv: encodeKey(sk), pub: encodeKey(publicKeyBytes(sk)) };
}

export interface Peer {
  index: number;
  ifname: string;
  port: number;
  keys: { priv: string; pub: string };
  clientKeys: { priv: string; pub: string };
}

export class HelperFixture {
  readonly id = `${process.pid % 1000}${String.fromCharCode(97 + (serial++ % 26))}`;
  readonly dir = mkdtempSync(join(tmpdir(), 'wd-control-'));
  readonly socketPath = join(this.dir, 'helper.sock');
  readonly client = new Netns('h');
  readonly peer = new Netns('q');
  readonly peers: Peer[] = [];
  /** The peer namespace's end of the veth. */
  peerVeth = '';
  helper: ChildProcess | null = null;
  helperOutput = '';
  private clients: HelperClient[] = [];

  constructor() {
    try {
      chmodSync(this.dir, 0o755); // the socket's directory: root's, reachable by others
      this.peerVeth = vethPair(this.client, `${CLIENT_V4}/24`, this.peer, `${PEER_V4}/24`).bIf;
    } catch (e) {
      this.destroy();
      throw e;
    }
  }

  /** A tunnel name unique on this host. */
  tunnelName(i: number): string {
    return `wh${this.id}t${i}`.slice(0, 15);
  }

  /** Starts wireguard-go peer `index` in the peer namespace. */
  addPeer(index: number): Peer {
    const ifname = `wh${this.id}p${index}`.slice(0, 15);
    const p: Peer = { index, ifname, port: 52000 + index, keys: keyPair(), clientKeys: keyPair() };
    this.peers.push(p);
    this.peer.exec('wireguard-go', [ifname], { timeoutMs: 10_000 });
    const keyFile = join(this.dir, `${ifname}.key`);
    writeFileSync(keyFile, `${p.keys.priv}\n`, { mode: 0o600 });
    this.peer.exec('wg', ['set', ifname, 'private-key', keyFile, 'listen-port', String(p.port), 'peer', p.clientKeys.pub, 'allowed-ips', `10.240.${index}.1/32`]);
    this.peer.exec('ip', ['addr', 'add', `10.240.${index}.2/24`, 'dev', ifname]);
    this.peer.exec('ip', ['link', 'set', ifname, 'up']);
    return p;
  }

  /** The config text the app would send for the tunnel to peer `p`. */
  configFor(p: Peer, extra: { endpoint?: string; allowedIps?: string; iface?: string[] } = {}): string {
    return [
      '[Interface]', `PrivateKey = ${p.clientKeys.priv}`, `Address = 10.240.${p.index}.1/24`, ...(extra.iface ?? []), '',
      '[Peer]', `PublicKey = ${p.keys.pub}`, `AllowedIPs = ${extra.allowedIps ?? `10.240.${p.index}.2/32`}`,
      `Endpoint = ${extra.endpoint ?? `${PEER_V4}:${p.port}`}`, '',
    ].join('\n');
  }

  /** Starts the helper in the client namespace and waits for its socket. */
  async startHelper(policy: object = { allowScripts: false }): Promise<void> {
    const policyPath = join(this.dir, 'policy.json');
    writeFileSync(policyPath, JSON.stringify(policy), { mode: 0o644 });
    const child = spawn('ip', ['netns', 'exec', this.client.name, process.execPath, helperBin,
      '--owner-uid', String(OWNER_UID), '--socket', this.socketPath, '--log-dir', join(this.dir, 'logs'), '--policy', policyPath,
    ], { env: { ...process.env, WIREDESK_STATE_DIR: join(this.dir, 'state') }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.helper = child;
    child.stdout!.on('data', (c: Buffer) => { this.helperOutput += c.toString(); });
    child.stderr!.on('data', (c: Buffer) => { this.helperOutput += c.toString(); });
    await waitFor(() => existsSync(this.socketPath) || child.exitCode !== null, 15_000, 'the helper socket');
    if (child.exitCode !== null) throw new Error(`the helper exited: ${this.helperOutput}`);
    await waitFor(() => /serving uid/.test(this.helperOutput), 5_000, 'the helper to be ready');
  }

  /** A client connected as root; the socket must belong to OWNER_UID. */
  async connect(): Promise<HelperClient> {
    const c = await connectHelper(this.socketPath, { expectedOwnerUid: OWNER_UID, reconnect: false, callTimeoutMs: 60_000, clientName: 'test' });
    this.clients.push(c);
    return c;
  }

  get helperAlive(): boolean {
    return this.helper !== null && this.helper.exitCode === null && this.helper.signalCode === null;
  }

  /** SIGTERM, as systemd stops it; resolves with the exit code. */
  async stopHelper(timeoutMs = 30_000): Promise<number | null> {
    const h = this.helper;
    if (!h || h.exitCode !== null) return h?.exitCode ?? null;
    const exited = new Promise<number | null>((r) => h.once('exit', (code) => r(code)));
    h.kill('SIGTERM'); // reaches node through `ip netns exec`, which execs it
    const timer = setTimeout(() => h.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  destroy(): void {
    for (const c of this.clients) c.close();
    if (this.helper && this.helper.exitCode === null) this.helper.kill('SIGKILL');
    this.client.destroy();
    this.peer.destroy();
    // SIGKILLed daemons leave their UAPI sockets behind in the shared directory.
    for (let i = 0; i < 64; i++) {
      for (const n of [this.tunnelName(i), `wh${this.id}p${i}`.slice(0, 15)]) rmSync(`/var/run/wireguard/${n}.sock`, { force: true });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Collects events of one kind from a client. */
export function collect<T>(subscribe: (cb: (d: T) => void) => () => void): { items: T[]; stop: () => void } {
  const items: T[] = [];
  const stop = subscribe((d) => items.push(d));
  return { items, stop };
}
