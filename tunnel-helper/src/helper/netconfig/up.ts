// tunnelUp: wg-quick up with the WireDesk engine, for a config the caller
// loaded (shared/config/load.ts). The steps, in order, each journaled before it is
// made (journal.ts):
//   1. resolve endpoints             (before any change: it only reads the system)
//   2. PreUp hooks                   (only with allowScripts)
//   3. kill switch table             (first, so nothing leaks while we work)
//   4. engine started and configured (creates the interface and UAPI socket;
//                                     wg setconf, sent to ours with its name);
//      the MTU and policy table, which only read routes, are picked before it
//      with a kill switch (its rules need the fwmark), else while it starts
//   5. addresses, and at the same time a policy table's fwmark; then MTU and link up
//   6. DNS
//   7. routes; for a /0, policy routing (routing.ts)
//   8. PostUp hooks
// Any failure undoes what the journal lists, in reverse, and leaves nothing.
import { formatCidr, isValidInterfaceName, type LoadedConfig } from '../../../../shared/config/index.js';
import { uapiSet } from '../../engine/uapi/client.js';
import { UapiError } from '../../engine/uapi/errors.js';
import { applyTunnelDns, killSwitchDnsForSplit } from './split-dns.js';
import { isSplitDomainList } from '../../../../shared/dns/split-domains.js';
import { engineCommand, linkExists, startEngine } from './engine.js';
import { requireRoot, TunnelError } from './errors.js';
import { messageOf, nft, type Log } from './exec.js';
import { runHooks } from './hooks.js';
import { currentNetns, processStartTime } from './host.js';
import { JournalWriter, readJournal, removeJournal, type BeginEntry, type JournalEntry } from './journal.js';
import { killSwitchRuleset, parseKillSwitch, type KillSwitch } from './kill-switch.js';
import { addAddress, setLinkUp } from './link-netlink.js';
import { journalState, withNetLock } from './lifecycle.js';
import { autoMtu } from './mtu.js';
import { killSwitchTableName } from './nft-rules.js';
import { recoverUnlocked } from './recover.js';
import { reattachPins } from '../split/split-state.js';
import { addRoutes, needsPolicyRouting, pickPolicyTable, routePrefixes } from './routing.js';
import { undoEntries } from './undo.js';
import { dropSpare, prepareEngine } from './spare-engine.js';
import { resolveEndpoints, setconfRequest } from './wg-setconf.js';
import { trace } from './trace.js';

export interface UpOptions {
  allowScripts?: boolean;
  killSwitch?: KillSwitch;
  /** Default: our wiredesk-tunnel (or $WIREDESK_ENGINE). */
  engineCommand?: string;
  log?: (line: string) => void;
  /** The file the config came from; SaveConfig writes it back there on `wiredesk down`. */
  configPath?: string;
  /** Start the next spare engine afterwards (the helper); else any spare left is stopped (the CLI). */
  keepEngineWarm?: boolean;
  /** Split DNS: only these domains go to the tunnel's DNS servers (split-dns.ts). */
  splitDns?: readonly string[];
}

export interface UpResult {
  ifname: string;
  mtu: number;
  /** The policy-routing table (= fwmark) for a /0, or the numeric Table; null for main or off. */
  table: number | null;
  /** The PreUp/PostUp hooks not run, as `PostUp = command`. */
  hooksSkipped: string[];
}

export async function tunnelUp(ifname: string, config: LoadedConfig, opts: UpOptions = {}): Promise<UpResult> {
  try {
    return await bringUp(ifname, config, opts);
  } finally {
    if (opts.keepEngineWarm) prepareEngine(opts.engineCommand);
    else dropSpare();
  }
}

