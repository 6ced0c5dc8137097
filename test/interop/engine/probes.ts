// Probes the engine interop tests put around a tunnel: a UDP sender and
// listener inside a namespace (udp-tool.ts), and a tcpdump capture whose
// datagrams the tests can replay byte for byte.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Netns } from '../../support/netns.js';
import { UDP_TOOL, attempt, sleep } from './topology.js';

/** Sends each datagram from a fresh UDP socket in `ns` (bound to `bind` if given); returns how many left. */
export function sendDatagrams(ns: Netns, host: string, port: number, datagrams: readonly Uint8Array[],
  bind?: { address: string; port?: number }): number {
  const dir = mkdtempSync(join(tmpdir(), 'wd-udp-'));
  try {
    const parts: Buffer[] = [];
    for (const d of datagrams) {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(d.length);
      parts.push(len, Buffer.from(d));
    }
    const file = join(dir, 'datagrams');
    writeFileSync(file, Buffer.concat(parts));
    const extra = bind ? [bind.address, ...(bind.port === undefined ? [] : [String(bind.port)])] : [];
    const r = attempt(ns, process.execPath, [UDP_TOOL, 'send', host, String(port), file, ...extra], 120_000);
    const m = /sent (\d+)/.exec(r.stdout);
    if (r.code !== 0 || !m) throw new Error(`udp-tool send failed (${r.code}): ${r.stderr}`);
    return Number(m[1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Heard { count: number; sizes: number[]; first: string }

/** A UDP listener in `ns`; `result` resolves after `ms` with what arrived. */
export async function listenUdp(ns: Netns, host: string, port: number, ms: number): Promise<{ result: Promise<Heard> }> {
  const child = spawn('ip', ['netns', 'exec', ns.name, process.execPath, UDP_TOOL, 'listen', host, String(port), String(ms)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!out.startsWith('ready\n')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`udp-tool listen on ${host}:${port} did not start: ${err}`);
    }
    await sleep(20);
  }
  const result = (async () => {
    const done = await Promise.race([ended.then(() => true), sleep(ms + 10_000).then(() => false)]);
    if (!done) child.kill('SIGKILL');
    const line = out.split('\n')[1];
    if (!line) throw new Error(`udp-tool listen gave no result: ${err}`);
    return JSON.parse(line) as Heard;
  })();
  return { result };
}

export interface CapturedDatagram { srcPort: number; dstPort: number; payload: Buffer }

/** tcpdump writing a pcap file in a namespace; `stop` returns the UDP datagrams it saw. */
export class Capture {
  private readonly dir = mkdtempSync(join(tmpdir(), 'wd-pcap-'));
  private readonly file = join(this.dir, 'capture.pcap');
  private readonly child: ChildProcess;
  private readonly ended: Promise<void>;
  private err = '';

  private constructor(ns: Netns, iface: string, filter: string) {
    this.child = spawn('ip', ['netns', 'exec', ns.name, 'tcpdump', '--immediate-mode', '-U', '-n', '-i', iface, '-w', this.file, filter], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child.stderr?.on('data', (d: Buffer) => { this.err += d.toString(); });
    this.ended = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  static async start(ns: Netns, iface: string, filter: string): Promise<Capture> {
    const c = new Capture(ns, iface, filter);
    const deadline = Date.now() + 10_000;
    while (!c.err.includes('listening on')) {
      if (c.child.exitCode !== null || Date.now() > deadline) {
        c.child.kill('SIGKILL');
        throw new Error(`tcpdump did not start: ${c.err}`);
      }
      await sleep(20);
    }
    return c;
  }

  async stop(): Promise<CapturedDatagram[]> {
    this.child.kill('SIGINT');
    const done = await Promise.race([this.ended.then(() => true), sleep(5000).then(() => false)]);
    if (!done) this.child.kill('SIGKILL');
    try {
      return parsePcapUdp(readFileSync(this.file));
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

/** The UDP datagrams in a pcap file (Ethernet, as on lo and veth, or Linux cooked). */
export function parsePcapUdp(pcap: Buffer): CapturedDatagram[] {
  if (pcap.length < 24) return [];
  const magic = pcap.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const u32 = (o: number) => (le ? pcap.readUInt32LE(o) : pcap.readUInt32BE(o));
  const linkType = u32(20);
  const linkHeader = linkType === 1 ? 14 : linkType === 113 ? 16 : linkType === 276 ? 20 : linkType === 101 ? 0 : -1;
  if (linkHeader < 0) throw new Error(`unsupported pcap link type ${linkType}`);
  const out: CapturedDatagram[] = [];
  for (let off = 24; off + 16 <= pcap.length;) {
    const incl = u32(off + 8);
    const frame = pcap.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    const ip = frame.subarray(linkHeader);
    const version = ip[0]! >> 4;
    let udp: Buffer;
    if (version === 4 && ip[9] === 17) udp = ip.subarray((ip[0]! & 0x0f) * 4);
    else if (version === 6 && ip[6] === 17) udp = ip.subarray(40);
    else continue;
    const len = udp.readUInt16BE(4);
    out.push({ srcPort: udp.readUInt16BE(0), dstPort: udp.readUInt16BE(2), payload: Buffer.from(udp.subarray(8, len)) });
  }
  return out;
}

/** Sends `datagrams` round and round from `ns` at `rate` per second for `seconds` (or until `stop`).
 *  `cookies` resolves once ten cookie replies came back to the flood's socket, which shows the
 *  target is under load; `done` resolves to what was sent and how many cookie replies came back. */
export function flood(ns: Netns, host: string, port: number, datagrams: readonly Uint8Array[], seconds: number,
  rate: number): { cookies: Promise<void>; stop: () => void; done: Promise<{ sent: number; cookies: number }> } {
  const dir = mkdtempSync(join(tmpdir(), 'wd-flood-'));
  const file = join(dir, 'datagrams');
  writeFileSync(file, Buffer.concat(datagrams.flatMap((d) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(d.length);
    return [len, Buffer.from(d)];
  })));
  const child = spawn('ip', ['netns', 'exec', ns.name, process.execPath, UDP_TOOL, 'flood', host, String(port), file,
    String(seconds), String(rate)], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  let onCookies: () => void = () => {};
  let onFail: (e: Error) => void = () => {};
  const cookies = new Promise<void>((resolve, reject) => {
    onCookies = resolve;
    onFail = reject;
  });
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('cookies\n')) onCookies();
  });
  const done = new Promise<{ sent: number; cookies: number }>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 10) * 1000);
    child.once('exit', () => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      const m = /sent (\d+) cookies (\d+)/.exec(out);
      onFail(new Error(`no cookie replies came back to the flood: ${out.trim()}`));
      resolve({ sent: Number(m?.[1] ?? 0), cookies: Number(m?.[2] ?? 0) });
    });
  });
  return { cookies, stop: () => child.kill('SIGTERM'), done };
}
