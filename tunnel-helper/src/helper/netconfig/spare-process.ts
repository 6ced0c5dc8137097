// Starting a spare engine's process (spare-engine.ts holds and names it).
// Only node: modules and the state directory: the CLI's launcher
// (tunnel-helper/bin/wiredesk) loads this alone and starts the engine for
// `up` first thing, so the engine's Node start-up and module loading run on
// the other core while the launcher loads the CLI, instead of after it.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { ensureStateDir } from './state-dir.js';

const READY_FD_ENV = 'WIREDESK_READY_FD';

/** A started `command -f --await-name`; its output goes to `outputPath`. */
export interface SpareProcess {
  readonly child: ChildProcess;
  readonly outputPath: string;
  readonly command: readonly string[];
}

/** Starts `command -f --await-name`: stdin takes the name, fd 3 reports "ok" (engine/daemon.ts). */
export function spawnSpareProcess(command: readonly string[], tag: string): SpareProcess {
  const outputPath = join(ensureStateDir(), `.spare-${process.pid}-${tag}.engine-output`);
  const fd = openSync(outputPath, 'w', 0o600);
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, [READY_FD_ENV]: '3' };
    delete env.WG_PROCESS_FOREGROUND;
    const child = spawn(command[0]!, [...command.slice(1), '-f', '--await-name'], {
      stdio: ['pipe', fd, fd, 'pipe'], env, detached: true,
    });
    return { child, outputPath, command };
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
 * For the launcher: `wiredesk up ...` as root, with our engine (`engine`,
 * run on this runtime; none when WIREDESK_ENGINE names another), starts its
 * spare now. Anything else, or a failure, starts nothing: up then starts its
 * engine itself.
 */
export function startEarlySpare(argv: readonly string[], engine: string): SpareProcess | null {
  if (argv[0] !== 'up' || process.getuid?.() !== 0 || process.env.WIREDESK_ENGINE) return null;
  try {
    return spawnSpareProcess([process.execPath, engine], 'early');
  } catch {
    return null;
  }
}
