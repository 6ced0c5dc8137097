// Starting and stopping a tunnel's split DNS forwarder from netconfig (the CLI
// or the helper): a detached process on our runtime, which outlives a
// `wiredesk up` that exits. Its pid and start time go in
// <state dir>/<ifname>.dns-forwarder, so down and recover stop exactly it;
// its log is <ifname>.dns-output.
import { spawn } from '../../engine/lazy-spawn.js';
import { closeSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownAppRoot } from '../../install/layout.js';
import { TunnelError } from '../netconfig/errors.js';
import type { Log } from '../netconfig/exec.js';
import { processAlive, processStartTime } from '../netconfig/host.js';
import { stateDir } from '../netconfig/journal.js';
import type { ForwarderConfig } from './forwarder-config.js';

const START_TIMEOUT_MS = 10_000;

/** The forwarder's entry, compiled beside the helper in the app root (and the installed helper tree). */
export const FORWARDER_ENTRY = 'dist/tunnel-helper/src/helper/dns-forwarder/forwarder-main.js';

export function forwarderFiles(ifname: string): { pidFile: string; output: string } {
  return { pidFile: join(stateDir(), `${ifname}.dns-forwarder`), output: join(stateDir(), `${ifname}.dns-output`) };
}

export async function startForwarder(cfg: ForwarderConfig, log?: Log): Promise<number> {
  const { pidFile, output } = forwarderFiles(cfg.ifname);
  const fd = openSync(output, 'w', 0o600);
  log?.(`[#] split DNS forwarder on ${cfg.listen}:${cfg.port}: ${cfg.splitDomains.join(', ')} -> ${cfg.tunnelServers.join(', ')}; the rest -> ${cfg.systemServers.join(', ') || '(none)'}`);
  // process.execPath: the helper's runtime (Electron as Node), or the node running the CLI.
  const child = spawn(process.execPath, [join(ownAppRoot(), FORWARDER_ENTRY)], {
    detached: true, stdio: ['pipe', 'pipe', fd], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  closeSync(fd);
  child.stdin?.end(JSON.stringify(cfg));
  const failure = await new Promise<string | null>((resolve) => {
    let out = '';
    const timer = setTimeout(() => resolve(`it did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) { clearTimeout(timer); resolve(null); }
    });
    child.on('error', (err) => { clearTimeout(timer); resolve(err.message); });
    child.on('exit', (code) => { clearTimeout(timer); resolve(`it exited with code ${code ?? 'null'}`); });
  });
  const pid = child.pid;
  if (failure !== null || pid === undefined) {
    child.kill('SIGKILL');
    let why = '';
    try { why = readFileSync(output, 'utf8').trim().split('\n').pop() ?? ''; } catch { /* none */ }
    throw new TunnelError(`could not start the split DNS forwarder: ${why || failure}`);
  }
  child.stdout?.destroy();
  child.unref();
  writeFileSync(pidFile, `${pid} ${processStartTime(pid)}\n`, { mode: 0o600 });
  return pid;
}

/** Stops the forwarder named by the pid file, if that exact process still runs. */
export async function stopForwarder(ifname: string, log?: Log): Promise<void> {
  const { pidFile, output } = forwarderFiles(ifname);
  let text = '';
  try { text = readFileSync(pidFile, 'utf8'); } catch { /* never started, or stopped already */ }
  const [pidText, start] = text.trim().split(' ');
  const pid = Number(pidText);
  if (Number.isInteger(pid) && pid > 1 && start && processAlive(pid, start)) {
    log?.(`[#] stop the split DNS forwarder (pid ${pid})`);
    try { process.kill(pid, 'SIGTERM'); } catch { /* gone meanwhile */ }
    for (let i = 0; i < 60 && processAlive(pid, start); i++) await new Promise((r) => setTimeout(r, 50));
    if (processAlive(pid, start)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
  for (const f of [pidFile, output]) try { unlinkSync(f); } catch { /* gone */ }
}
