// Starting a program inside a split-tunneling cgroup, as a given user.
//
// The process must be in the cgroup before it runs a single instruction of
// the program, and as the user, never as root. So the child is a small
// trampoline: /bin/sh waits on fd 3 (while we, holding the split lock, write
// its pid into cgroup.procs), then execs setpriv, which sets the user's
// gid, supplementary groups and uid and execs the program. If anything
// fails before "go" arrives, fd 3 closes and the shell exits without
// running it. Both are system files only root can change.
import type { ChildProcess, StdioOptions } from 'node:child_process';
import { spawn } from '../../engine/lazy-spawn.js';
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { moveToCgroup, type SplitCgroup } from './cgroup2.js';

export interface RunAs {
  uid: number;
  gid: number;
  /** The passwd name: its groups become the supplementary groups; null: no other groups. */
  name: string | null;
  home: string;
  shell: string;
}

export interface PasswdEntry { name: string; uid: number; gid: number; home: string; shell: string }

/** The /etc/passwd entry of `uid` (local users; NSS-only users are not seen), or null. */
export function passwdEntry(uid: number, passwd = readText('/etc/passwd')): PasswdEntry | null {
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f.length >= 7 && Number(f[2]) === uid && f[2] !== '') {
      return { name: f[0]!, uid, gid: Number(f[3]), home: f[5]!, shell: f[6]! };
    }
  }
  return null;
}

function readText(path: string): string {
  try { return readFileSync(path, 'utf8'); } catch { return ''; }
}

/**
 * Who ran `sudo` or `pkexec`: SUDO_UID/SUDO_GID, else PKEXEC_UID (its
 * group from passwd); root itself when neither is set. A sentence when the
 * variables are malformed.
 */
export function invokingUser(env: NodeJS.ProcessEnv, passwd?: string): RunAs | string {
  const num = (v: string | undefined) => (v !== undefined && /^\d{1,10}$/.test(v) && Number(v) <= 0xfffffffe ? Number(v) : null);
  const raw = env.SUDO_UID ?? env.PKEXEC_UID;
  if (raw === undefined) return runAs(0, 0, passwd);
  const uid = num(raw);
  if (uid === null) return `${env.SUDO_UID !== undefined ? 'SUDO_UID' : 'PKEXEC_UID'} is not a user id: ${JSON.stringify(raw.slice(0, 20))}`;
  const entry = passwdEntry(uid, passwd);
  const gid = env.SUDO_UID !== undefined ? num(env.SUDO_GID) ?? entry?.gid ?? null : entry?.gid ?? null;
  if (gid === null) return `cannot tell the group of user ${uid}: set SUDO_GID or add the user to /etc/passwd`;
  return runAs(uid, gid, passwd);
}

export function runAs(uid: number, gid: number, passwd?: string): RunAs {
  const entry = passwdEntry(uid, passwd);
  return { uid, gid, name: entry?.name ?? null, home: entry?.home || '/', shell: entry?.shell || '/bin/sh' };
}

/** The environment the user's program gets: `base`, with the user's own HOME, USER, LOGNAME and SHELL. */
export function userEnvironment(user: RunAs, base: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined && !k.startsWith('SUDO_') && k !== 'PKEXEC_UID') env[k] = v;
  env.HOME = user.home;
  env.SHELL = user.shell;
  if (user.name) { env.USER = user.name; env.LOGNAME = user.name; }
  return env;
}

/** Where `cmd` would be run from (PATH lookup as execvp does), or null when nothing executable is there. */
export function findExecutable(cmd: string, path: string | undefined): string | null {
  const candidates = cmd.includes('/') ? [cmd] : (path || '/usr/bin:/bin').split(':').filter(Boolean).map((d) => `${d}/${cmd}`);
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) { accessSync(c, constants.X_OK); return c; }
    } catch { /* not here */ }
  }
  return null;
}

const TRAMPOLINE = 'read -r go <&3 || exit 126; exec 3<&-; exec "$@"';

/**
 * Spawns `argv` as `user` inside `cg`. Call it while holding the split lock
 * (withSplitRule's callback): the process is in the cgroup when this returns,
 * and only then runs the program.
 */
export function spawnInCgroup(
  cg: SplitCgroup, user: RunAs, argv: readonly string[],
  opts: { env: Record<string, string>; stdio: 'inherit' | 'ignore'; detached?: boolean; cwd?: string },
): ChildProcess {
  const drop = user.uid === 0 && user.gid === 0 ? [] : [
    '/usr/bin/setpriv', '--reuid', String(user.uid), '--regid', String(user.gid),
    ...(user.name ? ['--init-groups'] : ['--clear-groups']), '--',
  ];
  const io = opts.stdio;
  const stdio: StdioOptions = [io, io, io, 'pipe'];
  const child = spawn('/bin/sh', ['-c', TRAMPOLINE, 'wiredesk-exec', ...drop, ...argv], {
    stdio, env: opts.env, detached: opts.detached ?? false, cwd: opts.cwd,
  });
  const gate = child.stdio[3] as NodeJS.WritableStream | null;
  try {
    if (child.pid === undefined || !gate) throw new Error(`${argv[0]} could not be started`);
    moveToCgroup(cg, child.pid);
  } catch (err) {
    gate?.end();
    child.kill('SIGKILL');
    throw err;
  }
  gate.end('go\n');
  return child;
}
