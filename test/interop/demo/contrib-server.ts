// The WireGuard project's own demo server, for real: Debian's copy of
// wireguard-tools' contrib/ncat-client-server/server.sh, unmodified, under
// ncat in a "server" namespace, and a "client" namespace to run `wiredesk`
// in, joined by a veth:
//
//   client ns: 10.217.0.2/24, fd17::2   server ns: 10.217.0.1/24, fd17::1
//   /etc/hosts: demo.wiredesk.test      server.sh: wg0 = 192.168.4.1/24, UDP 12912,
//     -> 10.217.0.1                      ncat on TCP 42912
//   resolv.conf: 127.0.0.1 (nothing     (a stand-in `ip` on its PATH turns exactly
//     there: other names fail fast)      `ip link add dev wg0 type wireguard` into
//                                        `wireguard-go wg0`: no kernel module here)
//
// server.sh insists on the name wg0, and /run/wireguard/wg0.sock is shared by
// every namespace, so a lock file keeps two of these labs apart and the lab
// refuses to start when some other wg0 socket exists.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Netns, hasCommand, isRoot, vethPair, waitFor } from '../../support/netns.js';

export const SERVER_SH = '/usr/share/doc/wireguard-tools/examples/ncat-client-server/server.sh';
export const SERVER_ADDR = '10.217.0.1';
export const SERVER_ADDR6 = 'fd17::1';
export const DEMO_NAME = 'demo.wiredesk.test';
const WG0_SOCKET = '/run/wireguard/wg0.sock';
const LOCK = '/run/wiredesk-test-demo-wg0.lock';
const REAL_IP = '/usr/sbin/ip';

/** Why the lab cannot run here, or false when it can. */
export function labSkipReason(): string | false {
  const missing = [
    !isRoot() && 'root',
    ...['wireguard-go', 'wg', 'ncat', 'bash', 'ss', 'ping'].filter((c) => !hasCommand(c)),
    !existsSync(SERVER_SH) && SERVER_SH,
    !existsSync(REAL_IP) && REAL_IP,
  ].filter(Boolean);
  if (missing.length) return `needs ${missing.join(', ')}`;
  if (existsSync(WG0_SOCKET)) return `${WG0_SOCKET} exists: another wg0 is in use, and the contrib server insists on that name`;
  return false;
}

export interface CmdResult { status: number; stdout: string; stderr: string }

export class DemoLab {
  readonly dir = mkdtempSync(join(tmpdir(), 'wd-demo-'));
  /** The client's tunnel: unique on this host, as the UAPI socket directory is shared. */
  readonly ifname = `wdd${process.pid % 100000}`.slice(0, 15);
  readonly client: Netns;
  readonly server: Netns;
  private serverLog = '';
  private readonly extraServers: ChildProcess[] = [];

  constructor() {
    takeLock();
    chmodSync(this.dir, 0o700);
    this.client = new Netns('dc');
    this.server = new Netns('ds');
    try {
      vethPair(this.client, '10.217.0.2/24,fd17::2/64', this.server, `${SERVER_ADDR}/24,${SERVER_ADDR6}/64`);
      const etc = `/etc/netns/${this.client.name}`;
      mkdirSync(etc, { recursive: true });
      writeFileSync(`${etc}/hosts`, `127.0.0.1 localhost\n${SERVER_ADDR} ${DEMO_NAME}\n`);
      this.client.setResolvConf('nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
    } catch (e) {
      this.destroy();
      throw e;
    }
  }

  /** Starts server.sh as its README says (as root, no arguments) and waits for ncat to listen. */
  async startServer(): Promise<void> {
    const bin = join(this.dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'ip'), [
      '#!/bin/sh',
      '# No kernel WireGuard on this machine: the one command that needs it gets wireguard-go.',
      'if [ "$*" = "link add dev wg0 type wireguard" ]; then exec wireguard-go wg0; fi',
      `exec ${REAL_IP} "$@"`,
      '',
    ].join('\n'), { mode: 0o755 });
    const child = this.server.spawn(SERVER_SH, [], { PATH: `${bin}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}` });
    child.stdout?.on('data', (d: Buffer) => { this.serverLog += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { this.serverLog += d.toString(); });
    await waitFor(() => this.listening(42912) || child.exitCode !== null, 20_000, 'server.sh to listen on 42912');
    if (child.exitCode !== null) throw new Error(`server.sh exited with ${child.exitCode}:\n${this.serverLog}`);
  }

  /** Another server on `port` of the server namespace: `ncat -c SCRIPT` per connection. */
  async startScriptServer(port: number, script: string): Promise<void> {
    this.extraServers.push(this.server.spawn('ncat', ['-k', '-l', '-p', String(port), '-c', script]));
    await waitFor(() => this.listening(port), 10_000, `ncat to listen on ${port}`);
  }

  listening(port: number): boolean {
    return this.server.exec('ss', ['-Hltn', `sport = :${port}`]).trim() !== '';
  }

  log(): string {
    return this.serverLog;
  }

  /** Runs a command in the client namespace; never throws. */
  inClient(cmd: string, args: string[], input?: string, timeoutMs = 60_000): CmdResult {
    const r = spawnSync('ip', ['netns', 'exec', this.client.name, cmd, ...args], { input, encoding: 'utf8', timeout: timeoutMs });
    return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  /** wg(8) on the server's wg0. */
  wg(...args: string[]): string {
    return this.server.exec('wg', args);
  }

  writeConfig(text: string): string {
    const path = join(this.dir, `${this.ifname}.conf`);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  }

  destroy(): void {
    for (const c of this.extraServers) if (c.exitCode === null) c.kill('SIGKILL');
    this.client?.destroy();
    this.server?.destroy();
    for (const f of [`/run/wiredesk/${this.ifname}.journal`, `/run/wiredesk/${this.ifname}.engine-output`, `/var/run/wireguard/${this.ifname}.sock`, WG0_SOCKET]) {
      rmSync(f, { force: true });
    }
    rmSync(this.dir, { recursive: true, force: true });
    releaseLock();
  }
}

/** One lab at a time on this host: the lock names its owner, and a dead owner's lock is taken over. */
function takeLock(): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(LOCK, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = Number(readFileSync(LOCK, 'utf8').trim());
      if (owner > 0 && isAlive(owner)) throw new Error(`Another demo-server test (pid ${owner}) holds ${LOCK}, and with it wg0.`, { cause: e });
      rmSync(LOCK, { force: true });
    }
  }
  throw new Error(`Could not take ${LOCK}.`);
}

function releaseLock(): void {
  try {
    if (readFileSync(LOCK, 'utf8').trim() === String(process.pid)) rmSync(LOCK, { force: true });
  } catch { /* not ours, or gone */ }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
