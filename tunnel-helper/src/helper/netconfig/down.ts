// tunnelDown: wg-quick down. PreDown hooks, SaveConfig (the running state as
// a new config text), then every journal entry undone in reverse (the
// interface goes last, which also stops the engine), then PostDown hooks.
// Works on a tunnel whose engine already died, and removes its kill switch.
import { uapiGet } from '../../engine/uapi/client.js';
import { engineAlive } from './engine.js';
import { requireRoot, TunnelError } from './errors.js';
import { ip, messageOf, type Log } from './exec.js';
import { runHooks } from './hooks.js';
import { currentNetns, processStartTime } from './host.js';
import { appendTo, listJournals, readJournal, removeJournal, type BeginEntry } from './journal.js';
import { sweepSplit } from '../split/split-state.js';
import { journalState, withNetLock } from './lifecycle.js';
import { savedConfigText, type LiveInterface } from './save-config.js';
import { undoEntries } from './undo.js';

export interface DownOptions {
  allowScripts?: boolean;
  log?: (line: string) => void;
}

export interface DownResult {
  /** With SaveConfig = true: the running state as config text (it holds the private key). */
  savedConfig?: string;
  /** Where `wiredesk up FILE` read the config, for writing savedConfig back. */
  configPath?: string;
  /** The PreDown/PostDown hooks not run, as `PostDown = command`. */
  hooksSkipped?: string[];
}

export async function tunnelDown(ifname: string, opts: DownOptions = {}): Promise<DownResult> {
  const log: Log = opts.log ?? (() => {});
  requireRoot('Bringing a tunnel down');
  return withNetLock(ifname, async () => {
    const entries = readJournal(ifname);
    if (!entries) {
      throw new TunnelError(`${ifname} is not up (WireDesk has no record of it${(await engineAlive(ifname)) ? '; it was started by something else, e.g. wg-quick' : ''})`);
    }
    const begin = entries[0] as BeginEntry;
    if (begin.netns !== currentNetns()) throw new TunnelError(`${ifname} was brought up in another network namespace; run down there`);
    if ((await journalState(ifname, entries)) === 'in-progress') {
      throw new TunnelError(`${ifname} is being brought up or down by another process; try again in a moment`);
    }
    appendTo(ifname, { op: 'closing', pid: process.pid, pidStart: processStartTime(process.pid) });
    const allow = !!opts.allowScripts;
    const alive = await engineAlive(ifname);
    const hooksSkipped = await runHooks('PreDown', begin.hooks.preDown, ifname, { allow, log, tolerate: true });
    const result: DownResult = {};
    if (begin.saveConfig) {
      if (alive) {
        try {
          result.savedConfig = savedConfigText(begin, await uapiGet(ifname), await liveInterface(ifname));
          if (begin.configPath) result.configPath = begin.configPath;
        } catch (err) {
          log(`[!] SaveConfig: could not read the running state: ${messageOf(err)}`);
        }
      } else {
        log(`[!] SaveConfig: the engine of ${ifname} is not running, so there is no state to save`);
      }
    }
    const undone = await undoEntries(ifname, entries, { log });
    hooksSkipped.push(...await runHooks('PostDown', begin.hooks.postDown, ifname, { allow, log, tolerate: true }));
    if (hooksSkipped.length > 0) result.hooksSkipped = hooksSkipped;
    if (undone.failures.length > 0) {
      throw new TunnelError(`${ifname} is down, but some changes could not be undone: ${undone.failures.join('; ')}. Run down again to retry`);
    }
    removeJournal(ifname);
    // Split-tunneling rules whose apps have all exited go too (pins with running apps stay: they keep them blocked).
    await sweepSplit(log).catch((err: unknown) => log(`[!] split tunneling: ${messageOf(err)}`));
    return result;
  });
}

async function liveInterface(ifname: string): Promise<LiveInterface> {
  const links = JSON.parse(await ip(['-j', 'address', 'show', 'dev', ifname])) as {
    mtu?: number; addr_info?: { local?: string; prefixlen?: number; scope?: string }[];
  }[];
  const link = links[0];
  return {
    addresses: (link?.addr_info ?? []).filter((a) => a.local && a.scope !== 'link').map((a) => `${a.local}/${a.prefixlen}`),
    mtu: link?.mtu ?? null,
  };
}

/** Tunnels with a journal in this network namespace: up, or blocked by a kill switch after their engine died. */
export function activeTunnels(): string[] {
  const netns = currentNetns();
  return listJournals().filter((ifname) => {
    try {
      const begin = readJournal(ifname)?.[0];
      return begin?.op === 'begin' && begin.netns === netns;
    } catch {
      return false;
    }
  });
}

