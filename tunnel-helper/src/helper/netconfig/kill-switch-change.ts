// Changing the kill switch of a tunnel that is up, in place: the engine, its
// handshake session and every route stay; only table `inet wiredesk-<ifname>`
// changes, in one nft transaction (kill-switch.ts: the new table replaces the
// old one with no moment unprotected).
//
// The journal stays a superset of the system at every moment:
//   - to on / allow-lan: the journal is rewritten first (atomically), with the
//     new mode in its begin line and the kill-switch entry right after it, so
//     down still removes the table last, after the interface; then the table
//     is loaded;
//   - to off: the table is deleted first, then the entry leaves the journal,
//     so a tunnel whose engine dies later is not reported as blocked.
// The plan is rebuilt from what is true now: the engine's fwmark and current
// endpoints (a roamed peer is exempted where it is, not where it started),
// the addresses and DNS servers that up journaled, and the LAN bypass's
// prefixes (lan-bypass.ts), which allow-lan accepts too.
import { parseCidr, type Cidr } from '../../../../shared/config/index.js';
import { uapiGet } from '../../engine/uapi/client.js';
import type { DeviceState } from '../../engine/uapi/device-api.js';
import { requireRoot, TunnelError } from './errors.js';
import { isAlreadyGone, messageOf, nft, run, type Log } from './exec.js';
import { readJournal, rewriteJournal, type BeginEntry, type JournalEntry } from './journal.js';
import { killSwitchRuleset, parseKillSwitch, type KillSwitch, type KillSwitchPlan } from './kill-switch.js';
import { journalState, withNetLock } from './lifecycle.js';
import { killSwitchTableName } from './nft-rules.js';

export async function setKillSwitch(ifname: string, mode: KillSwitch, opts: { log?: Log } = {}): Promise<void> {
  const log: Log = opts.log ?? (() => {});
  if (parseKillSwitch(mode) === null) throw new TunnelError(`kill switch must be off, on or allow-lan, not "${String(mode)}"`);
  requireRoot('Changing the kill switch');
  await withNetLock(ifname, async () => {
    const entries = readJournal(ifname);
    if (!entries || (await journalState(ifname, entries)) !== 'active') {
      throw new TunnelError(`${ifname} is not up, so its kill switch cannot change; bring it up with the new setting instead`);
    }
    const begin = entries[0] as BeginEntry;
    const name = killSwitchTableName(ifname);
    const rest = entries.slice(1).filter((e) => e.op !== 'kill-switch');
    if (mode === 'off') {
      log(`[#] nft delete table inet ${name}`);
      await run('nft', ['delete', 'table', 'inet', name]).catch((err: unknown) => {
        if (!isAlreadyGone(err)) throw new TunnelError(`could not remove the kill switch of ${ifname}: ${messageOf(err)}`, { cause: err });
      });
      rewriteJournal(ifname, [{ ...begin, killSwitch: 'off' }, ...rest]);
      return;
    }
    const kill: JournalEntry = { op: 'kill-switch', name };
    const next: JournalEntry[] = [{ ...begin, killSwitch: mode }, kill, ...rest];
    rewriteJournal(ifname, next);
    await reloadKillSwitch(ifname, next, log);
  });
}

/**
 * Loads the kill switch table in the mode the journal's begin line names,
 * rebuilt from what is true now (the caller holds the lock and has journaled it).
 */
export async function reloadKillSwitch(ifname: string, entries: readonly JournalEntry[], log: Log): Promise<void> {
  const begin = entries[0] as BeginEntry;
  const mode = begin.killSwitch;
  if (mode === 'off') return;
  const name = killSwitchTableName(ifname);
  const device = await uapiGet(ifname, { timeoutMs: 3000 }).catch((err: unknown) => {
    throw new TunnelError(`could not read the engine of ${ifname}: ${messageOf(err)}`, { cause: err });
  });
  await nft(killSwitchRuleset(killSwitchPlanNow(ifname, mode, entries, device)), log, `kill switch ${mode}: table inet ${name}`).catch((err: unknown) => {
    throw new TunnelError(`could not change the kill switch of ${ifname}: ${messageOf(err)}`, { cause: err });
  });
}

/** The kill switch as it must be now: the engine's fwmark and endpoints, and what up journaled. */
export function killSwitchPlanNow(
  ifname: string, mode: KillSwitchPlan['mode'], entries: readonly JournalEntry[], device: Pick<DeviceState, 'fwmark' | 'peers'>,
): KillSwitchPlan {
  const begin = entries[0] as BeginEntry;
  const lan = entries.flatMap((e) => (e.op === 'lan-bypass' ? e.routes.flatMap((r) => parseCidr(r.prefix) ?? []) : []));
  return {
    ifname, mode, fwmark: device.fwmark,
    endpoints: device.peers.flatMap((p) => (p.endpoint ? [splitEndpoint(p.endpoint)] : [])),
    addresses: journaledAddresses(entries), dns: begin.killSwitchDns ?? begin.dns, lan,
  };
}

function journaledAddresses(entries: readonly JournalEntry[]): Cidr[] {
  return entries.flatMap((e) => {
    if (e.op !== 'address') return [];
    const cidr = parseCidr(e.address);
    return cidr ? [cidr] : [];
  });
}

/** `1.2.3.4:51820` or `[fd00::1]:51820`, as UAPI writes an endpoint. */
function splitEndpoint(text: string): { host: string; port: number } {
  const m = /^\[(.+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  return m ? { host: m[1]!, port: Number(m[2]) } : { host: '', port: 0 };
}
