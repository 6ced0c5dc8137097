// What leaves a namespace on its physical (veth) link: tcpdump writes a pcap
// file, which is read back here and decoded just far enough to say who sent
// what to whom (addresses, protocol, ports, ICMP type).
//
// No sleeps decide what was seen: stop() has a marker frame sent from the
// other end of the link and waits until the file holds it. Everything sent
// before the marker was handed to the capture first (a veth transmits, and
// shows the frame to packet sockets, inside the sending system call), so once
// the marker is in the file, so is everything before it.
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { formatIp } from '../../../shared/config/index.js';
import type { Netns } from '../../support/netns.js';
import { waitFor } from '../../support/netns.js';

export interface Packet {
  /** The frame's Ethernet source is the capturing side's own MAC. */
  out: boolean;
  family: 4 | 6;
  proto: 'udp' | 'tcp' | 'icmp' | 'icmp6' | `ip-proto-${number}`;
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  icmpType?: number;
  payload: Buffer;
}

export function describePacket(p: Packet): string {
  const port = (a: string, n?: number) => (n === undefined ? a : p.family === 6 ? `[${a}]:${n}` : `${a}:${n}`);
  const icmp = p.icmpType !== undefined ? ` type ${p.icmpType}` : '';
  return `${p.out ? 'out' : 'in'} ${p.proto}${icmp} ${port(p.src, p.sport)} -> ${port(p.dst, p.dport)}`;
}

const MARKER_PORT = 9;

export class UnderlayCapture {
  private constructor(
    private readonly child: ChildProcess,
    private readonly file: string,
    private readonly mac: string,
    private readonly markerFrom: Netns,
    private readonly broadcast: string,
  ) {}

  /**
   * Starts tcpdump on `ifname` in `ns` and resolves once it listens.
   * `markerFrom` is the namespace at the other end of the link, `broadcast`
   * the link's IPv4 broadcast address (a broadcast marker gets no answer).
   */
  static async start(ns: Netns, ifname: string, file: string, markerFrom: Netns, broadcast: string): Promise<UnderlayCapture> {
    const link = JSON.parse(ns.exec('ip', ['-j', 'link', 'show', 'dev', ifname])) as { address: string }[];
    const child = ns.spawn('tcpdump', ['-i', ifname, '-n', '-U', '--immediate-mode', '-Z', 'root', '-w', file]);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    await waitFor(() => /listening on/.test(stderr) || child.exitCode !== null, 20_000, `tcpdump on ${ifname}`);
    if (child.exitCode !== null) throw new Error(`tcpdump did not start: ${stderr}`);
    return new UnderlayCapture(child, file, link[0]!.address.toLowerCase(), markerFrom, broadcast);
  }

  /** Sends the marker, waits until the capture holds it, stops tcpdump and returns every frame before the marker. */
  async stop(): Promise<Packet[]> {
    const token = `wiredesk-capture-marker-${process.pid}-${Date.now()}`;
    const send = `const s=require('node:dgram').createSocket('udp4');s.bind(()=>{s.setBroadcast(true);`
      + `s.send(${JSON.stringify(token)},${MARKER_PORT},${JSON.stringify(this.broadcast)},(e)=>{if(e)throw e;s.close();});});`;
    const isMarker = (p: Packet) => p.proto === 'udp' && p.dport === MARKER_PORT && p.payload.toString().includes(token);
    let packets: Packet[] = [];
    await waitFor(() => {
      this.markerFrom.exec(process.execPath, ['-e', send]);
      packets = this.read();
      return packets.some(isMarker);
    }, 20_000, 'the capture marker');
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    await exited;
    return packets.slice(0, packets.findIndex(isMarker));
  }

  /** Kills tcpdump if it still runs (for finally blocks). */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }

  private read(): Packet[] {
    if (!existsSync(this.file)) return [];
    return parsePcap(readFileSync(this.file), this.mac);
  }
}

/** Decodes a classic pcap file of Ethernet frames; a record cut short at the end is left out. */
export function parsePcap(buf: Buffer, ownMac: string): Packet[] {
  if (buf.length < 24) return [];
  const magic = buf.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && buf.readUInt32BE(0) !== 0xa1b2c3d4 && buf.readUInt32BE(0) !== 0xa1b23c4d) throw new Error('not a pcap file');
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  if (u32(20) !== 1) throw new Error(`link type ${u32(20)}, not Ethernet`);
  const out: Packet[] = [];
  for (let o = 24; o + 16 <= buf.length;) {
    const len = u32(o + 8);
    if (o + 16 + len > buf.length) break;
    const p = decodeEthernet(buf.subarray(o + 16, o + 16 + len), ownMac);
    if (p) out.push(p);
    o += 16 + len;
  }
  return out;
}

function mac(b: Buffer): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

function decodeEthernet(f: Buffer, ownMac: string): Packet | null {
  if (f.length < 14) return null;
  const isOut = mac(f.subarray(6, 12)) === ownMac;
  const type = f.readUInt16BE(12);
  const ip = f.subarray(14);
  if (type === 0x0800 && ip.length >= 20) {
    const ihl = (ip[0]! & 0x0f) * 4;
    return transport(isOut, 4, ip[9]!, formatIp(ip.subarray(12, 16)), formatIp(ip.subarray(16, 20)), ip.subarray(ihl));
  }
  if (type === 0x86dd && ip.length >= 40) {
    let next = ip[6]!;
    let rest = ip.subarray(40);
    // Hop-by-hop (MLD reports carry one), routing and destination options.
    while ((next === 0 || next === 43 || next === 60) && rest.length >= 8) {
      const len = (rest[1]! + 1) * 8;
      next = rest[0]!;
      rest = rest.subarray(len);
    }
    return transport(isOut, 6, next, formatIp(ip.subarray(8, 24)), formatIp(ip.subarray(24, 40)), rest);
  }
  return null; // ARP and other link-layer frames
}

function transport(out: boolean, family: 4 | 6, proto: number, src: string, dst: string, l4: Buffer): Packet {
  const base = { out, family, src, dst };
  if ((proto === 17 || proto === 6) && l4.length >= 4) {
    const payload = proto === 17 ? l4.subarray(8) : l4.subarray(Math.min(l4.length, ((l4[12] ?? 0x50) >> 4) * 4));
    return { ...base, proto: proto === 17 ? 'udp' : 'tcp', sport: l4.readUInt16BE(0), dport: l4.readUInt16BE(2), payload };
  }
  if ((proto === 1 || proto === 58) && l4.length >= 1) {
    return { ...base, proto: proto === 1 ? 'icmp' : 'icmp6', icmpType: l4[0]!, payload: l4.subarray(4) };
  }
  return { ...base, proto: `ip-proto-${proto}`, payload: l4 };
}
