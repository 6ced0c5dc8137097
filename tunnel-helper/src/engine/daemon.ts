// Detaching a daemon the way wireguard-go does: the parent starts a detached
// copy of itself and returns only once that copy serves (exit 0) or has said
// why it cannot (exit 1), so whoever ran the command can use the daemon at
// once. The child reports over an inherited pipe named by an environment
// variable, then closes it.
import type { StdioOptions } from 'node:child_process';
import { spawn } from './lazy-spawn.js';
import { closeSync, writeSync } from 'node:fs';

export interface DetachOptions {
  /** Arguments for the child (this script runs again with them). */
  args: string[];
  /** Variables added to the child's environment. */
  env: NodeJS.ProcessEnv;
  /** The child's stdout and stderr: inherited, discarded, or an open fd. */
  output: 'inherit' | 'ignore' | number;
  /** The environment variable that tells the child its report fd. */
  readyEnv: string;
  /** Prefix for the parent's error line, e.g. "wiredesk-tunnel". */
  name: string;
}

export function runDetached(o: DetachOptions): Promise<number> {
  const stdio: StdioOptions = ['ignore', o.output, o.output, 'pipe'];
  const child = spawn(process.execPath, [process.argv[1]!, ...o.args], {
    detached: true, stdio, env: { ...process.env, ...o.env, [o.readyEnv]: '3' },
  });
  return new Promise((resolve) => {
    let report = '';
    const pipe = child.stdio[3] as NodeJS.ReadableStream & { destroy(): void };
    pipe.setEncoding('utf8');
    pipe.on('data', (chunk: string) => {
      report += chunk;
      if (report.startsWith('ok\n')) {
        child.unref();
        pipe.destroy();
        resolve(0);
      }
    });
    child.on('exit', (code) => {
      if (report.startsWith('ok\n')) return;
      const why = report.replace(/^error: /, '').trim() || `exited with code ${code ?? 'unknown'}`;
      process.stderr.write(`${o.name}: ${why}\n`);
      resolve(1);
    });
  });
}

/** In the child: reports "ok\n" or "error: why\n" to the waiting parent, once.
 *  Does nothing when the process was not started by runDetached. */
export function tellParent(readyEnv: string, message: string): void {
  const fd = Number(process.env[readyEnv]);
  if (!Number.isInteger(fd) || fd < 3) return;
  try {
    writeSync(fd, message);
    closeSync(fd);
  } catch { /* the parent is gone */ }
  delete process.env[readyEnv]; // processes this one starts must not write to it
}
