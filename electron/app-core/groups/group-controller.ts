// Failover groups at run time, in the app's main process: it holds the
// configs and drives the helper, which stays the one that knows tunnel
// health (tunnel-state events, dead-tunnel detection, the probe call).
//
//   setActive(on) --> first member up --tick--> failover-policy.decide():
//     switch  the old member down, the new one up (one at a time: members
//             usually claim the same routes)
//     probe   helper.probe(a higher-ranked member's config): handshake only
//   the active member switched off by hand --> the group goes off too
//   a member comes up while its group is off --> the group is on through it
//
// Every change goes to the renderer as groups:changed and to the tray.
import type { GroupSpec, GroupReason, GroupStatus } from '../../../shared/ipc/groups.js';
import { GROUP_DEFAULTS } from '../../../shared/ipc/groups.js';
import type { EmitEvent } from '../../../shared/ipc/schema.js';
import type { HelperSupervisor } from '../helper/helper-supervisor.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { TunnelService } from '../tunnels/tunnel-service.js';
import {
  decide, isUnhealthy, observe, pendingFailBack, probeStarted, probed, startRun, switched, type GroupRun, type Timing,
} from './failover-policy.js';
import { GroupError, type GroupStore } from './group-store.js';

export const TICK_MS = 500;
const PROBE_TIMEOUT_MS = 8_000;

interface Running {
  spec: GroupSpec;
  run: GroupRun;
  reason: GroupReason;
  /** A switch is under way: the members' own state changes are the controller's doing. */
  busy: boolean;
}

export interface GroupDeps {
  store: GroupStore;
  tunnels: TunnelService;
  profiles: ProfileStore;
  helper: HelperSupervisor;
  emit: EmitEvent;
  now: () => number;
}

export function timingOf(spec: GroupSpec): Timing {
  const s = (k: keyof typeof GROUP_DEFAULTS) => (spec[k] ?? GROUP_DEFAULTS[k]) * 1000;
  return { failAfterMs: s('failAfterSeconds'), holdMs: s('holdSeconds'), dwellMs: s('dwellSeconds'), probeEveryMs: s('probeEverySeconds') };
}

export class GroupController {
  private runs = new Map<string, Running>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastSent = '';
  private listeners = new Set<() => void>();

  constructor(private readonly d: GroupDeps) {
    d.tunnels.onChange((change) => {
      if (!change) return;
      if (change.previous === 'down' && change.state !== 'down') this.adopt(change.name);
      for (const [name, r] of this.runs) {
        if (r.busy || r.spec.members[r.run.active] !== change.name) continue;
        // Switched off by hand (the list, the tray): the user wants the group off, not the next member.
        if (change.state === 'down' && change.previous !== 'down') void this.setActive(name, false);
        else this.tick();
      }
    });
  }

  /** Groups changed (list, state, reason): the tray redraws from this. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  list(): GroupStatus[] {
    return this.d.store.list().map((spec) => this.statusOf(spec));
  }

  async setActive(name: string, on: boolean): Promise<void> {
    const spec = this.d.store.get(name);
    if (!spec) throw new GroupError(`There is no group named "${name}".`);
    const r = this.runs.get(name);
    if (!on) {
      if (!r) return;
      this.runs.delete(name);
      this.changed();
      await this.d.tunnels.setActive(spec.members[r.run.active]!, false).catch(() => undefined);
      return;
    }
    if (r) return;
    const running: Running = { spec, run: startRun(spec.members.length), reason: { code: 'started', to: spec.members[0]! }, busy: true };
    this.runs.set(name, running);
    this.changed();
    try {
      for (const m of spec.members.slice(1)) await this.d.tunnels.setActive(m, false).catch(() => undefined);
      await this.bringUp(spec, spec.members[0]!);
    } finally {
      running.busy = false;
    }
    this.ensureTimer();
    this.changed();
  }

  /**
   * A member came up while its group is off: switched on by hand, or still up
   * from before the app restarted (the helper keeps tunnels). The group is on
   * through it, so it fails over, and back, from there.
   */
  private adopt(member: string): void {
    const spec = this.d.store.list().find((g) => g.members.includes(member));
    if (!spec || this.runs.has(spec.name)) return;
    const run = startRun(spec.members.length);
    run.active = spec.members.indexOf(member);
    this.runs.set(spec.name, { spec, run, reason: { code: 'started', to: member }, busy: false });
    this.ensureTimer();
    this.changed();
  }

