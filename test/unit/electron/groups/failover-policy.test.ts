import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decide, observe, pendingFailBack, probeStarted, probed, startRun, switched, type GroupRun, type Timing,
} from '../../../../electron/app-core/groups/failover-policy.js';
import type { TunnelState } from '../../../../shared/ipc/types.js';

const T: Timing = { failAfterMs: 5_000, holdMs: 60_000, dwellMs: 30_000, probeEveryMs: 10_000 };

/** A group driven by a clock the test moves: the policy's decisions applied as the controller applies them. */
class Sim {
  now = 0;
  readonly run: GroupRun;
  readonly log: string[] = [];
  constructor(members: number, readonly primaryAnswers: (now: number) => boolean, private activeState: (active: number, now: number) => TunnelState) {
    this.run = startRun(members);
  }
  /** Steps the clock in ticks of `step` ms; probes answer at once. */
  runFor(ms: number, step = 500): void {
    for (const end = this.now + ms; this.now < end; this.now += step) {
      observe(this.run, this.activeState(this.run.active, this.now), this.now);
      const d = decide(this.run, this.now, T);
      if (d.kind === 'switch') {
        switched(this.run, d.to, this.now);
        this.log.push(`${this.now}:${d.why}:${d.to}`);
      } else if (d.kind === 'probe') {
        probeStarted(this.run, d.member);
        probed(this.run, d.member, d.member === 0 ? this.primaryAnswers(this.now) : true, this.now);
      }
    }
  }
}

describe('failover policy', () => {
  it('fails over once the active member has been unhealthy for failAfter, and not before', () => {
    const run = startRun(2);
    observe(run, 'up', 40_000);
    observe(run, 'reconnecting', 41_000);
    assert.deepEqual(decide(run, 45_999, T), { kind: 'wait' });
    assert.deepEqual(decide(run, 46_000, T), { kind: 'switch', to: 1, why: 'failed-over' });
  });

  it('treats connecting as not judged yet, and degraded, reconnecting and error as unhealthy', () => {
    for (const [state, bad] of [['connecting', false], ['up', false], ['degraded', true], ['reconnecting', true], ['error', true]] as const) {
      const run = startRun(2);
      observe(run, state, 40_000);
      assert.equal(decide(run, 100_000, T).kind === 'switch', bad, state);
    }
  });

  it('never switches within the dwell time of the previous switch', () => {
    const run = startRun(3);
    switched(run, 1, 100_000);
    observe(run, 'error', 100_000);
    assert.equal(decide(run, 129_999, T).kind, 'probe', 'it probes the primary meanwhile');
    probeStarted(run, 0);
    assert.deepEqual(decide(run, 129_999, T), { kind: 'wait' }, 'one probe at a time per member');
    assert.deepEqual(decide(run, 130_000, T), { kind: 'switch', to: 2, why: 'failed-over' });
  });

  it('stays on the last member when it is dead too, probing the higher ones', () => {
    const run = startRun(2);
    switched(run, 1, 0);
    observe(run, 'reconnecting', 0);
    assert.deepEqual(decide(run, 100_000, T), { kind: 'probe', member: 0 });
  });

  it('fails back only after the primary passed every probe for the holding time, then stays', () => {
    // The primary is out from 20 s to 100 s.
    const sim = new Sim(2, (now) => now >= 100_000, (active, now) => (active === 0 && now >= 20_000 && now < 100_000 ? 'reconnecting' : 'up'));
    sim.runFor(300_000);
    assert.equal(sim.log[0], '25000:failed-over:1');
    // Answers from 100 s; the first passed probe is the first one at or after it; hold 60 s after that.
    const back = sim.log[1]!.split(':');
    assert.equal(back[1], 'failed-back');
    assert.ok(Number(back[0]) >= 160_000, `failed back at ${back[0]}, after the holding time`);
    assert.equal(sim.run.switches, 2, 'no flap after the primary is back');
  });

  it('does not fail back to a primary that answers only now and then: no flap loop', () => {
    // The primary answers 2 probes in 3: each failed probe restarts its holding time.
    let n = 0;
    const sim = new Sim(2, () => n++ % 3 !== 2, (active, now) => (active === 0 && now >= 20_000 ? 'reconnecting' : 'up'));
    sim.runFor(3_600_000);
    assert.deepEqual(sim.log, ['25000:failed-over:1'], 'one switch in an hour');
  });

  it('takes a higher member whose latest probe passed at once when the active one is dead', () => {
    const run = startRun(2);
    switched(run, 1, 0);
    probeStarted(run, 0);
    probed(run, 0, true, 40_000);
    observe(run, 'error', 41_000);
    assert.equal(decide(run, 45_000, T).kind, 'wait', 'dead for less than failAfter');
    assert.deepEqual(decide(run, 46_000, T), { kind: 'switch', to: 0, why: 'failed-back' });
  });

  it('says how long until a fail-back, and drops an answer that arrives after a switch', () => {
    const run = startRun(2);
    switched(run, 1, 0);
    probed(run, 0, true, 40_000);
    probed(run, 0, true, 50_000);
    assert.deepEqual(pendingFailBack(run, 50_000, T), { member: 0, waitMs: 50_000 });
    switched(run, 0, 60_000);
    probed(run, 0, true, 61_000);
    assert.equal(run.probes.size, 0);
    assert.equal(pendingFailBack(run, 61_000, T), null);
  });
});
