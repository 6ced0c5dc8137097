// What a split DNS forwarder is told at start (as JSON on its stdin), checked
// on arrival: it runs as root, so nothing in it is trusted unchecked.
import { isIP } from 'node:net';
import { isSplitDomainList } from '../../../../shared/dns/split-domains.js';

export interface ForwarderConfig {
  /** The tunnel whose journal keeps this forwarder alive (it exits when the journal is gone). */
  ifname: string;
  stateDir: string;
  /** A loopback address; the forwarder serves UDP and TCP port `port` there. */
  listen: string;
  port: number;
  splitDomains: string[];
  /** The tunnel's DNS servers, for names under a split domain. */
  tunnelServers: string[];
  /** The tunnel's own addresses: queries to its servers are sent from them, so they route through the tunnel and fail (never leak) once it is gone. */
  tunnelSources: { v4?: string; v6?: string };
  /** Everything else goes here: the servers of the resolv.conf the forwarder replaced. */
  systemServers: string[];
}

export function checkForwarderConfig(v: unknown): ForwarderConfig | null {
  if (typeof v !== 'object' || v === null) return null;
  const c = v as Record<string, unknown>;
  const ips = (x: unknown) => Array.isArray(x) && x.length <= 16 && x.every((s) => typeof s === 'string' && isIP(s) !== 0);
  const src = c.tunnelSources as Record<string, unknown> | undefined;
  const ok = typeof c.ifname === 'string' && /^[A-Za-z0-9_=+.-]{1,15}$/.test(c.ifname)
    && typeof c.stateDir === 'string' && c.stateDir.startsWith('/')
    && typeof c.listen === 'string' && isIP(c.listen) === 4 && c.listen.startsWith('127.')
    && Number.isInteger(c.port) && (c.port as number) > 0 && (c.port as number) < 65536
    && Array.isArray(c.splitDomains) && c.splitDomains.every((d) => typeof d === 'string') && isSplitDomainList(c.splitDomains as string[])
    && ips(c.tunnelServers) && (c.tunnelServers as string[]).length > 0 && ips(c.systemServers)
    && typeof src === 'object' && src !== null
    && (src.v4 === undefined || (typeof src.v4 === 'string' && isIP(src.v4) === 4))
    && (src.v6 === undefined || (typeof src.v6 === 'string' && isIP(src.v6) === 6));
  return ok ? (c as unknown as ForwarderConfig) : null;
}

/** The nameservers of a resolv.conf text (the system's servers the forwarder keeps using). */
export function resolvConfServers(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!m) continue;
    const addr = m[1]!.replace(/%.*$/, ''); // a scoped v6 (fe80::1%eth0) is kept without its scope: Node cannot send to it otherwise
    if (isIP(addr) !== 0 && !out.includes(addr)) out.push(addr);
  }
  return out;
}
