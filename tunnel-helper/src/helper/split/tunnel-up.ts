// Whether a tunnel is up here, for pinning apps to it: its journal was
// written in this network namespace and its engine serves.
import { currentNetns } from '../netconfig/host.js';
import { readJournal } from '../netconfig/journal.js';
import { journalState } from '../netconfig/lifecycle.js';

/** Null when tunnel `ifname` is up in this namespace, else a sentence why not. */
export async function tunnelNotUp(ifname: string): Promise<string | null> {
  let entries;
  try {
    entries = readJournal(ifname);
  } catch (e) {
    return `${ifname}: ${(e as Error).message}`;
  }
  const begin = entries?.[0];
  if (!entries || begin?.op !== 'begin' || begin.netns !== currentNetns()) return `no tunnel named ${ifname} is up (see wiredesk show)`;
  const state = await journalState(ifname, entries);
  return state === 'active' ? null : `tunnel ${ifname} is not up (it is ${state === 'in-progress' ? 'changing' : 'down'})`;
}
