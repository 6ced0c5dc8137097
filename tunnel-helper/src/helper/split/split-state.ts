// The split-tunneling setup of one network namespace, with its journal.
//
// /run/wiredesk/split-<netns inode>.state holds what is set up: whether the
// outside rule is, and which tunnels have a pin (with its slot, which gives
// its mark and routing table). It is written BEFORE anything is added and
// AFTER anything is removed, so it always lists a superset of what exists,
// and undoing tolerates what never happened (as the tunnel journals do).
//
// A rule lives as long as its cgroup holds a process: `sweep` removes the
// rules of empty cgroups (and the table, the state and the cgroups once none
// is left). It runs before every new rule and from recover. A tunnel going
// down does NOT remove its pin: the blackhole under the tunnel's route keeps
// the pinned apps blocked until they exit, and the route is put back when
// the tunnel comes up again (reattachPins, from tunnelUp).
//
// Every change holds the split lock (split-lock.ts), and so does moving a
// process into a cgroup (launch.ts), so a sweep never removes the rules of a
// cgroup that is being filled.
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError, ip, messageOf, nft, type Log } from '../netconfig/exec.js';
import { TunnelError } from '../netconfig/errors.js';
import { currentNetns } from '../netconfig/host.js';
import { ensureStateDir, stateDir } from '../netconfig/journal.js';
import { deleteTableRuleset } from '../netconfig/nft-rules.js';
import { writeFileAtomic } from './atomic-file.js';
import {
  cgroupPopulated, createCgroup, findCgroup2Mount, removeCgroup, splitCgroup, type Cgroup2Mount, type SplitCgroup,
} from './cgroup2.js';
import { withSplitLock } from './split-lock.js';
import {
  cgroupLeaf, MAX_PIN_SLOT, outsideRuleSelector, pinRoutes, pinRuleSelector, SPLIT_TABLE, splitRuleset, type SplitPlan,
} from './split-rules.js';

export type SplitTarget = 'outside' | { ifname: string };

export interface SplitState {
  version: 1;
  netns: string;
  /** The cgroup that holds the rules' cgroups, e.g. `wiredesk`. */
  parent: string;
  outside: boolean;
  pins: { ifname: string; slot: number }[];
}

const FAMILIES = [4, 6] as const;

/** `WIREDESK_SPLIT_CGROUP` lets tests use their own parent cgroup; the default is `wiredesk`. */
export function splitParent(): string {
  const name = process.env.WIREDESK_SPLIT_CGROUP;
  return name && /^[A-Za-z0-9._-]{1,64}$/.test(name) && name !== '.' && name !== '..' ? name : 'wiredesk';
}

function statePath(): string {
  const inode = /\d+/.exec(currentNetns())?.[0] ?? '0';
  return join(stateDir(), `split-${inode}.state`);
}

/** This namespace's split state, or null when nothing is set up. */
export function readSplitState(): SplitState | null {
  try {
    const s = JSON.parse(readFileSync(statePath(), 'utf8')) as SplitState;
    return s.version === 1 && s.netns === currentNetns() ? s : null;
  } catch {
    return null;
  }
}

function writeState(s: SplitState): void {
  ensureStateDir();
  writeFileAtomic(statePath(), `${JSON.stringify(s)}\n`);
}

function mountOrThrow(): Cgroup2Mount {
  const mount = findCgroup2Mount();
  if (typeof mount === 'string') throw new TunnelError(mount);
  return mount;
}

function cgroupOf(mount: Cgroup2Mount, parent: string, target: SplitTarget): SplitCgroup {
  const cg = splitCgroup(mount, parent, cgroupLeaf(target));
  if (typeof cg === 'string') throw new TunnelError(cg);
  return cg;
}

function planOf(mount: Cgroup2Mount, s: SplitState): SplitPlan {
  return {
    outside: s.outside ? cgroupOf(mount, s.parent, 'outside') : null,
    pins: s.pins.map((p) => ({ ...p, cgroup: cgroupOf(mount, s.parent, p) })),
  };
}

/** `ip` that takes "it exists already" (an add) and "it is gone" (a delete) as done. */
async function ipTolerant(args: string[], log?: Log): Promise<void> {
  try {
    await ip(args, log);
  } catch (err) {
    if (err instanceof CommandError && /File exists|No such file|No such process|Cannot find device/i.test(err.stderr)) return;
    throw err;
  }
}

/**
 * Sets up the rule for `target` (its cgroup, the nft table, the ip rules and
 * a pin's table) and runs `use` with its cgroup while still holding the
 * lock: `use` moves the process in. Refuses a pin when every slot is taken.
 */
