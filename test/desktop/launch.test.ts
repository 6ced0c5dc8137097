// A user's first tunnel, through the real privilege boundary: the packaged
// app (owned by the user, as an AppImage or a checkout would be) runs as a
// non-root user on its own runtime (the Electron stand-in), and app-core's
// launcher goes through sudo-prompt → the real pkexec → the real polkitd on
// a system D-Bus. The helper it installs must run as root from root-owned
// files only, bring a tunnel up against wireguard-go, survive its own
// restart, refuse a mismatched version until updated, and leave the app
// usable when the password prompt is refused.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SOCKET_PATH } from '../../tunnel-helper/src/install/socket-security.js';
import { SYSTEM_FILES } from '../../tunnel-helper/src/install/layout.js';
import { rootOnlyTreeProblems } from '../../tunnel-helper/src/install/root-only-files.js';
import { hasCommand, isRoot, Netns, run, vethPair, waitFor } from '../support/netns.js';
import { keyPair } from '../helper/control/fixture.js';
import { AppSession } from './support/session-client.js';
import { DesktopSystem, hasDesktopTools } from './support/system.js';
import { buildPackagedApp, type PackagedApp } from './support/packaged-app.js';
import {
  helperPid, layout, pidsWith, processFacts, runUnit, systemFootprint, waitForExit, waitForHelper,
} from './support/installed-helper.js';

const skip = !isRoot() ? 'needs root' : !hasDesktopTools() ? 'needs pkexec, polkitd and dbus-daemon' : !hasCommand('wireguard-go') ? 'needs wireguard-go'
  : existsSync(layout.prefix) ? `${layout.prefix} is already installed on this machine` : false;

const tag = `${process.pid % 10000}`;
const TUNNEL = `wdk${tag}t`;
const PEER_IF = `wdk${tag}p`;

