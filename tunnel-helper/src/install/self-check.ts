// Before the helper does anything as root, it checks that root alone can
// change what it is about to execute: the runtime binary and every file of
// HELPER_TREE it loads modules from. Run from the installed prefix, the whole
// prefix is checked (the launcher and the runtime's libraries included).
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { HELPER_TREE, helperLayout, ownAppRoot } from './layout.js';
import { rootOnlyPathProblems, rootOnlyTreeProblems } from './root-only-files.js';

export function ownFilesProblems(appRoot = ownAppRoot(), runtime = process.execPath): string[] {
  const layout = helperLayout();
  const installed = realpathSync(appRoot) === layout.appRoot;
  const problems = installed
    ? rootOnlyTreeProblems(layout.prefix)
    : [...rootOnlyPathProblems(runtime), ...HELPER_TREE.flatMap((p) => rootOnlyTreeProblems(join(appRoot, p)))];
  return [...new Set(problems)];
}

/** The sentence the helper refuses to start with. */
export function untrustedFilesMessage(problems: readonly string[]): string {
  return `refusing to run as root: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}. ` +
    'Root must run only files that no other user can change. Install the helper from WireDesk (Settings, Set up WireDesk) or from the .deb package.';
}
