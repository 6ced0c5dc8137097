// IP addresses and CIDR prefixes as bytes, parsed as strictly as inet_pton
// (which `wg` uses for AllowedIPs) and printed in RFC 5952 canonical form.
// Pure: the engine, the UAPI layer and the renderer all reuse it.

export type IpFamily = 4 | 6;

export interface IpAddress {
  readonly family: IpFamily;
  /** 4 or 16 bytes, network order. */
  readonly bytes: Uint8Array;
}

export interface Cidr extends IpAddress {
  /** Prefix length: 0-32 for IPv4, 0-128 for IPv6. */
  readonly cidr: number;
}

const IPV4_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? '';
    // inet_pton rejects leading zeros ("010" could mean octal elsewhere).
    if (!IPV4_OCTET.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseGroups(text: string): number[] | null {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    // A dotted IPv4 tail ("::ffff:192.0.2.1") counts as two groups.
    if (i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (!v4) return null;
      groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      continue;
    }
    if (!HEX_GROUP.test(part)) return null;
    groups.push(parseInt(part, 16));
  }
  return groups;
}

function parseIpv6(text: string): Uint8Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = parseGroups(halves[0] ?? '');
  if (!head) return null;
  let groups: number[];
  if (halves.length === 2) {
    const tailText = halves[1] ?? '';
    // The IPv4 tail may only end the address, never precede "::".
    if ((halves[0] ?? '').includes('.')) return null;
    const tail = parseGroups(tailText);
    if (!tail) return null;
    // "::" stands for at least one zero group.
    if (head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    if (head.length !== 8) return null;
    groups = head;
  }
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/** Parses a numeric IPv4 or IPv6 address (no zone, no brackets); null if invalid. */
export function parseIp(text: string): IpAddress | null {
  if (text.includes(':')) {
    const bytes = parseIpv6(text);
    return bytes ? { family: 6, bytes } : null;
  }
  const bytes = parseIpv4(text);
  return bytes ? { family: 4, bytes } : null;
}

function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  // IPv4-mapped addresses keep their dotted tail (RFC 5952 §5).
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${formatIpv4(bytes.subarray(12))}`;
  }
  // Compress the longest run (first one on a tie) of two or more zero groups.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

function formatIpv4(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 4)).join('.');
}

/** Formats 4 or 16 bytes; IPv6 comes out compressed and lower-case (RFC 5952). */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return formatIpv4(bytes);
  if (bytes.length === 16) return formatIpv6(bytes);
  throw new RangeError(`An IP address has 4 or 16 bytes, not ${bytes.length}.`);
}

/** Parses `addr/len` or a bare address (which gets a full-length prefix), as `wg` does. */
export function parseCidr(text: string): Cidr | null {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return null;
  const max = ip.family === 4 ? 32 : 128;
  if (slash < 0) return { ...ip, cidr: max };
  const lenText = text.slice(slash + 1);
  // `wg` uses strtoul after a digit check, so leading zeros ("/024") are fine.
  if (!/^[0-9]{1,5}$/.test(lenText)) return null;
  const cidr = Number(lenText);
  if (cidr > max) return null;
  return { ...ip, cidr };
}

export function formatCidr(prefix: Cidr): string {
  return `${formatIp(prefix.bytes)}/${prefix.cidr}`;
}

/** The prefix with its host bits cleared (10.0.0.1/24 -> 10.0.0.0/24). */
export function maskCidr(prefix: Cidr): Cidr {
  const bytes = prefix.bytes.slice();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, prefix.cidr - i * 8));
    bytes[i] = (bytes[i] ?? 0) & ((0xff << (8 - keep)) & 0xff);
  }
  return { family: prefix.family, bytes, cidr: prefix.cidr };
}

export function hasHostBits(prefix: Cidr): boolean {
  const masked = maskCidr(prefix);
  return masked.bytes.some((b, i) => b !== prefix.bytes[i]);
}

/** True when one prefix contains the other (same family); equal prefixes overlap. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const shorter = Math.min(a.cidr, b.cidr);
  const ma = maskCidr({ ...a, cidr: shorter });
  const mb = maskCidr({ ...b, cidr: shorter });
  return ma.bytes.every((byte, i) => byte === mb.bytes[i]);
}

export function sameCidr(a: Cidr, b: Cidr): boolean {
  return a.family === b.family && a.cidr === b.cidr && a.bytes.every((byte, i) => byte === b.bytes[i]);
}
