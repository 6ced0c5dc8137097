import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineFailureLine } from '../../../../tunnel-helper/src/helper/netconfig/engine.js';

test('a crashed engine is reported by its Error line, not the Node.js version footer', () => {
  const output = [
    '/opt/engine:2', 'throw new Error("boom")', '^', '',
    'Error: boom', '    at Object.<anonymous> (/opt/engine:2:7)', '    at Module._compile (node:internal/modules/cjs/loader:1521:14)',
    '', 'Node.js v20.20.2', '',
  ].join('\n');
  assert.equal(engineFailureLine(output), 'Error: boom');
});

test('an engine that explains itself is reported by its last failure line', () => {
  const output = 'DEBUG: starting\nwiredesk-tunnel: Failed to create TUN device wg0: Operation not permitted\n';
  assert.equal(engineFailureLine(output), 'wiredesk-tunnel: Failed to create TUN device wg0: Operation not permitted');
});

test('output with no failure words falls back to its last line', () => {
  assert.equal(engineFailureLine('one\ntwo\n'), 'two');
  assert.equal(engineFailureLine(''), '');
});
