// Starting the helper: on demand with --daemon (as sudo-prompt runs it), one
// at a time, and after a crash: a tunnel whose engine survived is adopted,
// one whose engine died too is cleaned up.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connectHelper } from '../../../electron/app-core/helper/control-client.js';
import type { EventData } from '../../../shared/control/protocol.js';
import { hasCommand, isRoot, run, waitFor } from '../../support/netns.js';
import { repoRoot } from '../../support/cli.js';
import { HelperFixture, OWNER_UID, collect } from './fixture.js';

const skip = !isRoot() ? 'needs root' : !hasCommand('wireguard-go') ? 'needs wireguard-go' : false;
const helperBin = join(repoRoot, 'tunnel-helper', 'bin', 'wiredesk-helper');

describe('helper start, restart and crash recovery', { skip }, () => {
  let fx: HelperFixture;

  before(async () => {
    fx = new HelperFixture();
    fx.addPeer(1);
    fx.addPeer(2);
    await fx.startHelper();
  });
  after(() => fx?.destroy());

  const helperArgs = () => ['--owner-uid', String(OWNER_UID), '--socket', fx.socketPath, '--log-dir', join(fx.dir, 'logs'), '--policy', join(fx.dir, 'policy.json')];
  const startDaemon = () => spawnSync('ip', ['netns', 'exec', fx.client.name, process.execPath, helperBin, ...helperArgs(), '--daemon'], {
    encoding: 'utf8', timeout: 30_000, env: { ...process.env, WIREDESK_STATE_DIR: join(fx.dir, 'state') },
  });
  const linkExists = (name: string) => fx.client.exec('ip', ['-o', 'link']).includes(`${name}:`);

  it('refuses to start a second helper on the same socket', () => {
    const r = startDaemon();
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Another helper is already listening on .*helper\.sock\. Stop it first/);
  });

  it('adopts a tunnel whose engine survived a helper crash; the app reconnects by itself', async () => {
    const app = await fx.connect();
    const watcher = await connectHelper(fx.socketPath, { expectedOwnerUid: OWNER_UID, backoffInitialMs: 100, backoffMaxMs: 400 });
    const changes: string[] = [];
    watcher.onConnection((state) => changes.push(state));
    const name = fx.tunnelName(1);
    const states = collect<EventData<'tunnel-state'>>((cb) => app.on('tunnel-state', cb));
    await app.call('up', { name, configText: fx.configFor(fx.peers[0]!) });
    await waitFor(() => states.items.some((s) => s.name === name && s.state === 'up'), 15_000, 'up');
    fx.helper!.kill('SIGKILL');
    await waitFor(() => !fx.helperAlive, 5_000, 'the helper to die');
    assert.ok(linkExists(name), 'the tunnel outlives the helper');

    // The app starts a new helper on demand; it detaches once it serves.
    const r = startDaemon();
    assert.equal(r.status, 0, r.stderr);
    const again = await fx.connect();
    const list = await again.call('listTunnels', {});
    assert.deepEqual(list.tunnels.map((t) => t.name), [name]);
    await waitFor(async () => (await again.call('status', { name })).tunnels[0]!.state === 'up', 10_000, 'the adopted tunnel to be up');
    const logs = await again.call('logs', { name, limit: 20 });
    assert.ok(logs.lines.some((l) => /Adopted/.test(l.text)));
    await again.call('down', { name });
    assert.equal(linkExists(name), false);
    await waitFor(() => changes.includes('connected'), 5_000, 'the watching client to reconnect');
    assert.deepEqual(changes.slice(0, 2), ['disconnected', 'connected']);
    assert.deepEqual(await watcher.call('listTunnels', {}), { tunnels: [] });
    watcher.close();
  });

  it('cleans up a tunnel whose engine died with the helper', async () => {
    const app = await fx.connect();
    const name = fx.tunnelName(2);
    await app.call('up', { name, configText: fx.configFor(fx.peers[1]!, { allowedIps: '0.0.0.0/0' }) });
    assert.ok(fx.client.exec('ip', ['rule']).includes('suppress_prefixlength 0'), 'policy routing for the /0');
    // kill -9 everything in the client namespace: the daemonized helper and the engine.
    for (const pid of run('ip', ['netns', 'pids', fx.client.name]).split(/\s+/).filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
    await waitFor(() => run('ip', ['netns', 'pids', fx.client.name]).trim() === '', 5_000, 'the processes to die');

    const r = startDaemon();
    assert.equal(r.status, 0, r.stderr);
    const fresh = await fx.connect();
    assert.deepEqual((await fresh.call('listTunnels', {})).tunnels, []);
    const logs = await fresh.call('logs', { limit: 200 });
    assert.ok(logs.lines.some((l) => l.text.includes(`Cleaned up "${name}"`)), JSON.stringify(logs.lines.slice(-10)));
    assert.equal(linkExists(name), false);
    assert.equal(fx.client.exec('ip', ['rule']).includes('suppress_prefixlength 0'), false, 'no policy rule left');
    assert.equal(existsSync(join(fx.dir, 'state', `${name}.journal`)), false, 'no journal left');
  });
});