  async save(original: string | null, spec: GroupSpec): Promise<GroupStatus[]> {
    const r = original === null ? undefined : this.runs.get(original);
    const saved = this.d.store.save(original, spec);
    if (r && original !== null) {
      this.runs.delete(original);
      const active = r.spec.members[r.run.active]!;
      const at = saved.members.indexOf(active);
      if (at < 0) await this.d.tunnels.setActive(active, false).catch(() => undefined);
      else {
        // The same member keeps running; the new order and timings apply from here.
        const run = startRun(saved.members.length);
        run.active = at;
        this.runs.set(saved.name, { spec: saved, run, reason: r.reason, busy: false });
      }
    }
    this.changed();
    return this.list();
  }

  async remove(name: string): Promise<void> {
    await this.setActive(name, false);
    this.d.store.remove(name);
    this.changed();
  }

  /** A tunnel was renamed or deleted (to null). */
  tunnelChanged(from: string, to: string | null): void {
    for (const g of this.d.store.tunnelChanged(from, to)) {
      const r = this.runs.get(g);
      const spec = this.d.store.get(g);
      if (r && spec) r.spec = spec;
      else if (r) this.runs.delete(g);
    }
    this.changed();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One step of every running group; the timer calls it, and so does any state change of an active member. */
  tick(): void {
    if (this.runs.size === 0) this.stop(); // started again by the next group that goes on
    const now = this.d.now();
    for (const [name, r] of this.runs) {
      if (r.busy) continue;
      const active = this.d.tunnels.summary(r.spec.members[r.run.active]!);
      // The helper itself is gone or outdated: no member would do better, and bringing one up would ask for a password.
      if (active.diagnosis?.code === 'helper-lost' || active.diagnosis?.code === 'helper-outdated') continue;
      observe(r.run, active.state, now);
      const next = decide(r.run, now, timingOf(r.spec));
      if (next.kind === 'switch') void this.switchTo(name, r, next.to, next.why);
      else if (next.kind === 'probe') void this.probe(r, next.member);
    }
    this.changed();
  }

  private async switchTo(name: string, r: Running, to: number, why: 'failed-over' | 'failed-back'): Promise<void> {
    const from = r.spec.members[r.run.active]!;
    const target = r.spec.members[to]!;
    r.busy = true;
    switched(r.run, to, this.d.now());
    r.reason = { code: why, from, to: target };
    this.changed();
    try {
      await this.d.tunnels.setActive(from, false).catch(() => undefined);
      if (this.runs.get(name) === r) await this.bringUp(r.spec, target);
    } finally {
      r.busy = false;
      this.changed();
    }
  }

  /** Up; a failure shows as the member's error state, which the policy reads as unhealthy. */
  private async bringUp(spec: GroupSpec, member: string): Promise<void> {
    try {
      await this.d.tunnels.setActive(member, true);
      if (spec.deadAfterSeconds !== undefined) {
        await this.d.helper.current()?.call('setOptions', { name: member, options: { deadAfterSeconds: spec.deadAfterSeconds } });
      }
    } catch {
      // The tunnel's own state and log say why.
    }
  }

  private async probe(r: Running, member: number): Promise<void> {
    const switches = r.run.switches;
    probeStarted(r.run, member);
    const name = r.spec.members[member]!;
    let healthy = false;
    try {
      const helper = this.d.helper.current();
      if (helper) {
        const timeoutMs = Math.min(PROBE_TIMEOUT_MS, Math.max(1000, timingOf(r.spec).probeEveryMs));
        healthy = (await helper.call('probe', { name, configText: this.d.profiles.read(name), timeoutMs })).healthy;
      }
    } catch {
      // No helper, a missing profile, a busy prober: not proven healthy.
    }
    if (r.run.switches === switches) probed(r.run, member, healthy, this.d.now());
    this.changed();
  }

  private statusOf(spec: GroupSpec): GroupStatus {
    const r = this.runs.get(spec.name);
    if (!r) return { name: spec.name, members: spec.members, on: false, active: null, reason: null, switches: 0, spec };
    const now = this.d.now();
    const active = spec.members[r.run.active] ?? null;
    const pending = pendingFailBack(r.run, now, timingOf(spec));
    const lastAndDead = r.run.active === spec.members.length - 1 && active !== null && isUnhealthy(this.d.tunnels.stateOf(active));
    const reason: GroupReason = lastAndDead && !r.busy ? { code: 'all-failed', from: active! }
      : pending ? { code: 'holding', to: spec.members[pending.member]!, seconds: Math.ceil(pending.waitMs / 1000) }
        : r.reason;
    return { name: spec.name, members: spec.members, on: true, active, reason, switches: r.run.switches, spec };
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref?.();
  }

  private changed(): void {
    const list = this.list();
    const text = JSON.stringify(list);
    if (text === this.lastSent) return;
    this.lastSent = text;
    this.d.emit('groups:changed', list);
    for (const l of this.listeners) l();
  }
}
