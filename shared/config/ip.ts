// IP addresses and CIDR prefixes as bytes: the one parser and printer of the
// whole tree. Parsing is as strict as inet_pton (which `wg` uses) and Go's
// net/netip (which wg-go uses); the two agree: dotted quads without leading
// zeros, RFC 4291 IPv6 with one `::` and an optional trailing dotted quad.
// Addresses print in two forms: RFC 5952 (`formatIp`, as wg-go prints them)
// and glibc's inet_ntop (`inetNtop`, as `wg show` prints them). A numeric
// endpoint (`parseIpEndpoint`) is read as UAPI carries it.
// Pure: the config library, the engine, UAPI, netconfig and the renderer use it.
import { parseDecimal } from './decimal.js';

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

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** A dotted quad's 4 bytes, or null. No leading zeros ("010" could mean octal elsewhere). */
export function parseIpv4(text: string): Uint8Array | null {
  // A hand-rolled scan: a large UAPI set request is hundreds of thousands of these.
  const out = new Uint8Array(4);
  let field = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46; // a final '.' closes the last field
    if (c === 46) {
      if (digits === 0 || field > 3) return null;
      out[field++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && value === 0) return null;
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return null;
    } else {
      return null;
    }
  }
  return field === 4 ? out : null;
}

/** An IPv6 address's 16 bytes and its `%zone` (null when it has none), or null. */
export function parseIpv6(text: string): { bytes: Uint8Array; zone: string | null } | null {
  let zone: string | null = null;
  const pct = text.indexOf('%');
  if (pct !== -1) {
    zone = text.slice(pct + 1);
    text = text.slice(0, pct);
    if (zone === '') return null;
  }
  const bytes = parseIpv6Bytes(text);
  return bytes ? { bytes, zone } : null;
}

function parseIpv6Bytes(text: string): Uint8Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  // The dotted tail may only end the address, never precede "::".
  const head = groupsToBytes(halves[0] ?? '', halves.length === 1);
  if (!head) return null;
  if (halves.length === 1) return head.length === 16 ? head : null;
  const tail = groupsToBytes(halves[1] ?? '', true);
  if (!tail || head.length + tail.length > 14) return null; // "::" stands for at least one group
  const out = new Uint8Array(16);
  out.set(head, 0);
  out.set(tail, 16 - tail.length);
  return out;
}

/** Colon-separated hex groups; a dotted quad may end the last part (two groups). */
function groupsToBytes(text: string, mayEndWithIpv4: boolean): Uint8Array | null {
  if (text === '') return new Uint8Array(0);
  const groups = text.split(':');
  const bytes: number[] = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] ?? '';
    if (mayEndWithIpv4 && i === groups.length - 1 && g.includes('.')) {
      const v4 = parseIpv4(g);
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

/** Parses a numeric IPv4 or IPv6 address (no zone, no brackets); null if invalid. */
export function parseIp(text: string): IpAddress | null {
  if (text.includes(':')) {
    const v6 = parseIpv6(text);
    return v6 && v6.zone === null ? { family: 6, bytes: v6.bytes } : null;
  }
  const bytes = parseIpv4(text);
  return bytes ? { family: 4, bytes } : null;
}

/** A numeric UDP endpoint, its IPv6 zone still text. */
export interface IpEndpoint {
  family: IpFamily;
  ip: Uint8Array;
  port: number;
  /** IPv6 zone as written (`eth0` or `3`), or null. */
  zone: string | null;
}

/**
 * `1.2.3.4:51820` or `[v6%zone]:51820`, as UAPI's `endpoint=` carries it:
 * brackets exactly for IPv6, the port as Go's ParseUint reads it, a zone an
 * interface name or index. Null on any other text; never throws.
 */
export function parseIpEndpoint(s: string): IpEndpoint | null {
  const colon = s.lastIndexOf(':');
  if (colon <= 0) return null;
  let host = s.slice(0, colon);
  const port = parseDecimal(s.slice(colon + 1), 65535);
  if (port === null) return null;
  if (host.startsWith('[')) {
    if (host.length < 2 || !host.endsWith(']')) return null;
    host = host.slice(1, -1);
    const v6 = parseIpv6(host);
    if (!v6 || (v6.zone !== null && !isZoneName(v6.zone))) return null;
    return { family: 6, ip: v6.bytes, port, zone: v6.zone };
  }
  const v4 = parseIpv4(host);
  return v4 ? { family: 4, ip: v4, port, zone: null } : null;
}

/** An interface name (IFNAMSIZ - 1 bytes, no `/` or spaces) or an index. */
function isZoneName(zone: string): boolean {
  if (/^[0-9]+$/.test(zone)) return parseDecimal(zone, 0xffffffff) !== null;
  return zone.length <= 15 && /^[\x21-\x7e]+$/.test(zone) && !zone.includes('/');
}

function formatIpv4(bytes: Uint8Array): string {
  return `${bytes[0] ?? 0}.${bytes[1] ?? 0}.${bytes[2] ?? 0}.${bytes[3] ?? 0}`;
}

function groupsOf(bytes: Uint8Array): number[] {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  return groups;
}

/** The first longest run of two or more zero groups, which `::` replaces; null if none. */
function zeroRun(groups: readonly number[]): { start: number; length: number } | null {
  let best: { start: number; length: number } | null = null;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i >= 2 && j - i > (best?.length ?? 0)) best = { start: i, length: j - i };
    i = j;
  }
  return best;
}

