// "Exclude the network I'm on": a runtime option of a tunnel that is up. The
// directly connected prefixes of the other interfaces (lan-prefixes.ts) are
// routed outside every tunnel, whatever AllowedIPs say:
//   table L (one per tunnel):  PREFIX dev LANIF          for each LAN prefix
//   ip rule add to PREFIX table L pref LAN_BYPASS_PRIORITY
// The priority is above every rule a tunnel adds (wg-quick's /0 rules take
// the kernel's next free number below 32766), so the LAN wins over a /0 and
// over AllowedIPs more specific than the LAN. A copy of the on-link route, not
// `lookup main`: main may itself hold tunnel routes inside the LAN's prefix.
//
// The .conf is never touched. The journal holds one `lan-bypass` entry (the
// table, the priority and the routes in place), so down and recover remove
// them like every other change; its presence is what "on" means, so `show`
// and a restarted helper read it there. A change is journaled as the union of
// old and new first (unsettled), then made, then journaled as the new set; an
// unsettled entry (a change that failed half way) is applied again in full.
//
// With the kill switch in allow-lan mode the same prefixes are accepted by it
// too (kill-switch-change.ts reloads it from the journal), so a LAN outside
// the private ranges (a CGNAT or public office subnet) works the same way. In
// strict mode the kill switch still drops them: blocking wins.
import { requireRoot, TunnelError } from './errors.js';
import { ip, isAlreadyGone, messageOf, type Log } from './exec.js';
import { listJournals, readJournal, rewriteJournal, type JournalEntry } from './journal.js';
import { reloadKillSwitch } from './kill-switch-change.js';
import { lanLinks, onLinkPrefixes, withoutTunnelRanges, type LanRoute } from './lan-prefixes.js';
import { journalState, withNetLock } from './lifecycle.js';

export const LAN_BYPASS_PRIORITY = 5300;
export const FIRST_LAN_TABLE = 52820;

export type LanBypassEntry = Extract<JournalEntry, { op: 'lan-bypass' }>;

export function lanBypassOf(entries: readonly JournalEntry[]): LanBypassEntry | null {
  const found = entries.filter((e): e is LanBypassEntry => e.op === 'lan-bypass');
  return found[found.length - 1] ?? null;
}

/** The LAN as it is now, minus the tunnel's own ranges. */
export async function currentLan(addresses: readonly string[], dns: readonly string[]): Promise<LanRoute[]> {
  const tunnels = new Set(listJournals());
  const links = lanLinks(await ip(['-j', 'link', 'show']).catch(() => '[]'), (name) => tunnels.has(name));
  const routes = [
    ...onLinkPrefixes(await ip(['-4', '-j', 'route', 'show', 'table', 'main']).catch(() => '[]'), 4, links),
    ...onLinkPrefixes(await ip(['-6', '-j', 'route', 'show', 'table', 'main']).catch(() => '[]'), 6, links),
  ];
  return withoutTunnelRanges(routes, addresses, dns);
}

/** Turns the bypass on or off for a tunnel that is up; returns the prefixes now bypassed. */
export async function setLanBypass(ifname: string, on: boolean, opts: { log?: Log } = {}): Promise<LanRoute[]> {
  requireRoot('Changing the LAN bypass');
  return withNetLock(ifname, () => change(ifname, on ? 'on' : 'off', opts.log ?? (() => {})));
}

/** Recomputes the bypass of a tunnel that has it on (after a network change); a no-op otherwise. */
export async function refreshLanBypass(ifname: string, opts: { log?: Log } = {}): Promise<LanRoute[] | null> {
  requireRoot('Changing the LAN bypass');
  return withNetLock(ifname, () => change(ifname, 'refresh', opts.log ?? (() => {})));
}

/** The bypassed prefixes of a tunnel, from its journal; null when the option is off (reads only). */
export function lanBypassState(ifname: string): LanRoute[] | null {
  try {
    const entry = lanBypassOf(readJournal(ifname) ?? []);
    return entry ? entry.routes : null;
  } catch {
    return null;
  }
}

