// The `allowed_ip=` and `endpoint=` values of UAPI as wg-go reads and prints
// them. The addresses inside are shared/config/ip.ts's; what is UAPI's own is the
// grammar around them: a prefix always has `/bits` (at most 3 digits) and
// comes back masked, an IPv6 endpoint is bracketed and may carry a zone.
// Parsers return null on any malformed input; they never throw.
import { formatCidr, formatIp, maskInPlace, parseIp, parseIpv4, parseIpv6 } from '../../../../shared/config/ip.js';
import { parseDecimal } from './decimal.js';
import type { Prefix, UapiEndpoint } from './device-api.js';

const DIGITS = /^[0-9]+$/;

/** `addr/bits`; host bits are cleared, as wg-go's allowed-IPs trie does on insert. */
export function parsePrefix(s: string): Prefix | null {
  const slash = s.lastIndexOf('/');
  if (slash === -1) return null;
  const addr = parseIp(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (!addr || bits.length < 1 || bits.length > 3 || !DIGITS.test(bits)) return null;
  const cidr = Number(bits);
  if (cidr > addr.bytes.length * 8) return null;
  return { family: addr.family, ip: maskInPlace(addr.bytes, cidr), cidr };
}

/** As wg-go prints an allowed IP: `10.0.0.0/8`, `fd00::/64`. */
export function formatPrefix(p: { ip: Uint8Array; cidr: number }): string {
  return formatCidr({ bytes: p.ip, cidr: p.cidr });
}

/** `1.2.3.4:51820` or `[v6%zone]:51820`; brackets are required exactly for IPv6. */
export function parseEndpoint(s: string): UapiEndpoint | null {
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
  if (DIGITS.test(zone)) return parseDecimal(zone, 0xffffffff) !== null;
  return zone.length <= 15 && /^[\x21-\x7e]+$/.test(zone) && !zone.includes('/');
}

/** As wg-go's DstToString: IPv6 in brackets, the zone dropped. */
export function formatEndpoint(e: { ip: Uint8Array; port: number }): string {
  return e.ip.length === 4 ? `${formatIp(e.ip)}:${e.port}` : `[${formatIp(e.ip)}]:${e.port}`;
}
