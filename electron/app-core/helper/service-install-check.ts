// "Install helper service": systemd then runs the helper as root at every boot
// from the paths the unit names, so those must be files only root can change.
// A .deb install (/opt/WireDesk, root-owned) qualifies; a dev checkout in the
// user's home or an AppImage (mounted by the user under /tmp) does not. Also
// builds the unit and the command given to sudo-prompt, quoted for each layer.
import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { isAbsolute, resolve, sep } from 'node:path';

/** The systemd template unit shipped in build/systemd; instances are named by the served uid. */
export const SERVICE_TEMPLATE = 'wiredesk-helper@.service';
export const serviceInstance = (uid: number) => `wiredesk-helper@${uid}.service`;

export const NOT_ROOT_OWNED_MESSAGE =
  'Install WireDesk from the .deb package to use the helper service; a portable AppImage cannot run a root service safely.';

export interface PathCheckFs {
  lstat(path: string): Pick<Stats, 'uid' | 'mode' | 'isDirectory' | 'isSymbolicLink'>;
  realpath(path: string): string;
}

const nodeFs: PathCheckFs = { lstat: (p) => lstatSync(p), realpath: (p) => realpathSync(p) };

/** `/a/b/c` → `/`, `/a`, `/a/b`, `/a/b/c`. */
function prefixes(path: string): string[] {
  const parts = resolve(path).split(sep).filter(Boolean);
  return [sep, ...parts.map((_, i) => sep + parts.slice(0, i + 1).join(sep))];
}

/** Why one entry (file, directory or symlink) could be changed by someone other than root, or null. */
function entryProblem(path: string, st: Pick<Stats, 'uid' | 'mode' | 'isDirectory' | 'isSymbolicLink'>): string | null {
  if (st.uid !== 0) return `${path} is owned by uid ${st.uid}, not root`;
  if (st.isSymbolicLink()) return null; // its own mode means nothing; its directory and target are checked
  const writable = st.mode & 0o022;
  if (writable === 0) return null;
  // A root-owned sticky directory (/tmp) lets nobody else rename or remove root's entries in it.
  if (st.isDirectory() && (st.mode & 0o1000) !== 0) return null;
  return `${path} is writable by ${(st.mode & 0o002) !== 0 ? 'everyone' : 'its group'} (mode ${(st.mode & 0o7777).toString(8)})`;
}

/**
 * Checks that only root can change `path`: it, every directory above it, and
 * (through symlinks) its real location and every directory above that, are
 * owned by root and not writable by group or others. Returns the problems found.
 */
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

export type ServiceInstallCheck = { ok: true } | { ok: false; message: string; problems: string[] };

/** Whether the helper may be installed as a root service running `paths` (the runtime and the helper entry). */
export function checkServiceInstall(paths: readonly string[], fs: PathCheckFs = nodeFs): ServiceInstallCheck {
  const problems = paths.flatMap((p) => rootOnlyPathProblems(p, fs));
  if (problems.length === 0) return { ok: true };
  return { ok: false, problems, message: `${NOT_ROOT_OWNED_MESSAGE} (${problems[0]}${problems.length > 1 ? `, and ${problems.length - 1} more` : ''})` };
}

/** One word of a systemd command line (systemd.service "Command lines"): quoted, with % and $ escaped. */
export function systemdQuote(word: string): string {
  if (/[\n\r\0]/.test(word)) throw new Error(`cannot put ${JSON.stringify(word)} in a unit file`);
  return `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

/** One word for sh: single-quoted. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface ServiceUnitPaths {
  /** The runtime executing the helper (Electron's binary, run with ELECTRON_RUN_AS_NODE=1). */
  readonly execPath: string;
  /** The helper's JS entry. */
  readonly helperEntry: string;
  /** Only when not the default socket. */
  readonly socketPath?: string;
}

/** The shipped template with ExecStart pointed at this install; %i (the instance) stays the owner uid. */
export function serviceUnitText(template: string, p: ServiceUnitPaths): string {
  if (!/^ExecStart=.*$/m.test(template)) throw new Error(`${SERVICE_TEMPLATE} has no ExecStart line`);
  const words = [systemdQuote(p.execPath), systemdQuote(p.helperEntry), '--owner-uid', '%i'];
  if (p.socketPath !== undefined) words.push('--socket', systemdQuote(p.socketPath));
  return template.replace(/^ExecStart=.*$/m, () => `ExecStart=${words.join(' ')}`);
}

/** The root shell script that installs the template unit and enables the instance for `uid`. */
export function installScript(unitText: string, uid: number): string {
  if (!Number.isInteger(uid) || uid < 0) throw new Error(`invalid uid ${uid}`);
  const unitPath = `/etc/systemd/system/${SERVICE_TEMPLATE}`;
  return [
    'set -e',
    'umask 022',
    `printf '%s' ${shellQuote(unitText)} > ${shellQuote(unitPath)}`,
    `mkdir -p ${shellQuote(`${unitPath}.d`)}`,
    `printf '[Service]\\nEnvironment=ELECTRON_RUN_AS_NODE=1\\n' > ${shellQuote(`${unitPath}.d/electron.conf`)}`,
    'systemctl daemon-reload',
    `systemctl enable --now ${serviceInstance(uid)}`,
    '',
  ].join('\n');
}

/**
 * A command for sudo-prompt, which embeds it in `bash -c "..."` with only `"`
 * escaped, so `$`, backquotes and backslashes would still be expanded (as the
 * user, before the password prompt). The script travels base64-encoded, whose
 * alphabet means nothing to any shell.
 */
export function sudoPromptCommand(script: string): string {
  return `echo ${Buffer.from(script, 'utf8').toString('base64')} | base64 -d | /bin/sh`;
}
