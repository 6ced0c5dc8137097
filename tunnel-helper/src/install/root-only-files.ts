// Root must execute only files that root alone can change. A file qualifies
// when it, every directory above it, and (through symlinks) its real location
// and every directory above that, are owned by root and not writable by group
// or others. A .deb install (/opt, root's) qualifies; a dev checkout in the
// user's home or an AppImage mounted by the user does not, which is why the
// app installs the helper into a root-owned prefix before root runs it.
import { lstatSync, readdirSync, realpathSync, type Stats } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';

type Entry = Pick<Stats, 'uid' | 'mode' | 'isDirectory' | 'isSymbolicLink'>;

export interface PathCheckFs {
  lstat(path: string): Entry;
  realpath(path: string): string;
  readdir(path: string): string[];
}

const nodeFs: PathCheckFs = { lstat: (p) => lstatSync(p), realpath: (p) => realpathSync(p), readdir: (p) => readdirSync(p) };

/** `/a/b/c` → `/`, `/a`, `/a/b`, `/a/b/c`. */
function prefixes(path: string): string[] {
  const parts = resolve(path).split(sep).filter(Boolean);
  return [sep, ...parts.map((_, i) => sep + parts.slice(0, i + 1).join(sep))];
}

/** Why one entry (file, directory or symlink) could be changed by someone other than root, or null. */
function entryProblem(path: string, st: Entry): string | null {
  if (st.uid !== 0) return `${path} is owned by uid ${st.uid}, not root`;
  if (st.isSymbolicLink()) return null; // its own mode means nothing; its directory and target are checked
  const writable = st.mode & 0o022;
  if (writable === 0) return null;
  // A root-owned sticky directory (/tmp) lets nobody else rename or remove root's entries in it.
  if (st.isDirectory() && (st.mode & 0o1000) !== 0) return null;
  return `${path} is writable by ${(st.mode & 0o002) !== 0 ? 'everyone' : 'its group'} (mode ${(st.mode & 0o7777).toString(8)})`;
}

/** The problems of `path` itself and of every directory above it, following symlinks. */
export function rootOnlyPathProblems(path: string, fs: PathCheckFs = nodeFs): string[] {
  if (!isAbsolute(path)) return [`${path} is not an absolute path`];
  const problems: string[] = [];
  let real: string;
  try {
    real = fs.realpath(path);
  } catch (e) {
    return [`${path} cannot be resolved: ${(e as Error).message}`];
  }
  const chains = real === resolve(path) ? [prefixes(path)] : [prefixes(path), prefixes(real)];
  for (const chain of chains) {
    for (const p of chain) {
      let st;
      try {
        st = fs.lstat(p);
      } catch (e) {
        problems.push(`${p} cannot be checked: ${(e as Error).message}`);
        break;
      }
      const problem = entryProblem(p, st);
      if (problem && !problems.includes(problem)) problems.push(problem);
      // Under a symlinked directory lstat reads the target, which the real chain covers.
      if (st.isSymbolicLink()) break;
    }
  }
  return problems;
}

/**
 * rootOnlyPathProblems for `path` and, when it is a directory, for everything
 * below it: a tree root will load modules from. Symlinks inside are followed.
 */
export function rootOnlyTreeProblems(path: string, fs: PathCheckFs = nodeFs): string[] {
  const problems = rootOnlyPathProblems(path, fs);
  const walk = (dir: string) => {
    for (const name of fs.readdir(dir).sort()) {
      const p = join(dir, name);
      const st = fs.lstat(p);
      const problem = st.isSymbolicLink() ? rootOnlyPathProblems(p, fs)[0] ?? null : entryProblem(p, st);
      if (problem && !problems.includes(problem)) problems.push(problem);
      if (st.isDirectory()) walk(p);
    }
  };
  if (problems.length === 0 && fs.lstat(fs.realpath(path)).isDirectory()) walk(fs.realpath(path));
  return problems;
}

/** One word for sh: single-quoted. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
