// The engine process of one tunnel: `wiredesk-tunnel IFNAME` (or any
// wireguard-go compatible daemon). It daemonizes and returns once its UAPI
// socket serves, creating the TUN interface; deleting the interface stops it.
import { spawn } from '../../engine/lazy-spawn.js';
import { closeSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ownAppRoot } from '../../install/layout.js';
import { probeSocket, uapiSocketPath } from '../../engine/uapi/socket-file.js';
import { uapiSet } from '../../engine/uapi/client.js';
import type { SetRequest } from '../../engine/uapi/device-api.js';
import { UapiError } from '../../engine/uapi/errors.js';
import { formatSet } from '../../engine/uapi/protocol-set.js';
import { TunnelError } from './errors.js';
import { firstLine, ip, type Log } from './exec.js';
import { stateDir } from './journal.js';
import { SpareEngine, takeSpare } from './spare-engine.js';

const START_TIMEOUT_MS = 20_000;

/** Our engine's entry, in the app root this module runs from. */
export const ENGINE_ENTRY = 'tunnel-helper/bin/wiredesk-tunnel';

/**
 * The option, else `WIREDESK_ENGINE` (tests use it to run wireguard-go), else
 * ours, run on the runtime running this process: Electron's binary as Node in
 * the app (its environment carries ELECTRON_RUN_AS_NODE=1), never a system node.
 */
export function engineCommand(option?: string): string[] {
  const foreign = option || process.env.WIREDESK_ENGINE;
  return foreign ? [foreign] : [process.execPath, join(ownAppRoot(), ENGINE_ENTRY)];
}

/**
 * Starts the engine and waits until its socket answers, configured by
 * `config` if given (a refusal throws the UapiError a UAPI set would). Its
 * output goes to <state dir>/<ifname>.engine-output (a daemon must not
 * inherit a pipe we will close: writing to it later would kill it), which
 * also explains a failed start.
 */
export async function startEngine(ifname: string, command: readonly string[], log?: Log, config?: SetRequest): Promise<void> {
  if (isOwnEngine(command)) return startOwnEngine(ifname, command, log, config);
  const logPath = join(stateDir(), `${ifname}.engine-output`);
  try { unlinkSync(logPath); } catch { /* none */ }
  const fd = openSync(logPath, 'w', 0o600);
  log?.(`[#] ${command.join(' ')} ${ifname}`);
  const env = { ...process.env };
  delete env.WG_PROCESS_FOREGROUND; // it must detach and return once ready
  const code = await new Promise<number | string>((resolve) => {
    const child = spawn(command[0]!, [...command.slice(1), ifname], { stdio: ['ignore', fd, fd], env });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(`did not report ready within ${START_TIMEOUT_MS / 1000} s`);
    }, START_TIMEOUT_MS);
    child.on('error', (err) => { clearTimeout(timer); resolve(err.message); });
    child.on('exit', (c) => { clearTimeout(timer); resolve(c ?? 'killed by a signal'); });
  }).finally(() => closeSync(fd));
  if (code !== 0) {
    const output = firstLine(readTail(logPath)) || (typeof code === 'string' ? code : `exited with code ${code}`);
    throw new TunnelError(`could not start the WireGuard engine (${command.at(-1)}) for ${ifname}: ${output}`);
  }
  const deadline = Date.now() + 5_000;
  while ((await probeSocket(uapiSocketPath(ifname))) !== 'live') {
    if (Date.now() > deadline) throw new TunnelError(`the WireGuard engine for ${ifname} started but its UAPI socket does not answer`);
    await new Promise((r) => setTimeout(r, 50));
  }
  if (config) {
    log?.(`[#] wg setconf ${ifname} (over UAPI)`);
    await uapiSet(ifname, config);
  }
}

/** Ours is named, and configured, over stdin (spare-engine.ts): a held spare, else a new one. */
async function startOwnEngine(ifname: string, command: readonly string[], log?: Log, config?: SetRequest): Promise<void> {
  const spare = takeSpare(command);
  const engine = spare ?? SpareEngine.spawn(command);
  log?.(`[#] ${command.join(' ')} ${ifname} (${spare ? 'warm spare, ' : ''}pid ${engine.pid ?? '?'})`);
  if (config) log?.(`[#] wg setconf ${ifname} (with its name, on its stdin)`);
  const failure = await engine.claim(ifname, config ? formatSet(config) : undefined);
  if (failure instanceof UapiError) throw failure;
  if (failure !== null) {
    const output = firstLine(readTail(join(stateDir(), `${ifname}.engine-output`))) || failure;
    throw new TunnelError(`could not start the WireGuard engine (${command.at(-1)}) for ${ifname}: ${output}`);
  }
}

/** Our engine understands --await-name; a foreign one (WIREDESK_ENGINE) is started as wg-quick starts wireguard-go. */
export function isOwnEngine(command: readonly string[]): boolean {
  return command.length === 2 && command[0] === process.execPath && command[1] === join(ownAppRoot(), ENGINE_ENTRY);
}

function readTail(path: string): string {
  try {
    return engineFailureLine(readFileSync(path, 'utf8'));
  } catch {
    return '';
  }
}

/** The line of an engine's output that says why it failed. A crashed Node
 *  engine ends with a stack trace and "Node.js vX": the message worth showing
 *  is the "Error: ..." line above them. */
export function engineFailureLine(output: string): string {
  const lines = output.trim().split('\n')
    .filter((l) => !/^\s+at /.test(l) && !/^Node\.js v\d/.test(l) && l.trim() !== '').slice(-20);
  return lines.find((l) => /^\w*Error: /.test(l))
    ?? lines.reverse().find((l) => /error|fail|cannot|unable/i.test(l)) ?? lines[0] ?? '';
}

/**
 * Read from /proc/net/dev rather than by running `ip link show`: /proc/net is
 * the reading process's own network namespace, and a read costs no process.
 */
export async function linkExists(ifname: string): Promise<boolean> {
  try {
    // Synchronous: the first trip through libuv's thread pool starts its threads, which costs a connect several ms.
    return readFileSync('/proc/net/dev', 'utf8').split('\n').some((l) => l.trimStart().startsWith(`${ifname}:`));
  } catch {
    return false;
  }
}

/** The engine serves its socket and its interface is in this namespace. */
export async function engineAlive(ifname: string): Promise<boolean> {
  return (await probeSocket(uapiSocketPath(ifname))) === 'live' && (await linkExists(ifname));
}

/**
 * Stops the engine the way wg-quick does: delete the interface (the engine
 * exits when it sees that). A socket left behind by a dead engine is removed;
 * a live one whose interface is not here belongs to someone else.
 */
export async function stopEngine(ifname: string, log?: Log): Promise<void> {
  if (await linkExists(ifname)) {
    await ip(['link', 'delete', 'dev', ifname], log);
    const deadline = Date.now() + 3_000;
    while ((await probeSocket(uapiSocketPath(ifname))) === 'live' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  if ((await probeSocket(uapiSocketPath(ifname))) === 'refused') {
    try { unlinkSync(uapiSocketPath(ifname)); } catch { /* already gone */ }
  }
}