export function withSplitRule<T>(target: SplitTarget, log: Log | undefined, use: (cg: SplitCgroup) => Promise<T> | T): Promise<T> {
  return withSplitLock(async () => {
    const mount = mountOrThrow();
    const state = await sweepLocked(mount, log, target) ?? { version: 1 as const, netns: currentNetns(), parent: splitParent(), outside: false, pins: [] };
    let slot = 0;
    if (target === 'outside') {
      state.outside = true;
    } else {
      const existing = state.pins.find((p) => p.ifname === target.ifname);
      if (existing) slot = existing.slot;
      else {
        const used = new Set(state.pins.map((p) => p.slot));
        for (slot = 1; slot <= MAX_PIN_SLOT && used.has(slot); slot++);
        if (slot > MAX_PIN_SLOT) throw new TunnelError(`every one of the ${MAX_PIN_SLOT} tunnel pins is in use; close some pinned apps and try again`);
        state.pins.push({ ifname: target.ifname, slot });
      }
    }
    writeState(state);
    const cg = cgroupOf(mount, state.parent, target);
    createCgroup(cg);
    await nft(splitRuleset(planOf(mount, state)), log, `split tunneling: table inet ${SPLIT_TABLE}`);
    for (const family of FAMILIES) {
      if (target === 'outside') {
        await ipTolerant([`-${family}`, 'rule', 'add', ...outsideRuleSelector()], log);
      } else {
        const routes = pinRoutes(target.ifname, slot);
        // The blackhole first: from here on, nothing of the pin can take another way.
        await ip([`-${family}`, 'route', 'replace', ...routes.blackhole], log);
        await ipTolerant([`-${family}`, 'rule', 'add', ...pinRuleSelector(slot)], log);
        await ip([`-${family}`, 'route', 'replace', ...routes.tunnel], log).catch((err: unknown) => {
          // An interface without IPv6: that family stays blocked for the pinned apps.
          log?.(`[!] IPv6 through ${target.ifname} is not available to pinned apps: ${messageOf(err)}`);
          if (family === 4) throw err;
        });
      }
    }
    return use(cg);
  });
}

/** Removes the rules of cgroups no process uses any more (all of it, when none is left). */
export async function sweepSplit(log?: Log): Promise<void> {
  if (!existsSync(statePath())) return;
  await withSplitLock(async () => {
    const mount = findCgroup2Mount();
    if (typeof mount === 'string') return;
    await sweepLocked(mount, log);
  });
}

/** The state after removing what is unused (but `keep`, about to be used); null when nothing is left. */
async function sweepLocked(mount: Cgroup2Mount, log?: Log, keep?: SplitTarget): Promise<SplitState | null> {
  const state = readSplitState();
  if (!state) return null;
  const kept = (t: SplitTarget) => (keep === 'outside' ? t === 'outside' : keep !== undefined && t !== 'outside' && t.ifname === keep.ifname);
  const idle = (t: SplitTarget) => !kept(t) && !cgroupPopulated(cgroupOf(mount, state.parent, t).dir);
  const next: SplitState = { ...state, outside: state.outside && !idle('outside'), pins: state.pins.filter((p) => !idle(p)) };
  if (next.outside === state.outside && next.pins.length === state.pins.length) return state;
  if (next.outside || next.pins.length > 0) await nft(splitRuleset(planOf(mount, next)), log, `split tunneling: table inet ${SPLIT_TABLE}`);
  else await nft(deleteTableRuleset('inet', SPLIT_TABLE), log, `delete table inet ${SPLIT_TABLE}`);
  for (const family of FAMILIES) {
    if (state.outside && !next.outside) await ipTolerant([`-${family}`, 'rule', 'delete', ...outsideRuleSelector()], log);
    for (const p of state.pins.filter((q) => !next.pins.includes(q))) {
      await ipTolerant([`-${family}`, 'rule', 'delete', ...pinRuleSelector(p.slot)], log);
      await ipTolerant([`-${family}`, 'route', 'flush', 'table', pinRoutes(p.ifname, p.slot).tunnel.at(-1)!], log);
    }
  }
  if (state.outside && !next.outside) removeCgroup(cgroupOf(mount, state.parent, 'outside').dir);
  for (const p of state.pins.filter((q) => !next.pins.includes(q))) removeCgroup(cgroupOf(mount, state.parent, p).dir);
  if (!next.outside && next.pins.length === 0) {
    try { unlinkSync(statePath()); } catch { /* gone */ }
    removeCgroup(`${mount.mountPoint}/${state.parent}`);
    return null;
  }
  writeState(next);
  return next;
}

/** Puts a pinned tunnel's route back after it came up again (its pinned apps were blocked meanwhile). */
export async function reattachPins(ifname: string, log?: Log): Promise<void> {
  if (!existsSync(statePath())) return;
  await withSplitLock(async () => {
    const pin = readSplitState()?.pins.find((p) => p.ifname === ifname);
    if (!pin) return;
    for (const family of FAMILIES) {
      await ip([`-${family}`, 'route', 'replace', ...pinRoutes(ifname, pin.slot).tunnel], log).catch((err: unknown) => {
        log?.(`[!] pinned apps cannot use ${ifname} over IPv${family}: ${messageOf(err)}`);
      });
    }
  });
}
