// Hand-built IP packets for TUN tests and benchmarks: what a peer's decrypted
// traffic looks like when the engine writes it to the TUN device.
import { fold, sum16 } from '../../unit/engine/io/tcp-packets.js';

/** An IPv4/UDP packet with a valid header checksum (UDP checksum 0: none, allowed on IPv4). */
export function ipv4UdpPacket(src: number[], dst: number[], srcPort: number, dstPort: number, payload: number | Uint8Array): Buffer {
  const data = typeof payload === 'number' ? Buffer.alloc(payload, 0x61) : payload;
  const p = Buffer.alloc(28 + data.length);
  p[0] = 0x45;
  p.writeUInt16BE(p.length, 2);
  p[8] = 64; // TTL
  p[9] = 17; // UDP
  p.set(src, 12);
  p.set(dst, 16);
  p.writeUInt16BE(~fold(sum16(p, 0, 20)) & 0xffff, 10);
  p.writeUInt16BE(srcPort, 20);
  p.writeUInt16BE(dstPort, 22);
  p.writeUInt16BE(8 + data.length, 24);
  p.set(data, 28);
  return p;
}

/** UDP ports and payload of an IPv4/UDP packet, or null if it is something else. */
export function parseIpv4Udp(p: Uint8Array): { src: string; dst: string; srcPort: number; dstPort: number; payload: Buffer } | null {
  if (p.length < 28 || p[0]! >> 4 !== 4 || p[9] !== 17) return null;
  const b = Buffer.from(p.buffer, p.byteOffset, p.length);
  const ihl = (p[0]! & 0xf) * 4;
  return {
    src: Array.from(p.subarray(12, 16)).join('.'),
    dst: Array.from(p.subarray(16, 20)).join('.'),
    srcPort: b.readUInt16BE(ihl),
    dstPort: b.readUInt16BE(ihl + 2),
    payload: Buffer.from(b.subarray(ihl + 8, b.readUInt16BE(2))),
  };
}
