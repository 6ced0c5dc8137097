// The engine processes started ahead of need (netconfig/spare-engine.ts): the
// helper keeps one warm spare and an up takes it; the spare never outlives
// its holder; the CLI's launcher starts one for its up, and the CLI leaves
// none behind, even when the up fails.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventData } from '../../../shared/control/protocol.js';
import type { HelperClient } from '../../../electron/app-core/helper/control-client.js';
import { hasCommand, isRoot, run, waitFor } from '../../support/netns.js';
import { repoRoot } from '../../support/cli.js';
import { HelperFixture, collect } from './fixture.js';

const skip = !isRoot() ? 'needs root' : !hasCommand('wireguard-go') ? 'needs wireguard-go' : false;
const CLI = join(repoRoot, 'tunnel-helper', 'bin', 'wiredesk');

describe('warm spare engines', { skip }, () => {
  let fx: HelperFixture;
  let app: HelperClient;

  before(async () => {
    fx = new HelperFixture();
    fx.addPeer(0);
    fx.addPeer(1);
    await fx.startHelper();
    app = await fx.connect();
  });
  after(() => fx?.destroy());

  /** Engines in the client namespace still waiting for a name. */
  const spares = (): number[] => run('ip', ['netns', 'pids', fx.client.name]).split(/\s+/).filter(Boolean).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('--await-name');
    } catch {
      return false;
    }
  });
  const enginePidOf = async (name: string) => {
    const { lines } = await app.call('logs', { name, limit: 500 });
    const found = lines.map((l) => /wiredesk-tunnel \S+ \((warm spare, )?pid (\d+)\)/.exec(l.text)).filter((m) => m !== null).pop();
    assert.ok(found, 'the helper logged the engine it started');
    return { warm: found[1] !== undefined, pid: Number(found[2]) };
  };
  const up = async (name: string, index: number) => {
    const states = collect<EventData<'tunnel-state'>>((cb) => app.on('tunnel-state', cb));
    await app.call('up', { name, configText: fx.configFor(fx.peers[index]!) });
    await waitFor(() => states.items.some((s) => s.name === name && s.state === 'up'), 15_000, `${name} up`);
    states.stop();
  };

  it('an up takes the spare the helper holds, and the helper starts the next one', async () => {
    await waitFor(() => spares().length === 1, 10_000, 'the helper to hold a spare');
    const [held] = spares();
    const name = fx.tunnelName(0);
    await up(name, 0);
    assert.deepEqual(await enginePidOf(name), { warm: true, pid: held });
    assert.match(readFileSync(`/proc/${held}/cmdline`, 'utf8'), new RegExp(`wiredesk-tunnel ${name}\\b`), 'the engine shows its interface');
    await waitFor(() => spares().length === 1 && spares()[0] !== held, 10_000, 'the next spare');
    const [next] = spares();
    await up(fx.tunnelName(1), 1);
    assert.deepEqual(await enginePidOf(fx.tunnelName(1)), { warm: true, pid: next });
    assert.equal(fx.client.status('ping', ['-n', '-c', '1', '-W', '2', '10.240.1.2']), 0);
  });

  it('a spare exits with the helper that holds it; running tunnels stay', async () => {
    await waitFor(() => spares().length === 1, 10_000, 'a spare');
    const [spare] = spares();
    const { pid: engine } = await enginePidOf(fx.tunnelName(0));
    fx.helper!.kill('SIGKILL');
    await waitFor(() => !existsSync(`/proc/${spare}`), 5_000, 'the spare to exit');
    assert.ok(existsSync(`/proc/${engine}`), 'the tunnel engine outlives the helper');
  });

  it("the CLI's up runs on the engine its launcher started beside it, in a session of its own", () => {
    const stateDir = join(fx.dir, 'cli-early-state');
    const cliName = `wh${fx.id}e`.slice(0, 15);
    const conf = join(fx.dir, `${cliName}.conf`);
    writeFileSync(conf, fx.configFor(fx.peers[1]!, { allowedIps: '10.248.0.0/24' }).replace(/Address = .*/, 'Address = 10.248.1.1/32'), { mode: 0o600 });
    const out = fx.client.exec('sh', ['-c', `WIREDESK_STATE_DIR=${stateDir} ${CLI} up ${conf} 2>&1`]);
    try {
      const pid = Number(/wiredesk-tunnel \S+ \(warm spare, pid (\d+)\)/.exec(out)?.[1]);
      assert.ok(pid > 0, `the up took a spare: ${out}`);
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      assert.equal(Number(stat[3]), pid, 'the engine leads its own session (setsid), out of the terminal\'s reach');
      assert.match(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), new RegExp(`wiredesk-tunnel ${cliName}\\b`), 'ps names the tunnel');
      assert.match(fx.client.exec('ip', ['-o', 'link', 'show', 'dev', cliName]), /UP/);
    } finally {
      fx.client.exec('sh', ['-c', `WIREDESK_STATE_DIR=${stateDir} ${CLI} down ${cliName}`]);
    }
    assert.deepEqual(readdirSync(stateDir).filter((f) => f.startsWith('.spare-')), []);
  });

  it('the CLI leaves no spare and no spare output behind, after an up and after a failed one', () => {
    const stateDir = join(fx.dir, 'cli-state');
    const env = ['env', `WIREDESK_STATE_DIR=${stateDir}`];
    const cliName = `wh${fx.id}c`.slice(0, 15); // unique on this host, like the fixture's names
    const ok = join(fx.dir, `${cliName}.conf`);
    // Its own ranges: the helper's tunnels (their engines outlived it) keep theirs.
    writeFileSync(ok, fx.configFor(fx.peers[1]!, { allowedIps: '10.249.0.0/24' }).replace(/Address = .*/, 'Address = 10.249.1.1/32'), { mode: 0o600 });
    fx.client.exec(env[0]!, [...env.slice(1), CLI, 'up', ok]);
    assert.match(fx.client.exec('ip', ['-o', 'link', 'show', 'dev', cliName]), new RegExp(cliName));
    fx.client.exec(env[0]!, [...env.slice(1), CLI, 'down', cliName]);
    const bad = join(fx.dir, `${cliName}.conf`);
    writeFileSync(bad, fx.configFor(fx.peers[1]!).replace(/Endpoint = .*/, 'Endpoint = no-such-host.invalid:51820'), { mode: 0o600 });
    assert.notEqual(fx.client.status(env[0]!, [...env.slice(1), CLI, 'up', bad]), 0);
    assert.deepEqual(spares().filter((pid) => !/wiredesk-helper/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))), []);
    assert.deepEqual(readdirSync(stateDir).filter((f) => f.startsWith('.spare-')), []);
  });
});
