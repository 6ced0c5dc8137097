// Where a tunnel's journal stands, and one-at-a-time access per tunnel.
//
//   in-progress  an up or down is running (its process is alive)
//   active       up completed and the engine still serves its interface
//   dead         the engine is gone (or an up/down died half way): recover
//                undoes it
//   blocked      recovered already; only the kill switch remains, waiting
//                for an explicit down
import { engineAlive } from './engine.js';
import { processAlive } from './host.js';
import type { JournalEntry } from './journal.js';

export type JournalState = 'in-progress' | 'active' | 'dead' | 'blocked';

// One change at a time per process: two tunnels coming up together could
// otherwise pick the same policy table or take each other's resolv.conf as
// "the original". Changes take about a second; reads need no lock.
let queue: Promise<unknown> = Promise.resolve();
const busy = new Set<string>();

/** Runs `fn` after every earlier netconfig change of this process; `ifname` counts as busy meanwhile. */
export async function withNetLock<T>(ifname: string | null, fn: () => Promise<T>): Promise<T> {
  const run = queue.catch(() => {}).then(async () => {
    if (ifname) busy.add(ifname);
    try {
      return await fn();
    } finally {
      if (ifname) busy.delete(ifname);
    }
  });
  queue = run;
  return run;
}

/** An up or down of this tunnel is running in this process. */
export function isBusyHere(ifname: string): boolean {
  return busy.has(ifname);
}

export async function journalState(ifname: string, entries: readonly JournalEntry[]): Promise<JournalState> {
  const begin = entries[0];
  if (begin?.op !== 'begin') return 'dead';
  if (entries.some((e) => e.op === 'stale')) return 'blocked';
  const closing = [...entries].reverse().find((e): e is Extract<JournalEntry, { op: 'closing' }> => e.op === 'closing');
  if (closing) return processAlive(closing.pid, closing.pidStart) ? 'in-progress' : 'dead';
  const settled = entries.some((e) => e.op === 'up-complete' || e.op === 'abandoned');
  if (!settled) return processAlive(begin.pid, begin.pidStart) ? 'in-progress' : 'dead';
  if (entries.some((e) => e.op === 'abandoned')) return 'dead';
  return (await engineAlive(ifname)) ? 'active' : 'dead';
}
