// The `launchApp` call: start an installed app for the helper's user, in
// that user's graphical session, inside a split-tunneling cgroup.
//
// What crosses the socket is a desktop file ID, a tunnel name and four
// session variables. The helper finds the entry itself, in the user's and
// the system's XDG data directories (the defaults: the app's own
// XDG_DATA_DIRS is not trusted), parses it with the same parser as the app,
// and starts its Exec as the user (setpriv, launch.ts) with an environment
// built here: the passwd entry's HOME, USER, LOGNAME and SHELL, a standard
// PATH, the system's LANG, and the checked session variables.
import { closeSync, constants, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { applicationDirs, isDesktopId, parseDesktopEntry, type DesktopEntry } from '../../../../shared/apps/desktop-entry.js';
import { checkSessionEnv } from '../../../../shared/apps/session-env.js';
import { ProtocolError } from '../../../../shared/control/protocol.js';
import type { Log } from '../netconfig/exec.js';
import { passwdEntry, runAs, spawnInCgroup, userEnvironment, type RunAs } from './launch.js';
import { withSplitRule } from './split-state.js';
import { tunnelNotUp } from './tunnel-up.js';

const MAX_ENTRY_BYTES = 256 * 1024;
const APP_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games';

export interface LaunchRequest {
  desktopId: string;
  tunnel: string | null;
  session: Record<string, string | undefined>;
}

/**
 * The entry `id` as the user sees it: the first directory that has it wins,
 * the user's own first. Root reads only what the user could read anyway: the
 * file opened (symlinks followed, as flatpak's exports need) must belong to
 * the user or be root's and readable by everyone; checked on the open file,
 * so swapping a path component meanwhile gains nothing.
 */
export function findDesktopEntry(id: string, user: RunAs, locale: string): DesktopEntry | null {
  if (!isDesktopId(id)) return null;
  for (const dir of applicationDirs(user.home)) {
    let fd: number;
    try {
      fd = openSync(`${dir}/${id}`, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      continue;
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > MAX_ENTRY_BYTES) continue;
      if (st.uid !== user.uid && !(st.uid === 0 && (st.mode & 0o004) !== 0)) continue;
      // The first match is the entry, even when it is not launchable (a user's file hiding a system one).
      return parseDesktopEntry(id, readFileSync(fd, 'utf8'), locale);
    } finally {
      closeSync(fd);
    }
  }
  return null;
}

function isDirectory(path: string): boolean {
  try { return statSync(path).isDirectory(); } catch { return false; }
}

/** The system's default locale (/etc/default/locale or /etc/locale.conf), for the app's LANG. */
function systemLang(): string {
  for (const path of ['/etc/default/locale', '/etc/locale.conf']) {
    try {
      const m = /^LANG="?([A-Za-z0-9_.@-]{1,64})"?$/m.exec(readFileSync(path, 'utf8'));
      if (m) return m[1]!;
    } catch { /* not this one */ }
  }
  return 'C.UTF-8';
}

export async function launchApp(req: LaunchRequest, ownerUid: number, log?: Log): Promise<{ pid: number; name: string }> {
  const { env: session, problem } = checkSessionEnv(req.session, ownerUid);
  if (problem) throw new ProtocolError('invalid-params', `launchApp: ${problem}`);
  const owner = passwdEntry(ownerUid);
  if (!owner) throw new ProtocolError('forbidden', `user ${ownerUid} has no entry in /etc/passwd, so its apps cannot be found`);
  const user = runAs(ownerUid, owner.gid);
  const lang = systemLang();
  const entry = findDesktopEntry(req.desktopId, user, lang);
  if (!entry) throw new ProtocolError('not-found', `${req.desktopId} is not an installed app (no launchable desktop entry of that name)`);
  if (entry.terminal) throw new ProtocolError('invalid-params', `${entry.name} runs in a terminal; start it there with: sudo wiredesk exec ${req.tunnel ? `--tunnel ${req.tunnel}` : '--outside'} -- ${entry.argv[0]}`);
  if (req.tunnel !== null) {
    const why = await tunnelNotUp(req.tunnel);
    if (why) throw new ProtocolError('conflict', why);
  }
  const env = userEnvironment(user, { PATH: APP_PATH, LANG: lang, ...session });
  const child = await withSplitRule(req.tunnel === null ? 'outside' : { ifname: req.tunnel }, log,
    (cg) => spawnInCgroup(cg, user, entry.argv, { env, stdio: 'ignore', detached: true, cwd: isDirectory(user.home) ? user.home : '/' }));
  child.on('error', (err) => log?.(`[!] ${entry.name}: ${err.message}`));
  child.unref();
  log?.(`[#] started ${entry.name} (${req.desktopId}) as uid ${ownerUid}, pid ${child.pid}, ${req.tunnel ? `only through ${req.tunnel}` : 'outside the tunnels'}`);
  return { pid: child.pid!, name: entry.name };
}
