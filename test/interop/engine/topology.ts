// Shared setup for the engine interop suite: wiredesk-tunnel on one side,
// Debian's wireguard-go on the other, in namespaces this suite creates.
//
// The main topology is the kernel's netns.sh one (also wg-go's tests/netns.sh):
//
//   ns0: lo 127.0.0.1/8, ::1/128 -- both daemons run here, so both UDP
//        sockets live on ns0's loopback (ours on port 1, wg-go's on port 2)
//   ns1: our interface (created in ns0, then `ip link set IF netns ns1`)
//        192.168.241.1/24, fd00::1/112
//   ns2: wireguard-go's interface, moved the same way
//        192.168.241.2/24, fd00::2/112
//
// Nothing here addresses anything outside those namespaces.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Netns, hasCommand, isRoot, run, waitFor } from '../../support/netns.js';
import { repoRoot } from '../../support/cli.js';

export const ENGINE = join(repoRoot, 'tunnel-helper', 'bin', 'wiredesk-tunnel');
export const SOCKET_DIR = '/var/run/wireguard';
/** The small UDP sender/listener run inside namespaces (udp-tool.ts). */
export const UDP_TOOL = fileURLToPath(new URL('./udp-tool.js', import.meta.url));

/** Why this suite cannot run here, or false when it can. */
export function skipReason(extra: string[] = []): string | false {
  if (!isRoot()) return 'needs root (network namespaces and TUN devices)';
  for (const cmd of ['wg', 'wireguard-go', 'ping', 'ip', ...extra]) {
    if (!hasCommand(cmd)) return `needs ${cmd}`;
  }
  return false;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface KeyPair { priv: string; pub: string }

export function genKeys(): KeyPair {
  const priv = run('wg', ['genkey']).trim();
  return { priv, pub: run('wg', ['pubkey'], { input: `${priv}\n` }).trim() };
}

export function genPsk(): string {
  return run('wg', ['genpsk']).trim();
}

/** Key material for `wg set ... private-key FILE`: a private temp directory. */
export class Secrets {
  private readonly dir = mkdtempSync(join(tmpdir(), 'wd-engine-interop-'));
  private n = 0;

  file(text: string, name = `secret${this.n++}`): string {
    const path = join(this.dir, name);
    writeFileSync(path, text.endsWith('\n') ? text : `${text}\n`, { mode: 0o600 });
    return path;
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface Result { code: number; stdout: string; stderr: string }

/** Runs a command in a namespace (or the root one) and reports how it ended. */
export function attempt(ns: Netns | null, cmd: string, args: string[], timeoutMs = 20_000): Result {
  const argv = ns ? ['netns', 'exec', ns.name, cmd, ...args] : args;
  const r = spawnSync(ns ? 'ip' : cmd, argv, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error?.message ?? '') };
}

/** `wg ...` against a userspace interface's UAPI socket (found by name from any namespace). */
export function wg(...args: string[]): string {
  const r = attempt(null, 'wg', args, 120_000);
  if (r.code !== 0) throw new Error(`wg ${args.join(' ').slice(0, 300)} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** One ping round, false when it got no reply. `extra` goes before the address. */
export function ping(ns: Netns, address: string, extra: string[] = [], count = 1): boolean {
  const r = attempt(ns, 'ping', ['-c', String(count), '-W', '2', ...extra, address], 20_000 + count * 2000);
  return r.code === 0;
}

/** Pings until one round succeeds (a handshake may be under way), bounded. */
export async function pingEventually(ns: Netns, address: string, extra: string[] = [], timeoutMs = 8000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (ping(ns, address, extra)) return true;
    await sleep(100);
  }
  return false;
}

/** A userspace WireGuard daemon in the foreground, so the test sees it exit. */
export class Daemon {
  readonly exited: Promise<number | null>;
  private log = '';

  constructor(readonly kind: 'wiredesk' | 'wireguard-go', readonly ifname: string, readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => { this.log += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { this.log += d.toString(); });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  get socketPath(): string {
    return join(SOCKET_DIR, `${this.ifname}.sock`);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The daemon's log so far (verbose for ours), for failure messages. */
  get output(): string {
    return this.log.slice(-4000);
  }

  /** Resolves true when the process ended within `ms`. */
  async waitExit(ms: number): Promise<boolean> {
    if (!this.alive) return true;
    return Promise.race([this.exited.then(() => true), sleep(ms).then(() => false)]);
  }
}

/** Starts `kind` in the foreground in `ns` and waits until its UAPI socket answers. */
export async function startDaemon(kind: Daemon['kind'], ns: Netns, ifname: string): Promise<Daemon> {
  const cmd = kind === 'wiredesk' ? ENGINE : 'wireguard-go';
  mkdirSync(SOCKET_DIR, { recursive: true, mode: 0o755 });
  rmSync(join(SOCKET_DIR, `${ifname}.sock`), { force: true });
  const child = spawn('ip', ['netns', 'exec', ns.name, cmd, '-f', ifname], {
    env: { ...process.env, LOG_LEVEL: kind === 'wiredesk' ? 'verbose' : 'error' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const daemon = new Daemon(kind, ifname, child);
  try {
    await waitFor(() => !daemon.alive || attempt(null, 'wg', ['show', ifname, 'listen-port']).code === 0, 15_000,
      `${kind} ${ifname} to serve UAPI`);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  if (!daemon.alive) throw new Error(`${kind} ${ifname} exited at start:\n${daemon.output}`);
  return daemon;
}

/** Ends a daemon as a user would (deleting its interface), then insists it is gone. */
export async function stopDaemon(d: Daemon, ns: Netns | null): Promise<void> {
  if (!d.alive) return;
  attempt(ns, 'ip', ['link', 'del', d.ifname]);
  if (!(await d.waitExit(5000))) {
    d.child.kill('SIGKILL');
    await d.waitExit(2000);
    rmSync(d.socketPath, { force: true });
    throw new Error(`${d.kind} ${d.ifname} survived the deletion of its interface:\n${d.output}`);
  }
}

let counter = 0;
/** Interface names unique to this process and file tag (IFNAMSIZ is 16). */
export function ifname(tag: string): string {
  return `wd${tag}${process.pid % 10000}${(counter++).toString(36)}`.slice(0, 15);
}

export interface PairOptions {
  /** A preshared key on both sides (default true, as netns.sh). */
  psk?: boolean;
  /** Outer family for both endpoints (default 4: 127.0.0.1; 6: [::1]). */
  outer?: 4 | 6;
  /** Set endpoints on both sides (default true); false leaves them unset. */
  endpoints?: boolean;
}

export const OUR_V4 = '192.168.241.1';
export const PEER_V4 = '192.168.241.2';
export const OUR_V6 = 'fd00::1';
export const PEER_V6 = 'fd00::2';
export const OUR_PORT = 1;
export const PEER_PORT = 2;

/**
 * The netns.sh topology: our engine's interface in ns1, wireguard-go's in ns2,
 * both daemons (and so both UDP sockets) in ns0.
 */
export class Pair {
  readonly ns0 = new Netns('e0');
  readonly ns1 = new Netns('e1');
  readonly ns2 = new Netns('e2');
  readonly secrets = new Secrets();
  readonly ourKeys = genKeys();
  readonly peerKeys = genKeys();
  readonly psk: string | null;
  ours!: Daemon;
  peer!: Daemon;

  private constructor(readonly tag: string, opts: PairOptions) {
    this.psk = opts.psk === false ? null : genPsk();
  }

  static async create(tag: string, opts: PairOptions = {}): Promise<Pair> {
    const pair = new Pair(tag, opts);
    try {
      await pair.setUp(opts);
    } catch (e) {
      await pair.destroy().catch(() => {});
      throw e;
    }
    return pair;
  }

  private async setUp(opts: PairOptions): Promise<void> {
    this.ours = await startDaemon('wiredesk', this.ns0, ifname(`${this.tag}o`));
    this.peer = await startDaemon('wireguard-go', this.ns0, ifname(`${this.tag}p`));
    this.moveInto(this.ours, this.ns1, `${OUR_V4}/24`, `${OUR_V6}/112`);
    this.moveInto(this.peer, this.ns2, `${PEER_V4}/24`, `${PEER_V6}/112`);
    const psk = this.psk ? ['preshared-key', this.secrets.file(this.psk)] : [];
    wg('set', this.ours.ifname, 'private-key', this.secrets.file(this.ourKeys.priv), 'listen-port', String(OUR_PORT),
      'peer', this.peerKeys.pub, ...psk, 'allowed-ips', `${PEER_V4}/32,${PEER_V6}/128`);
    wg('set', this.peer.ifname, 'private-key', this.secrets.file(this.peerKeys.priv), 'listen-port', String(PEER_PORT),
      'peer', this.ourKeys.pub, ...psk, 'allowed-ips', `${OUR_V4}/32,${OUR_V6}/128`);
    if (opts.endpoints !== false) this.setEndpoints(opts.outer ?? 4);
  }

  /** Moves a daemon's interface out of ns0 (as wg-go's netns.sh does) and brings it up. */
  private moveInto(d: Daemon, ns: Netns, v4: string, v6: string): void {
    this.ns0.exec('ip', ['link', 'set', d.ifname, 'netns', ns.name]);
    ns.exec('ip', ['addr', 'add', v4, 'dev', d.ifname]);
    ns.exec('ip', ['-6', 'addr', 'add', v6, 'dev', d.ifname, 'nodad']);
    ns.exec('ip', ['link', 'set', d.ifname, 'up']);
  }

  setEndpoints(outer: 4 | 6): void {
    const host = outer === 4 ? '127.0.0.1' : '[::1]';
    wg('set', this.ours.ifname, 'peer', this.peerKeys.pub, 'endpoint', `${host}:${PEER_PORT}`);
    wg('set', this.peer.ifname, 'peer', this.ourKeys.pub, 'endpoint', `${host}:${OUR_PORT}`);
  }

  /** `wg show IF endpoints` of our interface, as `pub\tendpoint` lines. */
  ourEndpoints(): string {
    return wg('show', this.ours.ifname, 'endpoints').trim();
  }

  peerEndpoints(): string {
    return wg('show', this.peer.ifname, 'endpoints').trim();
  }

  /** A failure message tail with both daemons' logs. */
  logs(): string {
    return `\n--- wiredesk-tunnel ${this.ours?.ifname} log:\n${this.ours?.output ?? ''}\n--- wireguard-go:\n${this.peer?.output ?? ''}`;
  }

  /** Deletes both interfaces, insists both daemons exit, then removes the namespaces. */
  async destroy(): Promise<void> {
    const errors: unknown[] = [];
    for (const [d, ns] of [[this.ours, this.ns1], [this.peer, this.ns2]] as const) {
      if (!d) continue;
      // The interface may still be in ns0 if setup failed half way.
      if (d.alive && attempt(ns, 'ip', ['link', 'show', d.ifname]).code !== 0) attempt(this.ns0, 'ip', ['link', 'del', d.ifname]);
      try {
        await stopDaemon(d, ns);
      } catch (e) {
        errors.push(e);
      }
    }
    for (const ns of [this.ns1, this.ns2, this.ns0]) ns.destroy();
    this.secrets.cleanup();
    for (const d of [this.ours, this.peer]) if (d && existsSync(d.socketPath) && !d.alive) rmSync(d.socketPath, { force: true });
    if (errors.length > 0) throw errors[0];
  }
}

/** Transfer counters from `wg show IF transfer` for `peer` (default: the first listed): [rx, tx]. */
export function transfer(ifn: string, peer?: string): [number, number] {
  const lines = wg('show', ifn, 'transfer').trim().split('\n');
  const line = peer === undefined ? lines[0] : lines.find((l) => l.startsWith(`${peer}\t`));
  const [, rx, tx] = (line ?? '').split('\t');
  return [Number(rx), Number(tx)];
}

/** Packets the kernel received from the TUN interface's owner (what the engine wrote to TUN). */
export function tunRxPackets(ns: Netns, ifn: string): number {
  const text = ns.exec('cat', [`/sys/class/net/${ifn}/statistics/rx_packets`]);
  return Number(text.trim());
}

/** Processes still running wiredesk-tunnel for one of `names` (should be none). */
export function survivors(names: readonly string[]): string[] {
  const r = attempt(null, 'pgrep', ['-af', 'wiredesk-tunnel']);
  return r.stdout.split('\n').filter((line) => names.some((n) => new RegExp(`\\s${n}$`).test(line.trim())));
}

/**
 * For a file's `after` hook: the wiredesk-tunnel processes for `names` still
 * running 3 s after the file's tests ended. Those are killed (by pid) so they
 * cannot disturb later files, and returned so the hook can fail.
 */
export async function lingering(names: readonly string[]): Promise<string[]> {
  const deadline = Date.now() + 3000;
  while (survivors(names).length > 0 && Date.now() < deadline) await sleep(100);
  const left = survivors(names);
  for (const line of left) {
    try { process.kill(Number(line.trim().split(/\s+/)[0]), 'SIGKILL'); } catch { /* gone */ }
  }
  return left;
}

/**
 * Both daemons side by side in one namespace, not connected to each other:
 * for comparing what `wg` shows of our engine with what it shows of wireguard-go.
 */
export class SideBySide {
  readonly ns = new Netns('es');
  /** wireguard-go's own namespace, so both may take the same listen port. */
  readonly nsTheirs = new Netns('eg');
  readonly secrets = new Secrets();
  ours!: Daemon;
  theirs!: Daemon;

  static async create(tag: string): Promise<SideBySide> {
    const s = new SideBySide();
    try {
      s.ours = await startDaemon('wiredesk', s.ns, ifname(`${tag}o`));
      s.theirs = await startDaemon('wireguard-go', s.nsTheirs, ifname(`${tag}g`));
    } catch (e) {
      await s.destroy().catch(() => {});
      throw e;
    }
    return s;
  }

  /** Runs the same wg command on both; `IF` in args stands for the interface. */
  both(...args: string[]): { ours: string; theirs: string } {
    const sub = (name: string) => args.map((a) => (a === 'IF' ? name : a));
    return { ours: wg(...sub(this.ours.ifname)), theirs: wg(...sub(this.theirs.ifname)) };
  }

  async destroy(): Promise<void> {
    const errors: unknown[] = [];
    for (const [d, ns] of [[this.ours, this.ns], [this.theirs, this.nsTheirs]] as const) {
      if (!d) continue;
      try {
        await stopDaemon(d, ns);
      } catch (e) {
        errors.push(e);
      }
    }
    this.ns.destroy();
    this.nsTheirs.destroy();
    this.secrets.cleanup();
    if (errors.length > 0) throw errors[0];
  }
}

/** `wg showconf` text with its [Peer] blocks sorted (wireguard-go keeps peers in a map). */
export function sortedConf(text: string): string {
  const [head, ...peers] = text.trim().split(/\n\n(?=\[Peer\])/);
  return [head, ...peers.sort()].join('\n\n');
}

/** `wg show IF allowed-ips` as a map from peer to its sorted prefixes. */
export function allowedIpsByPeer(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const line of text.trim().split('\n').filter(Boolean)) {
    const [pub, list = ''] = line.split('\t');
    map.set(pub!, list.split(' ').filter(Boolean).sort());
  }
  return map;
}
