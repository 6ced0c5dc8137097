// Peers whose Endpoint is a host name (a dynamic-DNS name, say): the helper
// keeps the name from the config and looks it up again while the tunnel runs
// (recovery.ts), because the engine, like wg(8), only ever holds an address.
import { lookup } from 'node:dns/promises';
import { encodeKey, parseIp, type LoadedConfig } from '../../../../shared/config/index.js';

export interface NamedEndpoint {
  /** base64, as wg(8) prints it. */
  publicKey: string;
  host: string;
  port: number;
}

export function namedEndpoints(config: LoadedConfig | null): NamedEndpoint[] {
  if (!config) return [];
  return config.wg.peers.flatMap((p) => {
    const e = p.endpoint;
    if (!e || parseIp(e.host.replace(/^\[|\]$/g, '')) !== null) return [];
    return [{ publicKey: encodeKey(p.publicKey), host: e.host, port: e.port }];
  });
}

/** Every address the name has now, through the system resolver (getaddrinfo, as wg(8) resolves). */
export async function resolveHost(host: string): Promise<string[]> {
  const all = await lookup(host, { all: true, verbatim: true });
  return all.map((a) => a.address);
}

/** The IP of a runtime endpoint as wg(8) prints it: `1.2.3.4:51820` or `[fd00::1]:51820`. */
export function endpointIp(endpoint: string | null): string | null {
  if (!endpoint) return null;
  const m = /^\[(.+)\]:\d+$/.exec(endpoint) ?? /^([^:]+):\d+$/.exec(endpoint);
  return m ? m[1]!.replace(/%.*$/, '') : null;
}

export function formatEndpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/**
 * The address to move to, or null to stay: staying is right while the
 * current address is still among the name's. Otherwise the first address of
 * the current family, else the first of any (the resolver's order, RFC 6724).
 */
export function pickAddress(current: string | null, addresses: readonly string[]): string | null {
  if (addresses.length === 0) return null;
  const ip = endpointIp(current);
  if (ip !== null && addresses.includes(ip)) return null;
  const v6 = ip?.includes(':') ?? false;
  return addresses.find((a) => a.includes(':') === v6) ?? addresses[0]!;
}
