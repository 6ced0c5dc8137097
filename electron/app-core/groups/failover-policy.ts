// When a failover group switches members: pure, every time passed in.
//
//   active member unhealthy (degraded, reconnecting, error) for failAfter
//       --> the next member comes up                          (failed-over)
//   a higher-ranked member passes every probe for hold
//       --> it comes up, the active one goes down             (failed-back)
//   no switch within dwell of the previous one, whatever the evidence
//
// Members ranked above the active one are probed (a handshake-only check in
// the helper, routing nothing) every probeEvery; a failed probe restarts
// that member's holding time. So a primary that answers now and then never
// takes the routes back, and a group can switch at most once per dwell: no
// flap loop. When the active member is dead, a higher one whose latest probe
// passed is taken at once (anything that answers beats nothing); when the
// last member is dead, the group stays on it (the helper keeps reconnecting
// it) until a higher one answers.
import type { TunnelState } from '../../../shared/ipc/types.js';

export interface Timing {
  failAfterMs: number;
  holdMs: number;
  dwellMs: number;
  probeEveryMs: number;
}

interface ProbeTrack {
  /** The first passed probe of the current streak, and the latest one. */
  goodSince: number | null;
  lastGood: number | null;
  lastAt: number | null;
  inFlight: boolean;
}

export interface GroupRun {
  readonly memberCount: number;
  active: number;
  switchedAt: number;
  /** Since when the active member is unhealthy; null while it is fine. */
  badSince: number | null;
  /** Per member ranked above the active one. */
  probes: Map<number, ProbeTrack>;
  switches: number;
}

export type Decision =
  | { kind: 'wait' }
  | { kind: 'switch'; to: number; why: 'failed-over' | 'failed-back' }
  | { kind: 'probe'; member: number };

/** Switching on is not a switch: the first failover needs no dwell. */
export function startRun(memberCount: number): GroupRun {
  return { memberCount, active: 0, switchedAt: Number.NEGATIVE_INFINITY, badSince: null, probes: new Map(), switches: 0 };
}

/** A member that is connecting is not judged yet: the helper says degraded after its own grace period. */
export function isUnhealthy(state: TunnelState): boolean {
  return state === 'degraded' || state === 'reconnecting' || state === 'error' || state === 'down';
}

export function observe(run: GroupRun, state: TunnelState, now: number): void {
  if (isUnhealthy(state)) run.badSince ??= now;
  else run.badSince = null;
}

export function probeStarted(run: GroupRun, member: number): void {
  track(run, member).inFlight = true;
}

export function probed(run: GroupRun, member: number, healthy: boolean, now: number): void {
  if (member >= run.active) return; // a switch happened meanwhile: the answer is about nothing we wait for
  const p = track(run, member);
  p.inFlight = false;
  p.lastAt = now;
  if (healthy) {
    p.goodSince ??= now;
    p.lastGood = now;
  } else {
    p.goodSince = null;
    p.lastGood = null;
  }
}

export function switched(run: GroupRun, to: number, now: number): void {
  run.active = to;
  run.switchedAt = now;
  run.badSince = null;
  run.probes.clear();
  run.switches++;
}

export function decide(run: GroupRun, now: number, t: Timing): Decision {
  const higher = [...Array(run.active).keys()];
  if (now - run.switchedAt >= t.dwellMs) {
    const dead = run.badSince !== null && now - run.badSince >= t.failAfterMs;
    const proven = higher.find((i) => heldFor(run.probes.get(i)) >= t.holdMs);
    if (proven !== undefined) return { kind: 'switch', to: proven, why: 'failed-back' };
    if (dead) {
      const answering = higher.find((i) => run.probes.get(i)?.lastGood != null);
      if (answering !== undefined) return { kind: 'switch', to: answering, why: 'failed-back' };
      if (run.active < run.memberCount - 1) return { kind: 'switch', to: run.active + 1, why: 'failed-over' };
    }
  }
  for (const i of higher) {
    const p = run.probes.get(i);
    if (p?.inFlight) continue;
    if (p?.lastAt == null || now - p.lastAt >= t.probeEveryMs) return { kind: 'probe', member: i };
  }
  return { kind: 'wait' };
}

/** How long member i has passed every probe, as the probes saw it (not the clock since). */
export function heldFor(p: ProbeTrack | undefined): number {
  return p?.goodSince != null && p.lastGood != null ? p.lastGood - p.goodSince : -1;
}

/** The member about to take over once the holding time (and the dwell) have passed, and the wait in ms. */
export function pendingFailBack(run: GroupRun, now: number, t: Timing): { member: number; waitMs: number } | null {
  for (let i = 0; i < run.active; i++) {
    const held = heldFor(run.probes.get(i));
    if (held >= 0) return { member: i, waitMs: Math.max(t.holdMs - held, t.dwellMs - (now - run.switchedAt), 0) };
  }
  return null;
}

function track(run: GroupRun, member: number): ProbeTrack {
  let p = run.probes.get(member);
  if (!p) run.probes.set(member, (p = { goodSince: null, lastGood: null, lastAt: null, inFlight: false }));
  return p;
}
