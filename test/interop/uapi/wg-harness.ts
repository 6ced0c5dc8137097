// Interop harness: our UAPI server at /var/run/wireguard/IFNAME.sock backed
// by a MemoryDevice, driven by the real wg(8); and a real wireguard-go in a
// private network namespace to compare bytes with. Needs root, wg and
// wireguard-go (CI installs wireguard-tools and wireguard-go).

import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startUapiServer, type UapiServer } from '../../../tunnel-helper/src/engine/uapi/server.js';
import { MemoryDevice } from '../../../tunnel-helper/src/engine/uapi/memory-device.js';
import { SOCKET_DIRECTORY, uapiSocketPath } from '../../../tunnel-helper/src/engine/uapi/socket-file.js';

const have = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Why these tests cannot run here, or null when they can. */
export function interopSkipReason(needWgGo = false): string | null {
  if (process.getuid?.() !== 0) return 'needs root (the socket lives in /var/run/wireguard)';
  if (!have('wg')) return 'needs wg from wireguard-tools';
  if (needWgGo && !have('wireguard-go')) return 'needs wireguard-go';
  return null;
}

let counter = 0;
/** A short interface name unique to this process (IFNAMSIZ is 16). */
export function uniqueIfname(tag: string): string {
  return `wd${tag}${process.pid % 100000}${(counter++).toString(36)}`.slice(0, 15);
}

export interface WgResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs wg asynchronously: our server lives in this same process. */
export function wg(...args: string[]): Promise<WgResult> {
  return new Promise((resolve) => {
    execFile('wg', args, { maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs wg and insists on success. */
export async function wgOk(...args: string[]): Promise<string> {
  const r = await wg(...args);
  if (r.code !== 0) throw new Error(`wg ${args.join(' ').slice(0, 200)} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

export interface TestDevice {
  ifname: string;
  device: MemoryDevice;
  server: UapiServer;
  close(): Promise<void>;
}

/** Our server for interface `ifname`, as wiredesk-tunnel would serve it. */
export async function startTestDevice(ifname: string): Promise<TestDevice> {
  const device = new MemoryDevice();
  const server = await startUapiServer(uapiSocketPath(ifname), device);
  return { ifname, device, server, close: () => server.close() };
}

/** A scratch directory for config files, removed by `cleanup`. */
export function scratch(): { file: (name: string, text: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wd-uapi-interop-'));
  return {
    file: (name, text) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface ReferenceWgGo {
  ifname: string;
  socketPath: string;
  stop(): Promise<void>;
}

/** Starts the real wireguard-go in a namespace of its own (its TUN and UDP stay there). */
export async function startReferenceWgGo(): Promise<ReferenceWgGo> {
  const ifname = uniqueIfname('ref');
  const netns = `wduapi-${ifname}`;
  const socketPath = join(SOCKET_DIRECTORY, `${ifname}.sock`);
  spawnSync('ip', ['netns', 'del', netns], { stdio: 'ignore' });
  const add = spawnSync('ip', ['netns', 'add', netns]);
  if (add.status !== 0) throw new Error(`ip netns add ${netns} failed: ${add.stderr.toString()}`);
  const child: ChildProcess = spawn('ip', ['netns', 'exec', netns, 'wireguard-go', '-f', ifname], {
    stdio: 'ignore',
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    spawnSync('ip', ['netns', 'del', netns], { stdio: 'ignore' });
    rmSync(socketPath, { force: true });
  };
  for (let i = 0; i < 100 && !existsSync(socketPath); i++) await new Promise((r) => setTimeout(r, 50));
  if (!existsSync(socketPath)) {
    await stop();
    throw new Error(`wireguard-go did not create ${socketPath}`);
  }
  return { ifname, socketPath, stop };
}

/**
 * A get reply with its peers sorted: wireguard-go keeps peers in a Go map,
 * so their order changes from one get to the next.
 */
export function canonicalGet(reply: string): string {
  const body = reply.replace(/errno=0\n\n$/, '');
  const parts = body.split(/(?=^public_key=)/m);
  const head = parts[0]?.startsWith('public_key=') ? '' : (parts.shift() ?? '');
  return head + parts.sort().join('') + 'errno=0\n\n';
}
