import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDispatcher, isTrustedSender, type SenderInfo } from '../../../../electron/ipc/dispatch.js';
import { createInMemoryIpc } from '../../../../electron/ipc/in-memory.js';
import { invokes, type Handlers } from '../../../../shared/ipc/schema.js';

const policy = { ids: new Set([1]), appUrlPrefix: 'file:///opt/WireDesk/resources/app/renderer/dist/' };
const ours: SenderInfo = { id: 1, frameUrl: 'file:///opt/WireDesk/resources/app/renderer/dist/index.html', isMainFrame: true };

/** A handler table where every call records its arguments: derived from the schema's keys. */
function recordingHandlers(): { handlers: Handlers; calls: [string, unknown[]][] } {
  const calls: [string, unknown[]][] = [];
  const handlers = Object.fromEntries(Object.keys(invokes).map((k) => [k, (...a: unknown[]) => { calls.push([k, a]); return 'ok'; }])) as unknown as Handlers;
  return { handlers, calls };
}

describe('IPC sender validation', () => {
  it('trusts the main frame of our window showing our page', () => {
    assert.equal(isTrustedSender(ours, policy), true);
  });

  it('rejects another window, a subframe, a foreign page and a path that climbs out', () => {
    assert.equal(isTrustedSender({ ...ours, id: 2 }, policy), false);
    assert.equal(isTrustedSender({ ...ours, isMainFrame: false }, policy), false);
    assert.equal(isTrustedSender({ ...ours, frameUrl: 'https://evil.example/' }, policy), false);
    assert.equal(isTrustedSender({ ...ours, frameUrl: 'file:///opt/WireDesk/resources/app/renderer/dist/../../secret.html' }, policy), false);
    assert.equal(isTrustedSender({ ...ours, frameUrl: 'not a url' }, policy), false);
  });

  it('does not let a port prefix match a longer port', () => {
    const p = { ids: new Set([1]), appUrlPrefix: 'http://127.0.0.1:80/' };
    assert.equal(isTrustedSender({ id: 1, isMainFrame: true, frameUrl: 'http://127.0.0.1:8080/' }, p), false);
  });
});

describe('IPC dispatch', () => {
  it('calls the handler with the checked arguments', async () => {
    const { handlers, calls } = recordingHandlers();
    const dispatch = createDispatcher(handlers, policy);
    assert.equal(await dispatch('tunnels:setActive', ['office', true], ours), 'ok');
    assert.deepEqual(calls, [['tunnels:setActive', ['office', true]]]);
  });

  it('rejects an untrusted sender before looking at the call', async () => {
    const { handlers, calls } = recordingHandlers();
    const rejected: string[] = [];
    const dispatch = createDispatcher(handlers, policy, (why) => rejected.push(why));
    await assert.rejects(dispatch('tunnels:list', [], { ...ours, id: 9 }), /not allowed/);
    assert.equal(calls.length, 0);
    assert.match(rejected[0] ?? '', /untrusted sender/);
  });

  it('rejects unknown channels, including inherited object keys', async () => {
    const dispatch = createDispatcher(recordingHandlers().handlers, policy);
    await assert.rejects(dispatch('fs:readFile', [], ours), /Unknown request/);
    await assert.rejects(dispatch('toString', [], ours), /Unknown request/);
    await assert.rejects(dispatch('__proto__', [], ours), /Unknown request/);
  });

  it('rejects wrong types, bad names, extra arguments and unknown fields', async () => {
    const dispatch = createDispatcher(recordingHandlers().handlers, policy);
    await assert.rejects(dispatch('tunnels:setActive', ['office', 'yes'], ours), /tunnels:setActive\[1\]: expected a boolean/);
    await assert.rejects(dispatch('tunnels:detail', ['../etc/pass'], ours), /tunnels:detail\[0\]: expected a tunnel name of 1-15 characters/);
    await assert.rejects(dispatch('tunnels:detail', ['a'.repeat(16)], ours), /tunnels:detail\[0\]: expected a tunnel name of 1-15 characters/);
    await assert.rejects(dispatch('tunnels:list', ['extra'], ours), /at most 0 arguments/);
    await assert.rejects(dispatch('settings:set', [{ theme: 'dark', evil: 1 }], ours), /settings:set\[0\]\.evil: expected no such field/);
    await assert.rejects(dispatch('settings:set', [{ language: 'fr' }], ours), /one of "system", "en", "ja"/);
    await assert.rejects(dispatch('tunnels:list', 'not-a-list', ours), /an argument list/);
  });

  it('reads a null optional argument as absent (JSON transports send null)', async () => {
    const { handlers, calls } = recordingHandlers();
    const dispatch = createDispatcher(handlers, policy);
    await dispatch('tunnels:save', [null, 'office', 'text'], ours);
    await dispatch('tunnels:importText', ['text'], ours);
    assert.deepEqual(calls.map((c) => c[1]), [[null, 'office', 'text'], ['text', null]]);
  });

  it('the in-memory client derived from the schema delivers calls and events', async () => {
    const { handlers } = recordingHandlers();
    const ipc = createInMemoryIpc(createDispatcher(handlers, policy), ours);
    assert.equal(await ipc.api.invoke('tunnels:list'), 'ok');
    const seen: string[] = [];
    const off = ipc.api.on('tunnel:state', (s) => seen.push(`${s.name}:${s.state}`));
    ipc.emit('tunnel:state', { name: 'office', state: 'up' });
    off();
    ipc.emit('tunnel:state', { name: 'office', state: 'down' });
    assert.deepEqual(seen, ['office:up']);
  });
});
