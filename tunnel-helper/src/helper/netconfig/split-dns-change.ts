// Changing the split DNS domains of a tunnel that is up, in place: the
// engine, its session, its addresses and routes stay; only the DNS part of
// the up is redone (split-dns.ts applyTunnelDns), so names resolve the new
// way within one lock and nothing reconnects.
//
// The journal stays a superset of the system at every moment: the old DNS
// entries are undone (resolv.conf restored or resolved's link reverted, the
// forwarder stopped), then they leave the journal, whose begin line takes the
// new domains; the new entries are journaled before each step, as up does.
// With the kill switch on, its table is reloaded last, because the DNS
// servers it lets through depend on the domains (killSwitchDnsForSplit).
import type { LoadedConfig } from '../../../../shared/config/index.js';
import { isSplitDomainList } from '../../../../shared/dns/split-domains.js';
import { requireRoot, TunnelError } from './errors.js';
import type { Log } from './exec.js';
import { appendTo, readJournal, rewriteJournal, type BeginEntry, type JournalEntry } from './journal.js';
import { reloadKillSwitch } from './kill-switch-change.js';
import { journalState, withNetLock } from './lifecycle.js';
import { applyTunnelDns, checkSplitDnsConfig, killSwitchDnsForSplit } from './split-dns.js';
import { undoEntries } from './undo.js';

/** The journal entries that make up a tunnel's DNS. */
const isDnsEntry = (e: JournalEntry) => e.op === 'dns' || e.op === 'dns-forwarder' || (e.op === 'handover' && e.of === 'dns');

export async function setSplitDns(ifname: string, config: LoadedConfig, split: readonly string[], opts: { log?: Log } = {}): Promise<void> {
  const log: Log = opts.log ?? (() => {});
  if (split.length > 0 && !isSplitDomainList(split)) throw new TunnelError(`split DNS domains must be domain names such as corp.example, not "${split.join(', ')}"`);
  requireRoot('Changing split DNS');
  if (split.length > 0) checkSplitDnsConfig(config); // before anything is undone
  await withNetLock(ifname, async () => {
    const entries = readJournal(ifname);
    if (!entries || (await journalState(ifname, entries)) !== 'active') {
      throw new TunnelError(`${ifname} is not up, so its split DNS cannot change; bring it up with the new setting instead`);
    }
    const undone = await undoEntries(ifname, entries.filter(isDnsEntry), { log });
    if (undone.failures.length > 0) throw new TunnelError(`could not undo the DNS settings of ${ifname}: ${undone.failures.join('; ')}`);
    const { splitDns: _old, killSwitchDns: _oldDns, ...begin } = entries[0] as BeginEntry;
    // Read now that the system's resolv.conf is back: the servers the forwarder will ask.
    const next: BeginEntry = split.length > 0 ? { ...begin, splitDns: [...split], killSwitchDns: killSwitchDnsForSplit(config.quick.dns) } : begin;
    rewriteJournal(ifname, [next, ...entries.slice(1).filter((e) => !isDnsEntry(e))]);
    const record = (e: JournalEntry) => {
      if (!appendTo(ifname, e)) throw new TunnelError(`the journal of ${ifname} is gone`);
    };
    await applyTunnelDns(ifname, config, split, record, log);
    await reloadKillSwitch(ifname, readJournal(ifname) ?? [], log);
  });
}