describe('the desktop launch path, as a user runs it', { skip }, () => {
  const system = new DesktopSystem();
  let app: PackagedApp;
  let client: Netns;
  let peerNs: Netns;
  let session: AppSession;
  let unitRun: ChildProcess | null = null;
  let footprintBefore: string[];
  const keys = { client: keyPair(), peer: keyPair() };
  const config = [
    '[Interface]', `PrivateKey = ${keys.client.priv}`, 'Address = 10.241.0.1/24', '',
    '[Peer]', `PublicKey = ${keys.peer.pub}`, 'AllowedIPs = 10.241.0.2/32', 'Endpoint = 192.168.241.2:52100', '',
  ].join('\n');
  const ping = () => client.status('ping', ['-c', '2', '-W', '2', '10.241.0.2']);
  const statuses = () => session.events.filter((e) => e.event === 'status').map((e) => e.data);

  before(async () => {
    footprintBefore = systemFootprint();
    await system.start();
    app = buildPackagedApp(system.uid);
    client = new Netns('u');
    peerNs = new Netns('w');
    vethPair(client, '192.168.241.1/24', peerNs, '192.168.241.2/24');
    peerNs.exec('wireguard-go', [PEER_IF]);
    const keyFile = join(app.dir, '..', 'peer.key');
    writeFileSync(keyFile, `${keys.peer.priv}\n`, { mode: 0o600 });
    peerNs.exec('wg', ['set', PEER_IF, 'private-key', keyFile, 'listen-port', '52100', 'peer', keys.client.pub, 'allowed-ips', '10.241.0.1/32']);
    peerNs.exec('ip', ['addr', 'add', '10.241.0.2/24', 'dev', PEER_IF]);
    peerNs.exec('ip', ['link', 'set', PEER_IF, 'up']);
    session = new AppSession(app, system.user, client.name);
  });

  after(() => {
    session?.close();
    unitRun?.kill('SIGKILL');
    if (existsSync(layout.uninstall)) spawnSync(layout.uninstall, { stdio: 'ignore', timeout: 60_000 });
    client?.destroy();
    peerNs?.destroy();
    system.stop();
    for (const n of [TUNNEL, PEER_IF]) run('rm', ['-f', `/var/run/wireguard/${n}.sock`]);
  });

  it('has an Electron stand-in that, like Electron, runs Node only with ELECTRON_RUN_AS_NODE=1', () => {
    const gui = spawnSync(app.exe, ['-e', 'process.exit(0)'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    assert.notEqual(gui.status, 0);
    assert.match(gui.stderr, /set ELECTRON_RUN_AS_NODE=1 to run Node/);
    const node = spawnSync(app.exe, ['-e', 'process.exit(7)'], { env: { PATH: '/usr/bin:/bin', ELECTRON_RUN_AS_NODE: '1' } });
    assert.equal(node.status, 7);
  });

  it('runs the session as the user, on the app\'s runtime, from files the user owns', async () => {
    const me = await session.call<{ uid: number; execPath: string; runAsNode: string | null }>('whoami');
    assert.equal(me.uid, system.uid);
    assert.equal(me.execPath, join(app.dir, 'node-runtime'));
    assert.equal(me.runAsNode, null, 'Electron\'s main process has no ELECTRON_RUN_AS_NODE');
    assert.equal(lstatSync(join(app.appRoot, 'tunnel-helper/bin/wiredesk-helper')).uid, system.uid);
    assert.deepEqual(await session.call('installed'), { state: 'none' });
  });

  it('installs the helper on first use with one authorization, and runs it as root from root-owned files', async () => {
    const status = await session.call<{ state: string; installed: string }>('ensure');
    assert.deepEqual(status, { state: 'connected', installed: 'current' });
    const pid = helperPid();
    assert.ok(pid, 'the helper wrote its pid file');
    const facts = processFacts(pid);
    assert.equal(facts.uid, 0);
    assert.equal(facts.exe, join(layout.runtimeDir, 'node-runtime'), 'the runtime copied from the app, not a system node');
    assert.equal(facts.argv[1], join(layout.appRoot, 'tunnel-helper/bin/wiredesk-helper'));
    assert.ok(facts.env.includes('ELECTRON_RUN_AS_NODE=1'), 'set on root\'s side: pkexec passes no environment');
    assert.deepEqual(rootOnlyTreeProblems(layout.prefix), []);
    const sock = lstatSync(DEFAULT_SOCKET_PATH);
    assert.equal(sock.uid, system.uid);
    assert.equal(sock.mode & 0o777, 0o600);
    for (const f of SYSTEM_FILES) assert.equal(readFileSync(f.to, 'utf8'), readFileSync(join(app.appRoot, f.from), 'utf8'), `${f.to} is the shipped file`);
  });

  it('brings a tunnel up against wireguard-go, with handshake and counters seen through the app\'s client, then down', async () => {
    await session.call('up', { name: TUNNEL, config });
    assert.equal(ping(), 0);
    await session.waitEvent('a completed handshake', (e) => e.event === 'handshake' && e.data.name === TUNNEL && e.data.kind === 'completed');
    await session.waitEvent('counters of both directions', (e) => e.event === 'stats' && e.data.name === TUNNEL &&
      (e.data.peers as { rxBytes: number; txBytes: number }[]).some((p) => p.rxBytes > 0 && p.txBytes > 0));
    const [engine] = pidsWith(TUNNEL);
    assert.ok(engine, 'an engine runs for the tunnel');
    assert.equal(processFacts(engine).exe, join(layout.runtimeDir, 'node-runtime'), 'the engine runs on the installed runtime too');
    assert.equal(processFacts(engine).argv[1], join(layout.appRoot, 'tunnel-helper/bin/wiredesk-tunnel'));
    await session.call('down', { name: TUNNEL });
    assert.equal(client.status('ip', ['link', 'show', TUNNEL]), 1, 'the interface is gone');
  });

  it('keeps the tunnel when the helper dies and its unit starts it again, and the app reconnects to it', async () => {
    await session.call('up', { name: TUNNEL, config });
    assert.equal(ping(), 0);
    const [engine] = pidsWith(TUNNEL);
    const old = helperPid()!;
    process.kill(old, 'SIGKILL');
    await waitForExit(old);
    unitRun = runUnit(system.uid, client.name);
    const pid = await waitForHelper(old);
    assert.equal(processFacts(pid).argv[1], join(layout.appRoot, 'tunnel-helper/bin/wiredesk-helper'));
    await waitFor(async () => (await session.call<{ state: string }>('status')).state === 'connected' &&
      statuses().some((s) => s.state === 'reconnecting'), 60_000, 'the app to reconnect');
    assert.deepEqual(pidsWith(TUNNEL), [engine], 'the same engine still serves the tunnel');
    const list = await session.call<{ name: string; state: string }[]>('list');
    assert.ok(list.some((t) => t.name === TUNNEL && t.state !== 'down'), JSON.stringify(list));
    assert.equal(ping(), 0);
  });

  it('refuses to run as root when a file it would execute is writable by the user, and says which', () => {
    const file = join(layout.appRoot, 'dist/tunnel-helper/src/helper/control/server.js');
    chownSync(file, system.uid, system.uid);
    const r = spawnSync(layout.launcher, ['--owner-uid', String(system.uid), '--daemon'], { encoding: 'utf8' });
    chownSync(file, 0, 0);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`refusing to run as root: ${file} is owned by uid ${system.uid}, not root`));
    const runtime = join(layout.runtimeDir, 'node-runtime');
    chmodSync(runtime, 0o757);
    const w = spawnSync(layout.launcher, ['--owner-uid', String(system.uid), '--daemon'], { encoding: 'utf8' });
    chmodSync(runtime, 0o755);
    assert.equal(w.status, 1);
    assert.match(w.stderr, new RegExp(`${runtime} is writable by everyone`));
  });

  it('never uses a helper of another version, and updates it with one authorization without dropping the tunnel', async () => {
    const manifest = join(layout.appRoot, 'package.json');
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    writeFileSync(manifest, JSON.stringify({ ...pkg, version: '0.0.1-old' }));
    // The running helper hands over to one started from the "old" install.
    const [engine] = pidsWith(TUNNEL);
    const before = helperPid()!;
    process.kill(before, 'SIGUSR2');
    await waitForExit(before);
    unitRun = runUnit(system.uid, client.name);
    await waitForHelper(before);
    const outdated = await session.call<{ state: string; message: string; installed: string }>('restart');
    assert.equal(outdated.state, 'outdated');
    assert.equal(outdated.installed, 'outdated');
    assert.match(outdated.message, new RegExp(`version 0\\.0\\.1-old and this app is ${pkg.version.replace(/\./g, '\\.')}`));
    await assert.rejects(session.call('list'), /Update the helper/);
    const updated = await session.call<{ state: string; installed: string }>('setup');
    assert.deepEqual(updated, { state: 'connected', installed: 'current' });
    assert.deepEqual(pidsWith(TUNNEL), [engine], 'the update kept the engine');
    const list = await session.call<{ name: string; state: string }[]>('list');
    assert.ok(list.some((t) => t.name === TUNNEL && t.state !== 'down'), JSON.stringify(list));
    assert.equal(ping(), 0);
  });

  it('leaves the app usable with a clear message when the password prompt is refused', async () => {
    system.openGate(false);
    const refused = await session.call<{ state: string; message: string }>('setup');
    assert.equal(refused.state, 'failed');
    assert.match(refused.message, /password prompt was cancelled or the password was not accepted, so nothing was changed/);
    // The helper that was running is untouched, and the app attaches to it again without a prompt.
    assert.deepEqual(await session.call('ensure'), { state: 'connected', installed: 'current' });
    assert.equal(ping(), 0);
  });

  it('starts the installed helper through the shipped polkit action, not a root shell', async () => {
    const pid = helperPid()!;
    process.kill(pid, 'SIGTERM'); // a stop turns the tunnels off
    await waitForExit(pid);
    assert.equal(client.status('ip', ['link', 'show', TUNNEL]), 1);
    // sudo-prompt's "run a shell as root" is still refused; only dev.wiredesk.helper.start is allowed.
    const status = await session.call<{ state: string }>('restart');
    assert.equal(status.state, 'connected');
    assert.equal(processFacts(helperPid()!).uid, 0);
    await session.call('up', { name: TUNNEL, config });
    assert.equal(ping(), 0);
  });

  it('uninstalls everything the installer added, turning the tunnels off first', async () => {
    const pid = helperPid()!;
    const r = spawnSync(layout.uninstall, { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    await waitForExit(pid);
    assert.equal(client.status('ip', ['link', 'show', TUNNEL]), 1, 'the tunnel is off');
    assert.deepEqual(systemFootprint(), footprintBefore);
  });
});
