// What on-demand rules want on a network: pure, so every case is a unit test.
//
//   network offline (key null)  nothing changes
//   rule suspended              nothing changes (switched by hand on this network)
//   otherwise                   decide(): up, down or nothing; plan() keeps the
//                               changes a tunnel actually needs
import type { KnownNetwork, OnDemandReason, OnDemandRule } from '../../../shared/ipc/on-demand.js';

export interface Decision {
  readonly action: 'up' | 'down' | 'none';
  readonly reason?: OnDemandReason;
}

const NONE: Decision = { action: 'none' };

/** One rule on one network. `upByRule`: the rule itself switched the tunnel on. */
export function decide(rule: OnDemandRule, network: string | null, trusted: readonly KnownNetwork[], upByRule: boolean): Decision {
  if (network === null) return NONE;
  const isTrusted = trusted.some((n) => n.key === network);
  switch (rule.mode) {
    case 'never':
      return NONE;
    case 'untrusted':
      return isTrusted ? { action: 'down', reason: 'trusted-network' } : { action: 'up', reason: 'untrusted-network' };
    case 'listed':
      if (rule.networks.some((n) => n.key === network)) return { action: 'up', reason: 'listed-network' };
      // "Connect on these networks" does not switch off a tunnel the user switched on.
      return upByRule ? { action: 'down', reason: 'unlisted-network' } : NONE;
    case 'off-trusted':
      return isTrusted ? { action: 'down', reason: 'trusted-network' } : NONE;
  }
}

export interface TunnelFacts {
  readonly name: string;
  readonly rule: OnDemandRule;
  /** Connecting, up, degraded or reconnecting; a tunnel in error counts as off, so the next network retries it. */
  readonly active: boolean;
  readonly upByRule: boolean;
  readonly suspended: boolean;
}

export interface Step {
  readonly name: string;
  readonly action: 'up' | 'down';
  readonly reason: OnDemandReason;
}

/** The switches the rules ask for now: only tunnels whose state differs from their rule's decision. */
export function plan(network: string | null, trusted: readonly KnownNetwork[], tunnels: readonly TunnelFacts[]): Step[] {
  const steps: Step[] = [];
  for (const t of tunnels) {
    if (t.suspended) continue;
    const d = decide(t.rule, network, trusted, t.upByRule);
    if (d.action === 'up' && !t.active) steps.push({ name: t.name, action: 'up', reason: d.reason! });
    if (d.action === 'down' && t.active) steps.push({ name: t.name, action: 'down', reason: d.reason! });
  }
  return steps;
}
