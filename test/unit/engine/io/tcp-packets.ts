// Hand-built TCP/IP packets with valid checksums, for the GRO tests.

export function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

export function sum16(b: Uint8Array, start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i += 2) s += (b[i]! << 8) | (i + 1 < end ? b[i + 1]! : 0);
  return s;
}

export interface TcpSpec {
  v6?: boolean;
  seq: number;
  ack?: number;
  flags?: number; // default ACK
  id?: number; // IPv4 identification
  payload: Uint8Array | number;
  options?: Uint8Array; // multiple of 4 bytes
  srcPort?: number;
  dstPort?: number;
  ttl?: number;
}

export const ACK = 0x10;
export const PSH = 0x08;
export const SYN = 0x02;

/** 10.0.0.1:40000 -> 10.0.0.2:5201 (or fd00::1 -> fd00::2), checksums valid. */
export function tcpPacket(spec: TcpSpec): Buffer {
  const data = typeof spec.payload === 'number' ? Buffer.alloc(spec.payload, 0x5a) : Buffer.from(spec.payload);
  const opts = spec.options ?? new Uint8Array(0);
  const ipHl = spec.v6 ? 40 : 20;
  const tcpHl = 20 + opts.length;
  const p = Buffer.alloc(ipHl + tcpHl + data.length);
  if (spec.v6) {
    p.writeUInt32BE(0x60000000, 0);
    p.writeUInt16BE(tcpHl + data.length, 4);
    p[6] = 6;
    p[7] = spec.ttl ?? 64;
    p[8] = 0xfd; p[23] = 1;
    p[24] = 0xfd; p[39] = 2;
  } else {
    p[0] = 0x45;
    p.writeUInt16BE(p.length, 2);
    p.writeUInt16BE(spec.id ?? 1, 4);
    p.writeUInt16BE(0x4000, 6); // DF
    p[8] = spec.ttl ?? 64;
    p[9] = 6;
    p.set([10, 0, 0, 1, 10, 0, 0, 2], 12);
    p.writeUInt16BE(~fold(sum16(p, 0, 20)) & 0xffff, 10);
  }
  const t = ipHl;
  p.writeUInt16BE(spec.srcPort ?? 40000, t);
  p.writeUInt16BE(spec.dstPort ?? 5201, t + 2);
  p.writeUInt32BE(spec.seq >>> 0, t + 4);
  p.writeUInt32BE((spec.ack ?? 1000) >>> 0, t + 8);
  p[t + 12] = (tcpHl / 4) << 4;
  p[t + 13] = spec.flags ?? ACK;
  p.writeUInt16BE(65535, t + 14);
  p.set(opts, t + 20);
  p.set(data, t + tcpHl);
  p.writeUInt16BE(tcpChecksum(p, ipHl), t + 16);
  return p;
}

/** The TCP checksum of a packet (its checksum field counted as zero). */
export function tcpChecksum(p: Buffer, ipHl: number): number {
  const tcpLen = p.length - ipHl;
  const saved = p.readUInt16BE(ipHl + 16);
  p.writeUInt16BE(0, ipHl + 16);
  const pseudo = ipHl === 40 ? sum16(p, 8, 40) : sum16(p, 12, 20);
  const sum = pseudo + tcpLen + 6 + sum16(p, ipHl, p.length);
  p.writeUInt16BE(saved, ipHl + 16);
  return ~fold(sum) & 0xffff;
}
