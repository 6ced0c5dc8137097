// tunnels:createDemo through the real dispatcher and app-core, against a
// stand-in demo server on 127.0.0.1: a profile appears (named demo, then
// demo-2), the list is announced, and a failure saves nothing.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createAppCore } from '../../../electron/app-core/app-core.js';
import { createDispatcher } from '../../../electron/ipc/dispatch.js';
import { publicKeyFromPrivate } from '../../../shared/config/index.js';
import { startFakeDemoServer, type FakeDemoServer } from '../../support/fake-demo-server.js';
import { FakeHelper, fakeLauncher, recordingPorts } from './fakes.js';

const SERVER_PK = Buffer.from('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f', 'hex').toString('base64');
const ours = { id: 1, frameUrl: 'file:///app/renderer/dist/index.html', isMainFrame: true };
const servers: FakeDemoServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

function setup() {
  const ports = recordingPorts(fakeLauncher(new FakeHelper()));
  const core = createAppCore(ports);
  const dispatch = createDispatcher(core.handlers, { ids: new Set([1]), appUrlPrefix: 'file:///app/renderer/dist/' });
  return { ports, core, dispatch };
}

describe('tunnels:createDemo', () => {
  it('saves the demo tunnel as "demo", then "demo-2", and announces the new list', async () => {
    let next = 2;
    const s = await startFakeDemoServer(() => `OK:${SERVER_PK}:12912:192.168.4.${next++}\n`);
    servers.push(s);
    const { ports, core, dispatch } = setup();
    assert.deepEqual(await dispatch('tunnels:createDemo', [`127.0.0.1:${s.port}`], ours), { ok: true, name: 'demo' });
    assert.deepEqual(await dispatch('tunnels:createDemo', [`127.0.0.1:${s.port}`], ours), { ok: true, name: 'demo-2' });
    assert.deepEqual(core.profiles.list(), ['demo', 'demo-2']);
    const text = core.profiles.read('demo');
    const privateKey = /^PrivateKey = (\S+)$/m.exec(text)?.[1] ?? '';
    assert.equal(publicKeyFromPrivate(privateKey), s.received[0], 'the stored key is the one whose public half was sent');
    assert.match(text, /^Address = 192\.168\.4\.2\/24$/m);
    assert.match(core.profiles.read('demo-2'), /^Address = 192\.168\.4\.3\/24$/m);
    const lists = ports.eventsOf('tunnels:changed').map((l) => l.map((t) => t.name));
    assert.deepEqual(lists.at(-1), ['demo', 'demo-2']);
    assert.equal(core.tunnels.stateOf('demo'), 'down', 'the demo tunnel is saved, not switched on');
  });

  it('returns the failure as data and saves nothing', async () => {
    const s = await startFakeDemoServer(() => 'ERROR\n');
    servers.push(s);
    const { core, dispatch } = setup();
    assert.deepEqual(await dispatch('tunnels:createDemo', [`127.0.0.1:${s.port}`], ours), {
      ok: false, failure: { code: 'server-error', target: `127.0.0.1:${s.port}` },
    });
    assert.deepEqual(await dispatch('tunnels:createDemo', ['not a host'], ours), { ok: false, failure: { code: 'bad-host', target: 'not a host' } });
    assert.deepEqual(core.profiles.list(), []);
  });

  it('checks its argument like every call: one string of at most 300 characters', async () => {
    const { dispatch } = setup();
    await assert.rejects(dispatch('tunnels:createDemo', [42], ours), /tunnels:createDemo\[0\]: expected a string/);
    await assert.rejects(dispatch('tunnels:createDemo', ['a'.repeat(301)], ours), /at most 300 characters/);
    await assert.rejects(dispatch('tunnels:createDemo', ['a', 'b'], ours), /at most 1 arguments/);
  });
});
