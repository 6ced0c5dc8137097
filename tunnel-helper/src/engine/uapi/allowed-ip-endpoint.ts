// The `allowed_ip=` and `endpoint=` values of UAPI as wg-go reads and prints
// them. The addresses inside are shared/config/ip.ts's, and so is the
// endpoint grammar (parseIpEndpoint: the engine's Endpoint reads it too); what
// is UAPI's own: a prefix always has `/bits` (at most 3 digits) and comes back
// masked, and an endpoint prints without its zone. parsePrefix returns null on
// any malformed input; it never throws.
import { formatCidr, formatIp, maskInPlace, parseIp } from '../../../../shared/config/ip.js';
import type { Prefix } from './device-api.js';

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

/** As wg-go's DstToString: IPv6 in brackets, the zone dropped. */
export function formatEndpoint(e: { ip: Uint8Array; port: number }): string {
  return e.ip.length === 4 ? `${formatIp(e.ip)}:${e.port}` : `[${formatIp(e.ip)}]:${e.port}`;
}
