// recoverStaleTunnels: after a crash of the helper or an engine, undo what
// the journals of dead tunnels list, so no route, rule, nft table, sysctl or
// DNS entry keeps pointing into a tunnel that no longer exists. Only
// journals written in this network namespace are touched.
//
// A kill switch is the exception, on purpose: a tunnel that died must keep
// blocking (that is what a kill switch is for), so its table stays, recorded
// in the journal (now marked stale) until an explicit down removes it.
import { messageOf, type Log } from './exec.js';
import { currentNetns } from './host.js';
import { listJournals, readJournal, removeJournal, rewriteJournal, type JournalEntry } from './journal.js';
import { isBusyHere, journalState, withNetLock } from './lifecycle.js';
import { undoEntries } from './undo.js';
import { sweepSplit } from '../split/split-state.js';

/** Interface names whose leftovers were undone. */
export function recoverStaleTunnels(log: Log = () => {}): Promise<string[]> {
  return withNetLock(null, () => recoverUnlocked(log));
}

/** For callers that already hold the lock (tunnelUp). */
export async function recoverUnlocked(log: Log): Promise<string[]> {
  const netns = currentNetns();
  const cleaned: string[] = [];
  for (const ifname of listJournals()) {
    if (isBusyHere(ifname)) continue; // our own up or down is working on it
    let entries: JournalEntry[] | null;
    try {
      entries = readJournal(ifname);
    } catch (err) {
      log(`[!] ${ifname}: ${messageOf(err)}`);
      continue;
    }
    const begin = entries?.[0];
    if (!entries || begin?.op !== 'begin' || begin.netns !== netns) continue;
    if ((await journalState(ifname, entries)) !== 'dead') continue;
    log(`[#] ${ifname}: its engine is gone; undoing what up did`);
    const result = await undoEntries(ifname, entries, { keepKillSwitch: true, log });
    const kept = [...result.kept].reverse();
    if (kept.length > 0) rewriteJournal(ifname, [begin, ...kept, { op: 'stale' }]);
    else if (result.failures.length === 0) removeJournal(ifname);
    // With failures and nothing kept the journal stays as it is: the next recover retries.
    cleaned.push(ifname);
  }
  // Split-tunneling rules whose apps have all exited (split/split-state.ts).
  await sweepSplit(log).catch((err: unknown) => log(`[!] split tunneling: ${messageOf(err)}`));
  return cleaned;
}