async function bringUp(ifname: string, config: LoadedConfig, opts: UpOptions): Promise<UpResult> {
  const log: Log = opts.log ?? (() => {});
  const killSwitch = opts.killSwitch ?? 'off';
  if (!isValidInterfaceName(ifname) || ifname === '.' || ifname === '..') {
    throw new TunnelError(`"${ifname}" is not a valid interface name: use 1 to 15 of a-z A-Z 0-9 _ = + . -`);
  }
  if (parseKillSwitch(killSwitch) === null) throw new TunnelError(`kill switch must be off, on or allow-lan, not "${String(killSwitch)}"`);
  if (opts.splitDns && !isSplitDomainList(opts.splitDns)) throw new TunnelError(`split DNS domains must be domain names such as corp.example, not "${opts.splitDns.join(', ')}"`);
  requireRoot('Bringing a tunnel up');
  const { quick, wg } = config;

  // Resolving only reads (and may be slow): it happens before waiting for the lock.
  trace('tunnelUp');
  const endpoints = await resolveEndpoints(wg, log);
  const endpointList = endpoints.flatMap((e) => (e ? [e] : []));
  return withNetLock(ifname, async () => {
    trace('locked');
    await recoverUnlocked(log);
    trace('recovered');
    const adopted = await previousRun(ifname, killSwitch, log);
    if (await linkExists(ifname)) throw new TunnelError(`an interface named ${ifname} already exists; choose another name or remove it`);

    const killSwitchDns = opts.splitDns?.length ? killSwitchDnsForSplit(quick.dns) : quick.dns;
    const begin: BeginEntry = {
      op: 'begin', version: 1, ifname, netns: currentNetns(), pid: process.pid, pidStart: processStartTime(process.pid),
      startedAt: new Date().toISOString(), ...(opts.configPath ? { configPath: opts.configPath } : {}),
      killSwitch, saveConfig: quick.saveConfig, dns: [...quick.dns], dnsSearch: [...quick.dnsSearch],
      ...(opts.splitDns?.length ? { splitDns: [...opts.splitDns], killSwitchDns: [...killSwitchDns] } : {}),
      mtuFromConfig: quick.mtu !== undefined, ...(quick.table !== undefined ? { table: String(quick.table) } : {}),
      hooks: { preUp: [...quick.preUp], postUp: [...quick.postUp], preDown: [...quick.preDown], postDown: [...quick.postDown] },
    };
    const journal = JournalWriter.create(begin, adopted);
    const record = (e: JournalEntry) => journal.append(e);
    const hooksSkipped: string[] = [];
    // Journaled before it is started, so a crash leaves nothing recovery cannot find.
    // It is configured as it starts: with the config's own fwmark, which a policy table picked meanwhile replaces.
    const engine = (fwmark?: number): Promise<void> => {
      record({ op: 'engine' });
      return startEngine(ifname, engineCommand(opts.engineCommand), log, setconfRequest(wg, endpoints, fwmark)).catch((err: unknown) => {
        throw err instanceof UapiError ? new TunnelError(describeSetError(ifname, err, wg.listenPort), { cause: err }) : err;
      });
    };
    // The MTU and the policy table only read routes: without a kill switch they are worked
    // out once the engine has its order, while it starts (the engine adds no route).
    const plan = async () => {
      const mtu = quick.mtu ?? (await autoMtu(endpointList.map((e) => e.host), log));
      const table = needsPolicyRouting(wg, quick.table) ? (wg.fwMark || (await pickPolicyTable())) : null;
      return { policyTable: table, fwmark: table ?? wg.fwMark ?? 0, mtu };
    };
    try {
      let planned: Awaited<ReturnType<typeof plan>>;
      let sentMark = wg.fwMark ?? 0; // the fwmark the engine was started with
      hooksSkipped.push(...await runHooks('PreUp', quick.preUp, ifname, { allow: !!opts.allowScripts, log }));
      trace('journal begun');
      if (killSwitch === 'off') {
        // Nothing waits on the plan before the engine: it creates its interface meanwhile.
        const starting = engine();
        const planning = plan();
        await allOrFirstFailure([starting, planning]);
        planned = await planning;
      } else {
        planned = await plan();
        const name = killSwitchTableName(ifname);
        if (adopted.length === 0) record({ op: 'kill-switch', name });
        const rules = { ifname, mode: killSwitch, fwmark: planned.fwmark, endpoints: endpointList, addresses: quick.addresses, dns: killSwitchDns };
        await nft(killSwitchRuleset(rules), log, `kill switch: table inet ${name}`);
        sentMark = planned.fwmark;
        await engine(sentMark || undefined);
      }
      const { policyTable, fwmark, mtu } = planned;
      trace('engine started');
      // A policy table picked while the engine started is its fwmark; set while the addresses are added.
      const marked = fwmark !== sentMark
        ? (log(`[#] wg set ${ifname} fwmark ${fwmark}`), uapiSet(ifname, { fwmark, replacePeers: false, peers: [] }).catch((err: unknown) => {
          throw new TunnelError(describeSetError(ifname, err, wg.listenPort), { cause: err });
        }))
        : Promise.resolve();
      marked.catch(() => { /* awaited below; a failed journal write must not leave it unhandled */ });
      const addressed = quick.addresses.map((a) => {
        record({ op: 'address', family: a.family, address: formatCidr(a) });
        return addAddress(ifname, a, log);
      });
      await allOrFirstFailure([marked, ...addressed]);
      trace('configured, addresses added');
      record({ op: 'mtu', mtu });
      record({ op: 'link-up' });
      await setLinkUp(ifname, mtu, log);
      trace('link up');
      await applyTunnelDns(ifname, config, opts.splitDns ?? [], record, log);
      await addRoutes(routePrefixes(wg), { ifname, table: quick.table, policyTable, record, log });
      hooksSkipped.push(...await runHooks('PostUp', quick.postUp, ifname, { allow: !!opts.allowScripts, log }));
      record({ op: 'up-complete' });
      trace('up complete');
      // Apps pinned to this tunnel were blocked while it was down; they get its route back.
      await reattachPins(ifname, log).catch((err: unknown) => log(`[!] pinned apps: ${messageOf(err)}`));
      journal.close();
      return { ifname, mtu, table: policyTable ?? (typeof quick.table === 'number' ? quick.table : null), hooksSkipped };
    } catch (err) {
      return rollBack(ifname, journal, err, log);
    }
  });
}

