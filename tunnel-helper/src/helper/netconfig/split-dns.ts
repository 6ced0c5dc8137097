// Split DNS while a tunnel is up: queries for the split domains go to the
// tunnel's DNS servers, every other query to the system's.
//   systemd-resolved  per-link routing domains: `resolvectl domain IF
//                     ~corp.example ...` (instead of `~.`) and `default-route
//                     IF false`, so this link never takes other queries.
//                     Used when resolved runs here, also behind its resolvconf shim.
//   otherwise         our forwarder (../dns-forwarder) on 127.0.54.N:53 in
//                     this namespace; resolv.conf (the file, or resolvconf's
//                     exclusive entry) points at it, and it keeps the servers
//                     of the resolv.conf it replaced for everything else.
// Each step is journaled before it is made; undo.ts reverses them (the file
// first, then the forwarder).
import { createSocket } from 'node:dgram';
import { readFileSync, realpathSync } from 'node:fs';
import { delimiter, join, basename } from 'node:path';
import { cidrsOverlap, formatIp, parseCidr, type LoadedConfig } from '../../../../shared/config/index.js';
import { checkForwarderConfig, resolvConfServers, type ForwarderConfig } from '../dns-forwarder/forwarder-config.js';
import { startForwarder } from '../dns-forwarder/forwarder-process.js';
import { applyDns, chooseDnsBackend, planDns, RESOLV_CONF, type DnsBackend } from './dns.js';
import { TunnelError } from './errors.js';
import { run, type Log } from './exec.js';
import { routePrefixes } from './routing.js';
import { stateDir, type DnsEntry, type JournalEntry } from './journal.js';

const FORWARDER_NET = '127.0.54.';
const FORWARDER_PORT = 53;

/** resolvconf here is systemd-resolved's compatibility shim (a link to resolvectl). */
function resolvconfIsResolved(): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      return basename(realpathSync(join(dir, 'resolvconf'))) === 'resolvectl';
    } catch { /* not here */ }
  }
  return false;
}

export function splitDnsBackend(): DnsBackend {
  const backend = chooseDnsBackend();
  return backend === 'resolvconf' && !process.env.WIREDESK_DNS_BACKEND && resolvconfIsResolved() ? 'resolvectl' : backend;
}

/** resolvectl's domain arguments: the split domains as routing-only, then the config's search domains. */
export function resolvectlDomainArgs(ifname: string, split: readonly string[], search: readonly string[]): string[] {
  return ['domain', '--', ifname, ...split.map((d) => `~${d}`), ...search];
}

/** A free 127.0.54.N:53 (the forwarder of another tunnel may hold one). */
async function freeLoopbackAddress(): Promise<string> {
  for (let n = 1; n < 255; n++) {
    const address = `${FORWARDER_NET}${n}`;
    const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', (e) => { s.close(); resolve(e); });
      s.bind(FORWARDER_PORT, address, () => s.close(() => resolve(null)));
    });
    if (!err) return address;
    if (err.code === 'EADDRNOTAVAIL') throw new TunnelError('split DNS needs the loopback interface, which is down in this network namespace (ip link set lo up)');
    if (err.code !== 'EADDRINUSE') throw new TunnelError(`split DNS cannot listen on ${address}:${FORWARDER_PORT}: ${err.message}`);
  }
  throw new TunnelError(`split DNS found no free address in ${FORWARDER_NET}0/24`);
}

/** The `options` lines of the resolv.conf being replaced stay (timeouts, edns0, ...). */
function keptOptions(text: string): string {
  return text.split('\n').filter((l) => /^\s*options\s/.test(l)).map((l) => `${l.trim()}\n`).join('');
}

/**
 * The DNS servers the kill switch lets port 53 reach (through the tunnel
 * only): with split DNS, the system's servers too, which the forwarder asks
 * for other names. They pass only when routed into the tunnel (a /0); on
 * the underlay the kill switch still drops them, as it drops everything there.
 */
export function killSwitchDnsForSplit(tunnelServers: readonly string[]): string[] {
  let text = '';
  try { text = readFileSync(RESOLV_CONF, 'utf8'); } catch { /* none */ }
  return [...new Set([...tunnelServers, ...resolvConfServers(text).filter((s) => !s.startsWith('127.'))])];
}