function isIpv4Mapped(groups: readonly number[]): boolean {
  return groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
}

/** Hex groups joined by `:`, with the zero run (if any) as `::`. */
function formatGroups(groups: readonly number[]): string {
  const hex = (g: readonly number[]): string => g.map((v) => v.toString(16)).join(':');
  const run = zeroRun(groups);
  if (!run) return hex(groups);
  return `${hex(groups.slice(0, run.start))}::${hex(groups.slice(run.start + run.length))}`;
}

/** Formats 4 or 16 bytes as RFC 5952 (and Go) print them: lower case, compressed, IPv4-mapped dotted (§5). */
export function formatIp(bytes: Uint8Array): string {
  if (bytes.length === 4) return formatIpv4(bytes);
  if (bytes.length !== 16) throw new RangeError(`An IP address has 4 or 16 bytes, not ${bytes.length}.`);
  const groups = groupsOf(bytes);
  return isIpv4Mapped(groups) ? `::ffff:${formatIpv4(bytes.subarray(12))}` : formatGroups(groups);
}

/**
 * As glibc's inet_ntop prints it, which is what `wg show` and `wg showconf`
 * use. It differs from RFC 5952 in one corner: an address whose first 96 bits
 * are zero ends in dotted decimal too (`::1.2.3.4`), not only a v4-mapped one.
 */
export function inetNtop(ip: IpAddress): string {
  if (ip.family === 4) return formatIpv4(ip.bytes);
  const groups = groupsOf(ip.bytes);
  if (isIpv4Mapped(groups)) return `::ffff:${formatIpv4(ip.bytes.subarray(12))}`;
  const run = zeroRun(groups);
  if (run?.start === 0 && run.length === 6) return `::${formatIpv4(ip.bytes.subarray(12))}`;
  return formatGroups(groups);
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

export function formatCidr(prefix: { readonly bytes: Uint8Array; readonly cidr: number }): string {
  return `${formatIp(prefix.bytes)}/${prefix.cidr}`;
}

/** Clears every bit of `bytes` after the first `cidr`, in place. */
export function maskInPlace(bytes: Uint8Array, cidr: number): Uint8Array {
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, cidr - i * 8));
    bytes[i] = (bytes[i] ?? 0) & ((0xff << (8 - keep)) & 0xff);
  }
  return bytes;
}

/** The prefix with its host bits cleared (10.0.0.1/24 -> 10.0.0.0/24). */
export function maskCidr(prefix: Cidr): Cidr {
  return { family: prefix.family, bytes: maskInPlace(prefix.bytes.slice(), prefix.cidr), cidr: prefix.cidr };
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