/**
 * A journal of the same tunnel from before: refuse if that tunnel still
 * runs; a kill switch left by a dead run is adopted (replaced atomically by
 * the new one) or, when the new run has none, removed.
 */
async function previousRun(ifname: string, killSwitch: KillSwitch, log: Log): Promise<JournalEntry[]> {
  const entries = readJournal(ifname);
  if (!entries) return [];
  const state = await journalState(ifname, entries);
  if (state === 'active') throw new TunnelError(`${ifname} is already up; bring it down first (wiredesk down ${ifname})`);
  if (state === 'in-progress') throw new TunnelError(`${ifname} is being brought up or down by another process; try again in a moment`);
  const kept = entries.filter((e) => e.op === 'kill-switch');
  if (killSwitch !== 'off' && kept.length > 0 && entries.length === kept.length + 2) return kept; // begin + kill switch + stale
  log(`[#] ${ifname}: its engine is gone; undoing what up did`);
  const result = await undoEntries(ifname, entries, { log });
  if (result.failures.length > 0) throw new TunnelError(`${ifname} has leftovers that could not be removed: ${result.failures.join('; ')}`);
  removeJournal(ifname);
  return [];
}

async function rollBack(ifname: string, journal: JournalWriter, err: unknown, log: Log): Promise<never> {
  const reason = err instanceof TunnelError ? err.message : messageOf(err);
  log(`[!] ${reason}; undoing what was done`);
  const entries = readJournal(ifname) ?? [];
  const result = await undoEntries(ifname, entries, { log });
  if (result.failures.length > 0) {
    journal.append({ op: 'abandoned' });
    journal.close();
    throw new TunnelError(`could not bring ${ifname} up: ${reason}. Some changes could not be undone (${result.failures.join('; ')}); run \`wiredesk down ${ifname}\``, { cause: err });
  }
  journal.close();
  removeJournal(ifname);
  throw new TunnelError(`could not bring ${ifname} up: ${reason}`, { cause: err });
}

/** Waits for every step, then fails with the first one's failure in step order (rollback must not start while a step runs). */
async function allOrFirstFailure(steps: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(steps);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

function describeSetError(ifname: string, err: unknown, listenPort: number | undefined): string {
  if (err instanceof UapiError && err.errno === 98) {
    return `the engine could not use listen port ${listenPort ?? '(random)'}: it is already in use; change ListenPort`;
  }
  return `the engine for ${ifname} refused the configuration: ${messageOf(err)}`;
}