/** The DNS servers no peer's AllowedIPs cover: their queries would not go through the tunnel. */
export function serversOutsideTunnel({ quick, wg }: LoadedConfig): string[] {
  const prefixes = routePrefixes(wg);
  return quick.dns.filter((s) => {
    const host = parseCidr(s.includes(':') ? `${s}/128` : `${s}/32`);
    return host === null || !prefixes.some((p) => p.family === host.family && cidrsOverlap(p, host));
  });
}

/** Throws, in words for the user, if this config cannot have split DNS. */
export function checkSplitDnsConfig(config: LoadedConfig): void {
  if (config.quick.dns.length === 0) throw new TunnelError('split DNS needs the tunnel\'s DNS servers: add DNS = under [Interface]');
  const outside = serversOutsideTunnel(config);
  if (outside.length > 0) {
    // The split domains' queries would leave outside the tunnel, which is what split DNS promises not to do.
    throw new TunnelError(`split DNS: the DNS server ${outside.join(', ')} is not inside any peer's AllowedIPs, so its queries would not go through the tunnel; add it to AllowedIPs`);
  }
}

/** Sets up split DNS for these domains, recording each step first. */
export async function applySplitDns(ifname: string, config: LoadedConfig, split: readonly string[], record: (e: JournalEntry) => void, log: Log): Promise<void> {
  const { quick } = config;
  checkSplitDnsConfig(config);
  const backend = splitDnsBackend();
  if (backend === 'resolvectl') {
    record({ op: 'dns', backend, ifname });
    await run('resolvectl', ['dns', '--', ifname, ...quick.dns], { log });
    await run('resolvectl', resolvectlDomainArgs(ifname, split, quick.dnsSearch), { log });
    await run('resolvectl', ['default-route', '--', ifname, 'false'], { log });
    return;
  }
  const listen = await freeLoopbackAddress();
  // planDns reads the file being replaced and refuses the host's resolv.conf from inside a namespace.
  const plain = planDns(ifname, [listen], quick.dnsSearch);
  let original = '';
  try { original = readFileSync(RESOLV_CONF, 'utf8'); } catch { /* none: no system servers */ }
  const systemServers = resolvConfServers(original).filter((s) => !quick.dns.includes(s));
  const v4 = quick.addresses.find((a) => a.family === 4);
  const v6 = quick.addresses.find((a) => a.family === 6);
  const cfg: ForwarderConfig = {
    ifname, stateDir: stateDir(), listen, port: FORWARDER_PORT, splitDomains: [...split], tunnelServers: [...quick.dns],
    tunnelSources: { ...(v4 ? { v4: formatIp(v4.bytes) } : {}), ...(v6 ? { v6: formatIp(v6.bytes) } : {}) },
    systemServers,
  };
  if (!checkForwarderConfig(cfg)) throw new TunnelError(`split DNS: the domains or servers are not valid (${split.join(', ')})`);
  record({ op: 'dns-forwarder' });
  await startForwarder(cfg, log);
  const entry: DnsEntry = plain.backend === 'file' ? { ...plain, written: plain.written + keptOptions(plain.backup) } : plain;
  record(entry);
  if (entry.backend === 'file') log(`[#] split DNS: ${RESOLV_CONF} points at ${listen}`);
  await applyDns(entry, ifname, [listen], quick.dnsSearch, log);
}

/** The DNS part of an up: split DNS for these domains, else the config's DNS servers for everything (as wg-quick). */
export async function applyTunnelDns(ifname: string, config: LoadedConfig, split: readonly string[], record: (e: JournalEntry) => void, log: Log): Promise<void> {
  const { quick } = config;
  if (split.length > 0) {
    await applySplitDns(ifname, config, split, record, log);
  } else if (quick.dns.length > 0) {
    const entry = planDns(ifname, quick.dns, quick.dnsSearch);
    record(entry);
    await applyDns(entry, ifname, quick.dns, quick.dnsSearch, log);
  }
}
