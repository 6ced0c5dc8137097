// Routes for the AllowedIPs, as wg-quick adds them:
//   Table = off      no routes at all;
//   Table = N/main   every prefix (a /0 too) in that table;
//   unset or auto    every prefix in main, except a /0, which gets policy
//                    routing (add_default): the engine's UDP carries fwmark T
//                    and keeps using the main table; everything else looks up
//                    table T, whose default route is the tunnel:
//                      ip rule add not fwmark T table T
//                      ip rule add table main suppress_prefixlength 0
//                    (the second lets more specific main routes, like the
//                    LAN's, win over the tunnel's default), plus the nft
//                    rules of nft-rules.ts and src_valid_mark=1 for IPv4.
// Longer prefixes are added first; a prefix already routed through the
// tunnel (e.g. by the address's own prefix route) is not added twice.
import { readFileSync, writeFileSync } from 'node:fs';
import { formatCidr, maskCidr, type Cidr, type Table, type WgConfig } from '../../../../shared/config/index.js';
import { ip, nft, type Log } from './exec.js';
import { addRoute, routedThrough } from './link-netlink.js';
import type { Family, JournalEntry } from './journal.js';
import { nftFamily, policyRoutingRuleset, routeTableName } from './nft-rules.js';

export const FIRST_POLICY_TABLE = 51820;
export const SRC_VALID_MARK = 'net.ipv4.conf.all.src_valid_mark';

export type Record = (entry: JournalEntry) => void;

/**
 * The AllowedIPs of every peer, deduplicated, longest prefix first. Host bits
 * are cleared, as the engine stores them and as wg-quick routes them (it reads
 * them back from `wg show allowed-ips`): 10.1.2.3/16 is routed as 10.1.0.0/16.
 */
export function routePrefixes(wg: WgConfig): Cidr[] {
  const seen = new Map<string, Cidr>();
  for (const peer of wg.peers) for (const a of peer.allowedIps.map(maskCidr)) seen.set(formatCidr(a), a);
  return [...seen.values()].sort((a, b) => b.cidr - a.cidr);
}

/** Policy routing is needed: routes go to the main table and some prefix is a /0. */
export function needsPolicyRouting(wg: WgConfig, table: Table | undefined): boolean {
  return (table === undefined || table === 'auto') && routePrefixes(wg).some((a) => a.cidr === 0);
}

/** wg-quick's choice: 51820, or the next table number with no IPv4 or IPv6 routes. */
export async function pickPolicyTable(): Promise<number> {
  for (let table = FIRST_POLICY_TABLE; ; table++) {
    const v4 = await ip(['-4', 'route', 'show', 'table', String(table)]).catch(() => '');
    const v6 = await ip(['-6', 'route', 'show', 'table', String(table)]).catch(() => '');
    if (v4.trim() === '' && v6.trim() === '') return table;
  }
}

function sysctlPath(key: string): string {
  return `/proc/sys/${key.replace(/\./g, '/')}`;
}

export function readSysctl(key: string): string {
  return readFileSync(sysctlPath(key), 'utf8').trim();
}

export function writeSysctl(key: string, value: string, log?: Log): void {
  log?.(`[#] sysctl -q ${key}=${value}`);
  writeFileSync(sysctlPath(key), `${value}\n`);
}

export interface RouteContext {
  ifname: string;
  table: Table | undefined;
  /** Set when policy routing is used (the fwmark and table number). */
  policyTable: number | null;
  record: Record;
  log?: Log;
}

export async function addRoutes(prefixes: readonly Cidr[], ctx: RouteContext): Promise<void> {
  if (ctx.table === 'off') return;
  for (const a of prefixes) {
    const prefix = formatCidr(a);
    if (ctx.table !== undefined && ctx.table !== 'auto') {
      ctx.record({ op: 'route', family: a.family, prefix, table: String(ctx.table) });
      await addRoute(ctx.ifname, a, ctx.table, ctx.log);
    } else if (a.cidr === 0 && ctx.policyTable !== null) {
      await addDefault(a, ctx.policyTable, ctx);
    } else {
      if (safely(() => routedThrough(ctx.ifname, a))) continue;
      ctx.record({ op: 'route', family: a.family, prefix, table: null });
      await addRoute(ctx.ifname, a, null, ctx.log);
    }
  }
}

async function addDefault(a: Cidr, table: number, ctx: RouteContext): Promise<void> {
  const family = a.family;
  const fam = `-${family}`;
  const t = String(table);
  ctx.record({ op: 'route', family, prefix: formatCidr(a), table: t });
  await addRoute(ctx.ifname, a, table, ctx.log);
  for (const selector of [['not', 'fwmark', t, 'table', t], ['table', 'main', 'suppress_prefixlength', '0']]) {
    ctx.record({ op: 'rule', family, selector });
    await ip([fam, 'rule', 'add', ...selector], ctx.log);
  }
  const addresses = await tunnelAddresses(ctx.ifname, family);
  if (family === 4) {
    const old = readSysctl(SRC_VALID_MARK);
    if (old !== '1') {
      ctx.record({ op: 'sysctl', key: SRC_VALID_MARK, old, value: '1' });
      writeSysctl(SRC_VALID_MARK, '1', ctx.log);
    }
  }
  ctx.record({ op: 'nft-table', family: nftFamily(family), name: routeTableName(ctx.ifname) });
  await nft(policyRoutingRuleset(ctx.ifname, family, table, addresses), ctx.log, `table ${nftFamily(family)} ${routeTableName(ctx.ifname)}`);
}

/** A read that fails answers false, as a failed `ip route show` printed nothing. */
function safely(read: () => boolean): boolean {
  try {
    return read();
  } catch {
    return false;
  }
}

/** The interface's addresses of one family, as `ip -o addr show dev IF` lists them (link-local included, as in wg-quick). */
async function tunnelAddresses(ifname: string, family: Family): Promise<string[]> {
  const out = await ip([`-${family}`, '-j', 'address', 'show', 'dev', ifname]).catch(() => '[]');
  const links = JSON.parse(out || '[]') as { addr_info?: { local?: string }[] }[];
  return links.flatMap((l) => (l.addr_info ?? []).flatMap((a) => (a.local ? [a.local] : [])));
}
