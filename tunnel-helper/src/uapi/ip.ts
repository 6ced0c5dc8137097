// Numeric IP addresses, prefixes and endpoints as wg-go reads and prints them
// (Go's net/netip): strict dotted quads with no leading zeros, RFC 4291 IPv6
// with one `::` and an optional trailing dotted quad, RFC 5952 output, and
// IPv4-mapped addresses printed as `::ffff:1.2.3.4`. Parsers return null on
// any malformed input; they never throw.

import type { Endpoint, Prefix } from './device-api.js';
import { parseDecimal } from './decimal.js';

const DIGITS = /^[0-9]+$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

export function parseIPv4(s: string): Uint8Array | null {
  // A hand-rolled scan: a large set request is hundreds of thousands of these.
  const out = new Uint8Array(4);
  let field = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46; // a final '.' closes the last field
    if (c === 46) {
      if (digits === 0 || field > 3) return null;
      out[field++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) return null; // Go rejects octal-looking octets
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return null;
    } else {
      return null;
    }
  }
  return field === 4 ? out : null;
}

/** Parses an IPv6 address with an optional `%zone`. */
export function parseIPv6(s: string): { ip: Uint8Array; zone: string | null } | null {
  let zone: string | null = null;
  const pct = s.indexOf('%');
  if (pct !== -1) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === '') return null;
  }
  const ip = parseIPv6Bytes(s);
  return ip ? { ip, zone } : null;
}

function parseIPv6Bytes(s: string): Uint8Array | null {
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = groupsToBytes(halves[0] ?? '', halves.length === 1);
  if (!head) return null;
  if (halves.length === 1) return head.length === 16 ? head : null;
  const tail = groupsToBytes(halves[1] ?? '', true);
  if (!tail || head.length + tail.length > 14) return null; // `::` stands for at least one group
  const out = new Uint8Array(16);
  out.set(head, 0);
  out.set(tail, 16 - tail.length);
  return out;
}

/** Colon-separated hex groups; a dotted quad may end the last part. */
function groupsToBytes(s: string, mayEndWithIPv4: boolean): Uint8Array | null {
  if (s === '') return new Uint8Array(0);
  const groups = s.split(':');
  const bytes: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] ?? '';
    if (mayEndWithIPv4 && i === groups.length - 1 && g.includes('.')) {
      const v4 = parseIPv4(g);
      if (!v4) return null;
      bytes.push(...v4);
    } else if (HEX_GROUP.test(g)) {
      const v = parseInt(g, 16);
      bytes.push(v >> 8, v & 0xff);
    } else {
      return null;
    }
    if (bytes.length > 16) return null;
  }
  return Uint8Array.from(bytes);
}

/** An address of either family, without a zone (as in a prefix). */
export function parseAddr(s: string): { family: 4 | 6; ip: Uint8Array } | null {
  if (s.includes(':')) {
    const v6 = parseIPv6(s);
    return v6 && v6.zone === null ? { family: 6, ip: v6.ip } : null;
  }
  const v4 = parseIPv4(s);
  return v4 ? { family: 4, ip: v4 } : null;
}

/** `addr/bits`; host bits are cleared, as wg-go's allowed-IPs trie does on insert. */
export function parsePrefix(s: string): Prefix | null {
  const slash = s.lastIndexOf('/');
  if (slash === -1) return null;
  const addr = parseAddr(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (!addr || bits.length < 1 || bits.length > 3 || !DIGITS.test(bits)) return null;
  const cidr = Number(bits);
  if (cidr > addr.ip.length * 8) return null;
  maskInPlace(addr.ip, cidr);
  return { family: addr.family, ip: addr.ip, cidr };
}

/** Clears every bit after the first `cidr`. */
export function maskInPlace(ip: Uint8Array, cidr: number): Uint8Array {
  for (let i = 0; i < ip.length; i++) {
    const keep = Math.max(0, Math.min(8, cidr - i * 8));
    ip[i] = (ip[i] ?? 0) & ((0xff << (8 - keep)) & 0xff);
  }
  return ip;
}

/** `1.2.3.4:51820` or `[v6%zone]:51820`; brackets are required exactly for IPv6. */
export function parseEndpoint(s: string): Endpoint | null {
  const colon = s.lastIndexOf(':');
  if (colon <= 0) return null;
  let host = s.slice(0, colon);
  const portText = s.slice(colon + 1);
  const port = parseDecimal(portText, 65535);
  if (port === null) return null;
  if (host.startsWith('[')) {
    if (host.length < 2 || !host.endsWith(']')) return null;
    host = host.slice(1, -1);
    const v6 = parseIPv6(host);
    if (!v6 || (v6.zone !== null && !isZoneName(v6.zone))) return null;
    return { family: 6, ip: v6.ip, port, zone: v6.zone };
  }
  const v4 = parseIPv4(host);
  return v4 ? { family: 4, ip: v4, port, zone: null } : null;
}

/** An interface name (IFNAMSIZ - 1 bytes, no `/` or spaces) or an index. */
function isZoneName(zone: string): boolean {
  if (DIGITS.test(zone)) return parseDecimal(zone, 0xffffffff) !== null;
  return zone.length <= 15 && /^[\x21-\x7e]+$/.test(zone) && !zone.includes('/');
}

export function formatIPv4(ip: Uint8Array): string {
  return `${ip[0] ?? 0}.${ip[1] ?? 0}.${ip[2] ?? 0}.${ip[3] ?? 0}`;
}

/** RFC 5952: lowercase, the first longest run of two or more zero groups becomes `::`. */
export function formatIPv6(ip: Uint8Array): string {
  if (isIPv4Mapped(ip)) return `::ffff:${formatIPv4(ip.subarray(12))}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((ip[i] ?? 0) << 8) | (ip[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = (g: number[]): string => g.map((v) => v.toString(16)).join(':');
  if (bestStart === -1) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLen))}`;
}

function isIPv4Mapped(ip: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return false;
  return ip[10] === 0xff && ip[11] === 0xff;
}

export function formatAddr(ip: Uint8Array): string {
  return ip.length === 4 ? formatIPv4(ip) : formatIPv6(ip);
}

/** As wg-go prints an allowed IP: `10.0.0.0/8`, `fd00::/64`. */
export function formatPrefix(p: { ip: Uint8Array; cidr: number }): string {
  return `${formatAddr(p.ip)}/${p.cidr}`;
}

/** As wg-go's DstToString: IPv6 in brackets, the zone dropped. */
export function formatEndpoint(e: { ip: Uint8Array; port: number }): string {
  return e.ip.length === 4 ? `${formatIPv4(e.ip)}:${e.port}` : `[${formatIPv6(e.ip)}]:${e.port}`;
}
