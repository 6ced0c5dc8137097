// An Endpoint is a peer's UDP address (wg(8) "endpoint"), plus, on binds that
// support it, the sticky source: the local address and interface the peer's
// last packet arrived on, so replies leave from the address the peer targeted
// (wg-go conn/sticky_linux.go). The one endpoint type of the engine: the core
// roams by it and feeds its address to cookies and the rate limiter, the I/O
// seams send to it and decode received addresses into it.
//
// Endpoints are immutable. Binds intern the ones they receive, so the core
// can roam with a cheap `key` comparison.
import { formatIp, parseIpEndpoint } from '../../../../shared/config/ip.js';

export type EndpointFamily = 4 | 6;

export class Endpoint {
  /** 4 for IPv4, 6 for IPv6. IPv4-mapped IPv6 addresses are stored as IPv4. */
  readonly family: EndpointFamily;
  /** The peer's address: 4 or 16 bytes, network order. */
  readonly ip: Uint8Array;
  readonly port: number;
  /** IPv6 scope (interface index) for link-local addresses; 0 otherwise. */
  readonly scopeId: number;
  /** `1.2.3.4:51820` or `[fd00::1]:51820`: stable, unique per address, as `wg show endpoints` prints it. */
  readonly key: string;
  /** Sticky source address (same family), or null to let the kernel choose. Not part of `key`. */
  readonly srcIp: Uint8Array | null;
  /** Interface index the sticky source belongs to (0 = unknown). */
  readonly srcIfIndex: number;

  constructor(ip: Uint8Array, port: number, scopeId = 0, srcIp: Uint8Array | null = null, srcIfIndex = 0) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`A UDP port is 0-65535, not ${port}.`);
    if (ip.length === 16 && isV4Mapped(ip)) {
      ip = ip.subarray(12);
      if (srcIp?.length === 16 && isV4Mapped(srcIp)) srcIp = srcIp.subarray(12);
      scopeId = 0;
    }
    if (ip.length !== 4 && ip.length !== 16) throw new RangeError(`An IP address has 4 or 16 bytes, not ${ip.length}.`);
    if (srcIp && srcIp.length !== ip.length) srcIp = null;
    this.family = ip.length === 4 ? 4 : 6;
    this.ip = Uint8Array.from(ip);
    this.port = port;
    this.scopeId = this.family === 6 ? scopeId >>> 0 : 0;
    this.srcIp = srcIp ? Uint8Array.from(srcIp) : null;
    this.srcIfIndex = this.srcIp ? srcIfIndex : 0;
    const host = formatIp(this.ip);
    this.key = this.family === 4 ? `${host}:${port}` : `[${host}${this.scopeId ? `%${this.scopeId}` : ''}]:${port}`;
  }

  /**
   * Parses a numeric endpoint as UAPI `endpoint=` carries it (parseIpEndpoint):
   * `1.2.3.4:51820`, `[fd00::1]:51820` or `[fe80::1%2]:51820`. Throws a
   * user-facing error when the text is not such an endpoint or its zone is a name.
   */
  static parse(text: string): Endpoint {
    const e = parseIpEndpoint(text);
    const scopeId = e ? scopeOfZone(e.zone) : null;
    if (e === null || scopeId === null) {
      throw new Error(`Invalid endpoint "${text}". Use IP:port, e.g. 192.0.2.1:51820 or [2001:db8::1]:51820, with an IPv6 zone as an interface index.`);
    }
    return new Endpoint(e.ip, e.port, scopeId);
  }

  /** Same peer address (ignores the sticky source). */
  equals(other: Endpoint | null | undefined): boolean {
    return other != null && other.key === this.key;
  }

  /** Same address and same sticky source. */
  sameSource(other: Endpoint): boolean {
    return this.key === other.key && this.srcIfIndex === other.srcIfIndex && bytesEqual(this.srcIp, other.srcIp);
  }

  /** This endpoint without its sticky source (wg-go ClearSrc, done on handshake retry). */
  withoutSource(): Endpoint {
    return this.srcIp ? new Endpoint(this.ip, this.port, this.scopeId) : this;
  }

  /** The sticky source as text, e.g. `10.0.0.1` (empty when none). */
  srcToString(): string {
    return this.srcIp ? formatIp(this.srcIp) : '';
  }

  toString(): string {
    return this.key;
  }
}

/** An IPv6 zone's scope: 0 for none, the index for a numeric one, null for an interface name (not resolved here). */
export function scopeOfZone(zone: string | null): number | null {
  if (zone === null) return 0;
  return /^[0-9]+$/.test(zone) ? Number(zone) : null;
}

function isV4Mapped(ip: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (ip[i] !== 0) return false;
  return ip[10] === 0xff && ip[11] === 0xff;
}

function bytesEqual(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
