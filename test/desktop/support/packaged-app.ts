// The app as a user gets it: `electron-builder --linux dir` over this build,
// with the Electron stand-in as its electronDist so nothing is downloaded.
// The result is handed to the test user, as an AppImage mount or a checkout
// in their home is theirs: root must never run a file of it.
import { chmodSync, copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../support/netns.js';
import { repoRoot } from '../../support/cli.js';

export interface PackagedApp {
  /** The directory the user runs the app from (linux-unpacked). */
  readonly dir: string;
  /** The app's executable: Electron's binary renamed, here the stand-in. */
  readonly exe: string;
  /** resources/app: the app root main.ts gets from app.getAppPath(). */
  readonly appRoot: string;
}

/** A directory laid out as Electron's dist: its binary `electron`, with Node inside (node-runtime). */
export function electronStandInDist(): string {
  const dist = mkdtempSync(join(tmpdir(), 'wd-electron-dist-'));
  copyFileSync(join(repoRoot, 'test/desktop/support/electron-standin.sh'), join(dist, 'electron'));
  copyFileSync(process.execPath, join(dist, 'node-runtime'));
  chmodSync(join(dist, 'electron'), 0o755);
  chmodSync(join(dist, 'node-runtime'), 0o755);
  return dist;
}

export function buildPackagedApp(owner: number): PackagedApp {
  const out = mkdtempSync(join(tmpdir(), 'wd-packaged-'));
  chmodSync(out, 0o755);
  run(join(repoRoot, 'node_modules/.bin/electron-builder'), [
    '--linux', 'dir', '--config', join(repoRoot, 'build/electron-builder.yml'), '--project', repoRoot,
    `-c.electronDist=${electronStandInDist()}`, `-c.directories.output=${out}`,
  ], { timeoutMs: 300_000 });
  const dir = join(out, 'linux-unpacked');
  run('chown', ['-R', `${owner}:${owner}`, dir]);
  return { dir, exe: join(dir, 'wiredesk'), appRoot: join(dir, 'resources/app') };
}