async function change(ifname: string, want: 'on' | 'off' | 'refresh', log: Log): Promise<LanRoute[]> {
  const entries = readJournal(ifname);
  if (!entries || (await journalState(ifname, entries)) !== 'active') {
    if (want === 'refresh') return [];
    throw new TunnelError(`${ifname} is not up, so its LAN bypass cannot change; bring it up first`);
  }
  const begin = entries[0]!;
  if (begin.op !== 'begin') throw new TunnelError(`the journal of ${ifname} has no header`);
  const old = lanBypassOf(entries);
  if (want === 'refresh' && !old) return [];
  const rest = entries.filter((e) => e.op !== 'lan-bypass');
  const table = old?.table ?? String(await freeTable());
  const next = want === 'off' ? [] : await currentLan(journaledAddresses(entries), begin.dns);
  const key = (r: LanRoute) => `${r.family} ${r.prefix} ${r.dev}`;
  const nextKeys = new Set(next.map(key));
  const oldRoutes = old?.routes ?? [];
  const removed = oldRoutes.filter((r) => !nextKeys.has(key(r)));
  const added = next.filter((r) => !oldRoutes.some((o) => key(o) === key(r)));
  if (want !== 'off' && removed.length === 0 && added.length === 0 && old?.settled) return next;

  const entry = (routes: LanRoute[], settled: boolean): LanBypassEntry => ({ op: 'lan-bypass', table, priority: LAN_BYPASS_PRIORITY, routes, settled });
  rewriteJournal(ifname, [...rest, entry([...oldRoutes, ...added], false)]);
  try {
    for (const r of removed) await removeRoute(r, table, LAN_BYPASS_PRIORITY, log);
    // All of them, not only the new ones: after a change that failed half way, some may be missing.
    for (const r of next) {
      await ip([`-${r.family}`, 'route', 'replace', r.prefix, 'dev', r.dev, 'table', table], log);
      await ip([`-${r.family}`, 'rule', 'add', 'to', r.prefix, 'table', table, 'pref', String(LAN_BYPASS_PRIORITY)], log)
        .catch((err: unknown) => { if (!/File exists/.test(messageOf(err))) throw err; });
    }
  } catch (err) {
    throw new TunnelError(`could not change the LAN bypass of ${ifname}: ${messageOf(err)}`, { cause: err });
  }
  const final = want === 'off' ? rest : [...rest, entry(next, true)];
  rewriteJournal(ifname, final);
  if (begin.killSwitch === 'allow-lan') await reloadKillSwitch(ifname, final, log);
  return next;
}

/** Removes one bypassed prefix; already gone is fine. Used by a change and by undo. */
export async function removeRoute(r: LanRoute, table: string, priority: number, log?: Log): Promise<void> {
  for (const args of [
    [`-${r.family}`, 'rule', 'delete', 'to', r.prefix, 'table', table, 'pref', String(priority)],
    [`-${r.family}`, 'route', 'delete', r.prefix, 'dev', r.dev, 'table', table],
  ]) {
    await ip(args, log).catch((err: unknown) => { if (!isAlreadyGone(err)) throw err; });
  }
}

export async function undoLanBypass(entry: LanBypassEntry, log?: Log): Promise<void> {
  for (const r of [...entry.routes].reverse()) await removeRoute(r, entry.table, entry.priority, log);
}

/** The first table from FIRST_LAN_TABLE with no routes and no other tunnel's bypass. */
async function freeTable(): Promise<number> {
  const taken = new Set<string>();
  for (const name of listJournals()) {
    try { const e = lanBypassOf(readJournal(name) ?? []); if (e) taken.add(e.table); } catch { /* not ours to judge */ }
  }
  for (let table = FIRST_LAN_TABLE; ; table++) {
    if (taken.has(String(table))) continue;
    const v4 = await ip(['-4', 'route', 'show', 'table', String(table)]).catch(() => '');
    const v6 = await ip(['-6', 'route', 'show', 'table', String(table)]).catch(() => '');
    if (v4.trim() === '' && v6.trim() === '') return table;
  }
}

export function journaledAddresses(entries: readonly JournalEntry[]): string[] {
  return entries.flatMap((e) => (e.op === 'address' ? [e.address] : []));
}
