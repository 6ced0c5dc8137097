// What `wiredesk show` says about per-app split tunneling in this network
// namespace: which rules are set up and how many processes each one holds.
import { readFileSync } from 'node:fs';
import { findCgroup2Mount, splitCgroup } from './cgroup2.js';
import { cgroupLeaf } from './split-rules.js';
import { readSplitState } from './split-state.js';

export interface SplitRuleStatus {
  /** null: outside every tunnel; else the tunnel the apps are pinned to. */
  tunnel: string | null;
  /** Processes in the cgroup now; null when cgroup2 is not visible here. */
  processes: number | null;
}

export function splitRuleStatuses(): SplitRuleStatus[] {
  const state = readSplitState();
  if (!state) return [];
  const mount = findCgroup2Mount();
  const count = (leaf: string): number | null => {
    if (typeof mount === 'string') return null;
    const cg = splitCgroup(mount, state.parent, leaf);
    if (typeof cg === 'string') return null;
    try {
      return readFileSync(`${cg.dir}/cgroup.procs`, 'utf8').split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  };
  return [
    ...(state.outside ? [{ tunnel: null, processes: count(cgroupLeaf('outside')) }] : []),
    ...state.pins.map((p) => ({ tunnel: p.ifname, processes: count(cgroupLeaf(p)) })),
  ];
}

/** The lines `wiredesk show` adds (none when nothing is set up); `up` says which tunnels are up. */
export function formatSplitStatus(rules: readonly SplitRuleStatus[], up: (ifname: string) => boolean): string {
  if (rules.length === 0) return '';
  const procs = (n: number | null) => (n === null ? 'processes not visible here' : `${n} process${n === 1 ? '' : 'es'}`);
  const lines = rules.map((r) => (r.tunnel === null
    ? `  outside every tunnel: ${procs(r.processes)}`
    : `  only through ${r.tunnel}: ${procs(r.processes)}${up(r.tunnel) ? '' : ` (blocked: ${r.tunnel} is down)`}`));
  return `split tunneling (wiredesk exec):\n${lines.join('\n')}\n`;
}
