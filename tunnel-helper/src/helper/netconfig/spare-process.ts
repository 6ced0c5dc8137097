// A spare engine's process, as spare-engine.ts holds and names it: stdin
// takes the interface name, `ready` (the engine's fd 3) reports "ok" or
// "error: ..." (engine/daemon.ts), its output goes to a file in the state
// directory. Two ways to have one:
//   spawnSpareProcess   started here (the helper, or a CLI started without
//                       its launcher);
//   earlySpareFromEnv   started by the CLI's launcher (tunnel-helper/bin/wiredesk,
//                       a bash coprocess) before Node even started, so the
//                       engine's Node start-up and module loading run beside
//                       the CLI's instead of after them; handed over as two
//                       pipe fds named in WIREDESK_EARLY_SPARE.
import { spawn } from '../../engine/lazy-spawn.js';
import { closeSync, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { sys } from '../../engine/io/libc.js';
import { ensureStateDir } from './state-dir.js';

const READY_FD_ENV = 'WIREDESK_READY_FD';
const EARLY_ENV = 'WIREDESK_EARLY_SPARE';

export interface SpareProcess {
  readonly pid: number | undefined;
  readonly stdin: Writable;
  readonly ready: Readable;
  readonly outputPath: string;
  readonly command: readonly string[];
  /** `cb` once the process is gone (or never started), with why. */
  onExit(cb: (why: string) => void): void;
  kill(): void;
  /** Waiting must not keep this process alive. */
  unref(): void;
}

/** Starts `command -f --await-name`. */
export function spawnSpareProcess(command: readonly string[], tag: string): SpareProcess {
  const outputPath = join(ensureStateDir(), `.spare-${process.pid}-${tag}.engine-output`);
  const fd = openSync(outputPath, 'w', 0o600);
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, [READY_FD_ENV]: '3' };
    delete env.WG_PROCESS_FOREGROUND;
    const child = spawn(command[0]!, [...command.slice(1), '-f', '--await-name'], {
      stdio: ['pipe', fd, fd, 'pipe'], env, detached: true,
    });
    let exited: string | null = null;
    const waiting: ((why: string) => void)[] = [];
    const exit = (why: string) => {
      exited ??= why;
      for (const cb of waiting.splice(0)) cb(exited);
    };
    child.on('error', (e) => exit(e.message));
    child.on('exit', (code, signal) => exit(signal ? `killed by ${signal}` : `exited with code ${code ?? '?'}`));
    return {
      pid: child.pid, stdin: child.stdin!, ready: child.stdio[3] as Readable, outputPath, command,
      onExit: (cb) => (exited !== null ? cb(exited) : waiting.push(cb)),
      kill: () => child.kill('SIGKILL'),
      unref: () => child.unref(),
    };
  } finally {
    closeSync(fd);
  }
}

/** `.spare-<holder pid>-<tag>.engine-output`: the holder's pid, to find the files of a holder that died. */
export function spareOutputHolder(fileName: string): number | null {
  const m = /^\.spare-(\d+)-(?:\d+|early)\.engine-output$/.exec(fileName);
  return m ? Number(m[1]) : null;
}

/**
 * The launcher's spare: WIREDESK_EARLY_SPARE="PID NAME_FD READY_FD OUTPUT"
 * (removed from the environment, and the fds made close-on-exec, so nothing
 * this process starts inherits them). It runs `engine` on this runtime, as
 * engine.ts would start ours. Null when there is none or it does not parse.
 */
export function earlySpareFromEnv(engine: string): SpareProcess | null {
  const value = process.env[EARLY_ENV];
  delete process.env[EARLY_ENV];
  const m = /^(\d+) (\d+) (\d+) (\/.+)$/.exec(value ?? '');
  if (!m) return null;
  const [pid, nameFd, readyFd] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const outputPath = m[4]!;
  const F_SETFD = 2;
  const FD_CLOEXEC = 1;
  if (nameFd < 3 || readyFd < 3 || nameFd === readyFd) return null;
  if (sys.fcntl(nameFd, F_SETFD, FD_CLOEXEC) < 0 || sys.fcntl(readyFd, F_SETFD, FD_CLOEXEC) < 0) return null;
  const stdin = new Socket({ fd: nameFd, readable: false, writable: true });
  const ready = new Socket({ fd: readyFd, readable: true, writable: false });
  // Not our child: its end is the end of its report pipe (it closes fd 3 only after reporting, or by exiting).
  let exited: string | null = null;
  const waiting: ((why: string) => void)[] = [];
  ready.on('error', () => { /* the close follows */ });
  ready.on('close', () => {
    exited ??= 'exited';
    for (const cb of waiting.splice(0)) cb(exited);
  });
  return {
    pid, stdin, ready, outputPath, command: [process.execPath, engine],
    onExit: (cb) => (exited !== null ? cb(exited) : waiting.push(cb)),
    // Only while its pipe is open: once it closed, the pid may be another process's.
    kill: () => { if (exited === null) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } },
    unref: () => { /* its pipes are unref'd by the holder; there is no child handle */ },
  };
}
