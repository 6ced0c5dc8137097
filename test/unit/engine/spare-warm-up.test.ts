// The spare's warm-up runs one step per event-loop turn and stops when the
// order comes: what is left would only delay the engine's first handshake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { startSpareWarmUp } from '../../../tunnel-helper/src/engine/spare-warm-up.js';

test('steps run one a turn and stop after the current one', async () => {
  const ran: string[] = [];
  const step = (name: string) => () => { ran.push(name); };
  const stop = startSpareWarmUp([step('a'), step('b'), step('c')]);
  assert.deepEqual(ran, [], 'nothing runs before the first turn');
  await turn();
  assert.deepEqual(ran, ['a']);
  stop();
  for (let i = 0; i < 4; i++) await turn();
  assert.deepEqual(ran, ['a'], 'an order stops the warm-up');
});

test('a step that has more to do runs again on the next turn', async () => {
  let left = 3;
  const ran: string[] = [];
  startSpareWarmUp([() => { ran.push(`long ${left}`); return --left > 0; }, () => { ran.push('short'); }]);
  for (let i = 0; i < 6; i++) await turn();
  assert.deepEqual(ran, ['long 3', 'long 2', 'long 1', 'short']);
});

test('the real steps run while idle, each within one turn, and a stop ends them', async () => {
  let turns = 0;
  const stop = startSpareWarmUp();
  // A step that threw would fail this test as an uncaught exception.
  for (; turns < 12; turns++) await turn();
  stop();
  assert.equal(turns, 12);
});
