// The helper's `launchApp` call, over its real control socket: the app sends
// a desktop file ID, and the helper finds the entry itself, starts it as its
// user (not root, with an environment it built) inside the split cgroup, and
// refuses an unknown app, a tunnel that is not up and a foreign session
// variable without changing anything.
//
// The helper runs in a namespace with its own mounts: cgroup2 at
// /sys/fs/cgroup (the unified layout) and a test directory bound over
// /usr/local/share (an XDG data dir), so the host's directories are not touched.
// Its user is `nobody` (a real passwd entry, home /nonexistent).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectHelper } from '../../../electron/app-core/helper/control-client.js';
import { Netns, waitFor } from '../../support/netns.js';
import { repoRoot } from '../../support/cli.js';
import { skipReason } from '../netconfig/topology.js';
import { NOBODY } from './split-topology.js';

const skip = skipReason || (!existsSync('/usr/local/share') ? 'needs /usr/local/share to bind over' : false);
const PARENT = `wiredesk-sp${process.pid}h`;

describe('the helper launches apps into their cgroup', { skip }, () => {
  it('starts a desktop entry as its user, outside the tunnels, and refuses bad requests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wd-split-'));
    chmodSync(dir, 0o755);
    const share = join(dir, 'share');
    const apps = join(share, 'applications');
    const out = join(dir, 'out');
    mkdirSync(apps, { recursive: true });
    mkdirSync(out, { mode: 0o777 });
    chmodSync(out, 0o777);
    writeFileSync(join(apps, 'sp-probe.desktop'), [
      '[Desktop Entry]', 'Type=Application', 'Name=Split probe',
      `Exec=sh -c "id -u > ${out}/who; grep ^0:: /proc/self/cgroup >> ${out}/who; env | sort > ${out}/env" %U`, '',
    ].join('\n'));
    writeFileSync(join(apps, 'sp-console.desktop'), '[Desktop Entry]\nType=Application\nName=Console\nExec=top\nTerminal=true\n');
    const ns = new Netns('sl');
    const socketPath = join(dir, 'helper.sock');
    const helper = spawn('ip', ['netns', 'exec', ns.name, 'sh', '-c',
      'mount -t cgroup2 none /sys/fs/cgroup && mount --bind "$0" /usr/local/share && exec "$@"', share,
      process.execPath, join(repoRoot, 'tunnel-helper', 'bin', 'wiredesk-helper'),
      '--owner-uid', String(NOBODY), '--socket', socketPath, '--log-dir', join(dir, 'logs'), '--policy', join(dir, 'policy.json')],
    { env: { ...process.env, WIREDESK_STATE_DIR: join(dir, 'state'), WIREDESK_SPLIT_CGROUP: PARENT }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    helper.stdout!.on('data', (c: Buffer) => { output += c.toString(); });
    helper.stderr!.on('data', (c: Buffer) => { output += c.toString(); });
    try {
      await waitFor(() => /serving uid/.test(output) || helper.exitCode !== null, 20_000, 'the helper');
      assert.equal(helper.exitCode, null, output);
      const client = await connectHelper(socketPath, { expectedOwnerUid: NOBODY, reconnect: false, callTimeoutMs: 30_000, clientName: 'test' });
      try {
        assert.ok(client.helloResult?.capabilities.includes('split-apps'));
        const refusals: [Parameters<typeof client.call<'launchApp'>>[1], string, RegExp][] = [
          [{ desktopId: 'sp-missing.desktop', tunnel: null, session: {} }, 'not-found', /sp-missing\.desktop is not an installed app/],
          [{ desktopId: 'sp-probe.desktop', tunnel: 'spnotup', session: {} }, 'conflict', /no tunnel named spnotup is up/],
          [{ desktopId: 'sp-probe.desktop', tunnel: null, session: { XDG_RUNTIME_DIR: '/run/user/0' } }, 'invalid-params', /XDG_RUNTIME_DIR must be \/run\/user\/65534/],
          [{ desktopId: 'sp-console.desktop', tunnel: null, session: {} }, 'invalid-params', /runs in a terminal/],
        ];
        for (const [params, code, message] of refusals) {
          await assert.rejects(client.call('launchApp', params), (e: { code?: string; message: string }) => {
            assert.equal(e.code, code, e.message);
            assert.match(e.message, message);
            return true;
          }, JSON.stringify(params));
        }
        await assert.rejects(client.call('launchApp', { desktopId: 'sp-probe.desktop', tunnel: null, session: { LD_PRELOAD: '/x' } } as never),
          /LD_PRELOAD: expected no such field/);
        assert.doesNotMatch(ns.exec('nft', ['list', 'tables']), /wiredesk-split/, 'a refused launch changes nothing');

        const started = await client.call('launchApp', { desktopId: 'sp-probe.desktop', tunnel: null, session: { DISPLAY: ':7' } });
        assert.equal(started.name, 'Split probe');
        await waitFor(() => existsSync(join(out, 'env')) && readFileSync(join(out, 'env'), 'utf8').includes('USER='), 10_000, 'the app to run');
        assert.deepEqual(readFileSync(join(out, 'who'), 'utf8').trim().split('\n'), [String(NOBODY), `0::/${PARENT}/outside`]);
        const env = readFileSync(join(out, 'env'), 'utf8');
        assert.match(env, /^DISPLAY=:7$/m);
        assert.match(env, /^HOME=\/nonexistent$/m);
        assert.match(env, /^USER=nobody$/m);
        assert.doesNotMatch(env, /WIREDESK_|ELECTRON_|SUDO_/, 'nothing of the helper\'s own environment');
        // Listed from outside the helper's mounts, nft shows the cgroup by its id.
        assert.match(ns.exec('nft', ['list', 'table', 'inet', 'wiredesk-split']), /socket cgroupv2 level 2 \S+ meta mark set 0x77640000/);
      } finally {
        client.close();
      }
    } finally {
      if (helper.exitCode === null) helper.kill('SIGKILL');
      ns.destroy();
      // The app exited; its cgroups are empty (no sweep ran in the namespace that is gone).
      for (const d of [`/sys/fs/cgroup/unified/${PARENT}/outside`, `/sys/fs/cgroup/unified/${PARENT}`]) {
        await waitFor(() => { try { rmdirSync(d); } catch { /* busy a moment longer */ } return !existsSync(d); }, 5000, `${d} to go`).catch(() => {});
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
