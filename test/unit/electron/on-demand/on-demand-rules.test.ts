import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decide, plan, type TunnelFacts } from '../../../../electron/app-core/on-demand/on-demand-rules.js';
import type { OnDemandRule } from '../../../../shared/ipc/on-demand.js';

const HOME = { key: 'wifi:Home', label: 'Home' };
const CAFE = { key: 'wifi:Cafe', label: 'Cafe' };
const OFFICE = { key: 'gateway:52:54:00:00:00:01@10.1.0.0/24', label: '10.1.0.0/24 · 52:54:00:00:00:01' };
const trusted = [HOME];
const rule = (mode: OnDemandRule['mode'], networks = [OFFICE]): OnDemandRule => ({ mode, networks });

describe('on-demand: one rule on one network', () => {
  it('never switches a tunnel whose rule is "never" (the default)', () => {
    for (const n of [HOME.key, CAFE.key, null]) assert.deepEqual(decide(rule('never'), n, trusted, false), { action: 'none' });
  });
  it('"untrusted" connects on any network that is not trusted and disconnects on trusted ones', () => {
    assert.deepEqual(decide(rule('untrusted'), CAFE.key, trusted, false), { action: 'up', reason: 'untrusted-network' });
    assert.deepEqual(decide(rule('untrusted'), HOME.key, trusted, false), { action: 'down', reason: 'trusted-network' });
  });
  it('"listed" connects on its networks, and elsewhere switches off only what it switched on', () => {
    assert.deepEqual(decide(rule('listed'), OFFICE.key, trusted, false), { action: 'up', reason: 'listed-network' });
    assert.deepEqual(decide(rule('listed'), CAFE.key, trusted, true), { action: 'down', reason: 'unlisted-network' });
    assert.deepEqual(decide(rule('listed'), CAFE.key, trusted, false), { action: 'none' });
  });
  it('"off-trusted" disconnects on trusted networks and never connects', () => {
    assert.deepEqual(decide(rule('off-trusted'), HOME.key, trusted, false), { action: 'down', reason: 'trusted-network' });
    assert.deepEqual(decide(rule('off-trusted'), CAFE.key, trusted, false), { action: 'none' });
  });
  it('does nothing while offline', () => {
    for (const m of ['untrusted', 'listed', 'off-trusted'] as const) assert.deepEqual(decide(rule(m), null, trusted, true), { action: 'none' });
  });
});

describe('on-demand: the plan for every tunnel', () => {
  const t = (name: string, mode: OnDemandRule['mode'], active: boolean, extra: Partial<TunnelFacts> = {}): TunnelFacts =>
    ({ name, rule: rule(mode), active, upByRule: false, suspended: false, ...extra });
  it('asks only for the switches a tunnel needs', () => {
    assert.deepEqual(plan(CAFE.key, trusted, [t('a', 'untrusted', false), t('b', 'untrusted', true), t('c', 'never', false)]),
      [{ name: 'a', action: 'up', reason: 'untrusted-network' }]);
    assert.deepEqual(plan(HOME.key, trusted, [t('a', 'untrusted', true), t('b', 'untrusted', false), t('c', 'off-trusted', true)]),
      [{ name: 'a', action: 'down', reason: 'trusted-network' }, { name: 'c', action: 'down', reason: 'trusted-network' }]);
  });
  it('leaves a suspended rule alone (switched by hand on this network)', () => {
    assert.deepEqual(plan(CAFE.key, trusted, [t('a', 'untrusted', false, { suspended: true })]), []);
    assert.deepEqual(plan(HOME.key, trusted, [t('a', 'untrusted', true, { suspended: true })]), []);
  });
  it('moving from an untrusted to a trusted network and back flips the tunnel each time', () => {
    const on = plan(CAFE.key, trusted, [t('a', 'untrusted', false)]);
    const off = plan(HOME.key, trusted, [t('a', 'untrusted', true, { upByRule: true })]);
    assert.deepEqual([on[0]?.action, off[0]?.action], ['up', 'down']);
  });
});
