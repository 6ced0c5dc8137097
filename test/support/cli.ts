// Runs WireDesk's executables the way a user does: through the launchers in
// tunnel-helper/bin, so the tests also cover that they work after install.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const wiredeskBin = join(repoRoot, 'tunnel-helper', 'bin', 'wiredesk');
export const fixturesDir = join(repoRoot, 'test', 'fixtures');

export interface CliResult { status: number; stdout: string; stderr: string }

export function wiredesk(args: string[], input?: string): CliResult {
  const r = spawnSync(wiredeskBin, args, { input, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
