// The netconfig topology (../netconfig/topology.ts) plus what split
// tunneling tests need:
//
//   peer ns: a second wireguard-go interface (tunnel B: 192.168.202.1/24,
//            port 51821) beside tunnel A's, and FAR_V4 on lo, which the
//            client reaches only by its default route (no more specific
//            route in main, so a /0 tunnel takes it);
//   client:  unprivileged ping for every group, so an exec'd ping runs as
//            `nobody`.
// `wiredesk exec` runs as root with SUDO_UID/SUDO_GID of `nobody`, the way
// sudo starts it, in one of two cgroup layouts:
//   hybrid   nsenter --net: this host's mounts, cgroup2 at /sys/fs/cgroup/unified;
//   unified  ip netns exec (a fresh /sys) with cgroup2 mounted at /sys/fs/cgroup.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { wiredeskBin } from '../../support/cli.js';
import { wgKeyPair, withTopology, type Topology } from '../netconfig/topology.js';

export const FAR_V4 = '198.19.55.1';
/** FAR_V4's IPv6 twin: also reached only by the default route. */
export const FAR_V6 = '2001:db8:55::1';
export const B_PORT = 51821;
export const B_PEER_V4 = '192.168.202.1';
export const B_CLIENT_V4 = '192.168.202.2';
export const NOBODY = 65534;
export type Layout = 'hybrid' | 'unified';

export interface TunnelB { ifname: string; peerIf: string; config: string }

/** Adds FAR_V4 and tunnel B's wireguard-go peer; returns B's client config path. */
export function addSplitPeers(t: Topology): TunnelB {
  t.client.exec('sysctl', ['-q', '-w', 'net.ipv4.ping_group_range=0 2147483647']);
  t.peer.exec('ip', ['addr', 'add', `${FAR_V4}/32`, 'dev', 'lo']);
  t.peer.exec('ip', ['-6', 'addr', 'add', `${FAR_V6}/128`, 'dev', 'lo', 'nodad']);
  const ifname = `${t.ifname.slice(0, 14)}b`;
  const peerIf = `${t.peerIf.slice(0, 14)}b`;
  t.extraNames.push(ifname, peerIf);
  const client = wgKeyPair();
  const peer = wgKeyPair();
  t.peer.exec('wireguard-go', [peerIf], { timeoutMs: 20_000 });
  const keyFile = join(t.dir, 'peer-b.key');
  writeFileSync(keyFile, `${peer.priv}\n`, { mode: 0o600 });
  t.peer.exec('wg', ['set', peerIf, 'private-key', keyFile, 'listen-port', String(B_PORT), 'peer', client.pub, 'allowed-ips', `${B_CLIENT_V4}/32`]);
  t.peer.exec('ip', ['addr', 'add', `${B_PEER_V4}/24`, 'dev', peerIf]);
  t.peer.exec('ip', ['link', 'set', peerIf, 'up']);
  // B carries everything but installs no route: only apps pinned to it use it.
  const config = t.writeConfig([
    '[Interface]', `PrivateKey = ${client.priv}`, `Address = ${B_CLIENT_V4}/24`, 'Table = off', '',
    '[Peer]', `PublicKey = ${peer.pub}`, `Endpoint = 10.201.0.1:${B_PORT}`, 'AllowedIPs = 0.0.0.0/0', 'PersistentKeepalive = 1', '',
  ].join('\n'), ifname);
  return { ifname, peerIf, config };
}

function cliCommand(t: Topology, layout: Layout, args: string[]): string[] {
  return layout === 'hybrid'
    ? ['nsenter', `--net=/run/netns/${t.client.name}`, wiredeskBin, ...args]
    : ['ip', 'netns', 'exec', t.client.name, 'sh', '-c', 'mount -t cgroup2 none /sys/fs/cgroup && exec "$@"', 'sh', wiredeskBin, ...args];
}

function execEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, SUDO_UID: String(NOBODY), SUDO_GID: String(NOBODY), SUDO_USER: 'nobody', ...extra };
}

/** `wiredesk ARGS` as root in the client namespace, seeing the cgroups of `layout`; never throws. */
export function wiredeskIn(t: Topology, layout: Layout, args: string[], env: NodeJS.ProcessEnv = process.env): { status: number; stdout: string; stderr: string } {
  const [cmd, ...rest] = cliCommand(t, layout, args);
  const r = spawnSync(cmd!, rest, { encoding: 'utf8', timeout: 60_000, cwd: '/', env });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** `wiredesk exec ARGS` as `sudo` starts it for `nobody`; never throws. */
export function wiredeskExec(t: Topology, layout: Layout, args: string[], extraEnv: NodeJS.ProcessEnv = {}): { status: number; stdout: string; stderr: string } {
  return wiredeskIn(t, layout, ['exec', ...args], execEnv(extraEnv));
}

/** A long-running `wiredesk exec ARGS`, stdin and stdout piped. */
export function spawnWiredeskExec(t: Topology, layout: Layout, args: string[], extraEnv: NodeJS.ProcessEnv = {}): ChildProcess {
  const [cmd, ...rest] = cliCommand(t, layout, ['exec', ...args]);
  return spawn(cmd!, rest, { cwd: '/', env: execEnv(extraEnv), stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * A UDP sender, as a one-line program for `node -e`: each line on stdin
 * (or argv[1] once) is sent to HOST:PORT, and "sent LINE" or "error CODE LINE"
 * is printed.
 */
export function udpSenderJs(host: string, port: number): string {
  return `const d=require('node:dgram');const send=(m,done)=>{const s=d.createSocket('udp4');`
    + `s.send(m,${port},${JSON.stringify(host)},(e)=>{console.log(e?'error '+e.code+' '+m:'sent '+m);s.close();done&&done();});};`
    + `if(process.argv[1]){send(process.argv[1]);}else{require('node:readline').createInterface({input:process.stdin}).on('line',(l)=>send(l));}`;
}

/** A UDP listener, as a `node -e` program: prints "from ADDR PAYLOAD" per datagram and "listening" once bound. */
export function udpListenerJs(host: string, port: number): string {
  return `const s=require('node:dgram').createSocket('udp4');s.on('message',(m,r)=>console.log('from '+r.address+' '+m));`
    + `s.bind(${port},${JSON.stringify(host)},()=>console.log('listening'));`;
}

/**
 * What a failed test may leave behind: the split state of the client
 * namespace and the test's cgroups (their processes died with the namespace).
 * Call before the topology is destroyed.
 */
export function cleanSplit(t: Topology, parent: string): void {
  const inode = statSync(`/run/netns/${t.client.name}`).ino;
  rmSync(`/run/wiredesk/split-${inode}.state`, { force: true });
  for (const base of ['/sys/fs/cgroup/unified', '/sys/fs/cgroup']) {
    const dir = `${base}/${parent}`;
    if (!existsSync(dir)) continue;
    for (const leaf of readdirSync(dir, { withFileTypes: true })) if (leaf.isDirectory()) try { rmdirSync(`${dir}/${leaf.name}`); } catch { /* busy */ }
    try { rmdirSync(dir); } catch { /* busy */ }
  }
}

/** withTopology, with cleanSplit before the namespaces go. */
export function withSplitTopology(tag: string, parent: string, fn: (t: Topology) => Promise<void>): Promise<void> {
  return withTopology(tag, async (t) => {
    try {
      await fn(t);
    } finally {
      cleanSplit(t, parent);
    }
  });
}
