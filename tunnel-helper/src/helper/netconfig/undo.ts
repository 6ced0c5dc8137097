// Undoing a journal: every entry in reverse order, each one tolerant of
// "already gone" (the change may never have been made, or the kernel removed
// it with the interface). A failure is reported and the rest still run.
//
// Shared settings have a handover: src_valid_mark and a replaced
// resolv.conf are global to the namespace, so when tunnel A goes down while
// tunnel B (set up later) still relies on them, A leaves them as they are and
// appends its original value to B's journal; B puts it back when it goes.
import { isAlreadyGone, messageOf, ip, nft, type Log } from './exec.js';
import { resolvConfOwner, unsetDns } from './dns.js';
import { stopForwarder } from '../dns-forwarder/forwarder-process.js';
import { linkExists, stopEngine } from './engine.js';
import { currentNetns } from './host.js';
import { appendTo, listJournals, readJournal, type JournalEntry } from './journal.js';
import { undoLanBypass } from './lan-bypass.js';
import { deleteTableRuleset } from './nft-rules.js';
import { writeSysctl } from './routing.js';

export interface UndoResult {
  /** One line per step that failed for a reason other than "already gone". */
  failures: string[];
  /** Entries deliberately left in place (the kill switch, when kept). */
  kept: JournalEntry[];
}

function lastHandover(entries: readonly JournalEntry[], of: 'sysctl' | 'dns'): string | undefined {
  const found = entries.filter((e): e is Extract<JournalEntry, { op: 'handover' }> => e.op === 'handover' && e.of === of);
  return found[found.length - 1]?.value;
}

/** The other journals of this namespace, with their entries. */
function otherJournals(ifname: string): { ifname: string; entries: JournalEntry[] }[] {
  const netns = currentNetns();
  const out: { ifname: string; entries: JournalEntry[] }[] = [];
  for (const name of listJournals()) {
    if (name === ifname) continue;
    try {
      const entries = readJournal(name);
      const begin = entries?.[0];
      if (entries && begin?.op === 'begin' && begin.netns === netns) out.push({ ifname: name, entries });
    } catch { /* a damaged journal is not ours to judge here */ }
  }
  return out;
}

export async function undoEntries(
  ifname: string, entries: readonly JournalEntry[], opts: { keepKillSwitch?: boolean; log?: Log } = {},
): Promise<UndoResult> {
  const log = opts.log;
  const result: UndoResult = { failures: [], kept: [] };
  const dnsBackupOverride = lastHandover(entries, 'dns');
  const sysctlOverride = lastHandover(entries, 'sysctl');
  for (const entry of [...entries].reverse()) {
    try {
      switch (entry.op) {
        case 'kill-switch':
          if (opts.keepKillSwitch) {
            log?.(`[#] kill switch ${entry.name} stays until \`wiredesk down ${ifname}\``);
            result.kept.push(entry);
          } else {
            await nft(deleteTableRuleset('inet', entry.name), log, `delete table inet ${entry.name}`);
          }
          break;
        case 'lan-bypass':
          await undoLanBypass(entry, log);
          break;
        case 'nft-table':
          await nft(deleteTableRuleset(entry.family, entry.name), log, `delete table ${entry.family} ${entry.name}`);
          break;
        case 'rule':
          await ip([`-${entry.family}`, 'rule', 'delete', ...entry.selector], log);
          break;
        case 'route':
          await ip([`-${entry.family}`, 'route', 'delete', entry.prefix, 'dev', ifname,
            ...(entry.table !== null ? ['table', entry.table] : [])], log);
          break;
        case 'sysctl':
          undoSysctl(ifname, entry.key, sysctlOverride ?? entry.old, log);
          break;
        case 'dns':
          await undoDns(ifname, entry, entry.backend === 'file' ? dnsBackupOverride ?? entry.backup : '', log);
          break;
        case 'dns-forwarder':
          await stopForwarder(ifname, log);
          break;
        case 'address':
          if (await linkExists(ifname)) await ip([`-${entry.family}`, 'address', 'delete', entry.address, 'dev', ifname], log);
          break;
        case 'engine':
          await stopEngine(ifname, log);
          break;
        default:
          // mtu and link-up go away with the interface; the markers change nothing.
          break;
      }
    } catch (err) {
      if (isAlreadyGone(err)) continue;
      const line = `could not undo ${entry.op}: ${messageOf(err)}`;
      log?.(`[!] ${line}`);
      result.failures.push(line);
    }
  }
  return result;
}

function undoSysctl(ifname: string, key: string, old: string, log?: Log): void {
  const heir = otherJournals(ifname).find((j) => j.entries.some((e) => e.op === 'sysctl' && e.key === key));
  if (heir && appendTo(heir.ifname, { op: 'handover', of: 'sysctl', value: old })) {
    log?.(`[#] ${key} stays set for ${heir.ifname}, which restores it to ${old}`);
    return;
  }
  writeSysctl(key, old, log);
}

async function undoDns(ifname: string, entry: Extract<JournalEntry, { op: 'dns' }>, backup: string, log?: Log): Promise<void> {
  const { current } = await unsetDns(entry, backup, log);
  if (current === undefined || entry.backend !== 'file') return;
  const owner = resolvConfOwner(current);
  const heir = owner ? otherJournals(ifname).find((j) => j.ifname === owner) : undefined;
  const theirs = heir?.entries.find((e) => e.op === 'dns' && e.backend === 'file');
  const theirBackup = heir ? lastHandover(heir.entries, 'dns') ?? (theirs?.op === 'dns' && theirs.backend === 'file' ? theirs.backup : undefined) : undefined;
  if (heir && theirBackup === entry.written && appendTo(heir.ifname, { op: 'handover', of: 'dns', value: backup })) {
    log?.(`[#] ${entry.path} now belongs to ${heir.ifname}, which will restore the original`);
    return;
  }
  log?.(`[!] ${entry.path} was changed by someone else after up; left as it is`);
}
