// One split-tunneling change at a time across processes (the CLI's `exec`
// and the helper both change the same table and rules): a lock file made
// with O_EXCL that names its holder. A holder that died leaves it behind,
// so a lock whose process is gone is taken over.
import { closeSync, constants, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive, processStartTime } from '../netconfig/host.js';
import { ensureStateDir } from '../netconfig/journal.js';
import { TunnelError } from '../netconfig/errors.js';

const WAIT_MS = 20_000;

function tryTake(path: string): boolean {
  try {
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    writeSync(fd, `${process.pid} ${processStartTime(process.pid)}\n`);
    closeSync(fd);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  try {
    const [pid, start] = readFileSync(path, 'utf8').trim().split(' ');
    if (!processAlive(Number(pid), start ?? '')) unlinkSync(path);
  } catch { /* released meanwhile */ }
  return false;
}

/** Runs `fn` holding the split lock. */
export async function withSplitLock<T>(fn: () => Promise<T>): Promise<T> {
  const path = join(ensureStateDir(), 'split.lock');
  const deadline = Date.now() + WAIT_MS;
  while (!tryTake(path)) {
    if (Date.now() > deadline) throw new TunnelError(`another process holds ${path}; try again`);
    await new Promise((r) => setTimeout(r, 25));
  }
  try {
    return await fn();
  } finally {
    try { unlinkSync(path); } catch { /* already gone */ }
  }
}
