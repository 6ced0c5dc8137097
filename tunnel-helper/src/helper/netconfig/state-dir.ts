// Where netconfig keeps its journals and engine output: root's private
// directory, /run/wiredesk. Its own module, with nothing but node:fs, so that
// the CLI's launcher can start an engine (spare-process.ts) before it loads
// the rest of netconfig.
import { lstatSync, mkdirSync } from 'node:fs';
import { TunnelError } from './errors.js';

export const DEFAULT_STATE_DIR = '/run/wiredesk';

/** `WIREDESK_STATE_DIR` exists for tests that run unprivileged unit checks; root uses the default. */
export function stateDir(): string {
  return process.env.WIREDESK_STATE_DIR || DEFAULT_STATE_DIR;
}

/** Creates the state directory (0700) or checks that the existing one is root's and not writable by others. */
export function ensureStateDir(): string {
  const dir = stateDir();
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new TunnelError(`cannot create the state directory ${dir}: ${(err as Error).message}`);
    }
  }
  const st = lstatSync(dir);
  const uid = process.getuid?.() ?? 0;
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o022) !== 0) {
    throw new TunnelError(`${dir} must be a directory owned by ${uid === 0 ? 'root' : `uid ${uid}`} and writable only by it; fix or remove it and try again`);
  }
  return dir;
}
