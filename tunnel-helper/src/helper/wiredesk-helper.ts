// `wiredesk-helper --owner-uid UID [--socket PATH]`: the privileged service
// the desktop app talks to (control/ and tunnels/ here). Everything runs it
// through one entry, tunnel-helper/bin/wiredesk-helper: the installed
// launcher (/opt/wiredesk-helper/bin/wiredesk-helper, which pkexec and the
// systemd unit run), the .deb's postinst, and the tests.
import { closeSync, mkdirSync, openSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { runDetached, tellParent } from '../engine/daemon.js';
import { startService } from './helper-start.js';
import { startHelper, HELPER_VERSION } from './control/helper.js';
import type { NetconfigApi } from './tunnels/netconfig-api.js';
import * as netconfigModule from './netconfig/index.js';
import { DEFAULT_POLICY_PATH } from './control/policy.js';
import { DEFAULT_SOCKET_DIR, DEFAULT_SOCKET_PATH, checkSocketDirectory, ensureSocketDirectory } from '../install/socket-security.js';
import { installScript } from '../install/install-script.js';
import { HELPER_PID_FILE, ownAppRoot } from '../install/layout.js';
import { ownFilesProblems, untrustedFilesMessage } from '../install/self-check.js';

const DEFAULT_LOG_DIR = '/run/wiredesk/logs';
const READY_FD_ENV = 'WIREDESK_HELPER_READY_FD';

const USAGE = `Usage: wiredesk-helper --owner-uid UID [--socket PATH] [--policy FILE] [--log-dir DIR] [--daemon | --start]
       wiredesk-helper --install-script

Runs WireDesk's privileged tunnel service for the user UID. It listens on
PATH (default ${DEFAULT_SOCKET_PATH}); the directory must be owned by root
and not writable by group or others. The socket is given to UID, mode 0600.
  --policy FILE       administrator policy (default ${DEFAULT_POLICY_PATH}), e.g. {"allowScripts": false}
  --log-dir DIR       engine logs, root-only (default ${DEFAULT_LOG_DIR})
  --daemon            detach once the socket is ready
  --start             start it as the user's systemd instance where systemd runs, else as --daemon
  --install-script    print the root script that installs the helper from this app into its root-owned place
Signals: SIGTERM turns every tunnel off and exits; SIGUSR2 exits and leaves
the tunnels to the next helper, which adopts them.
`;

interface Args {
  ownerUid: number;
  socketPath: string;
  policyPath: string;
  logDir: string;
  mode: 'serve' | 'daemon' | 'start';
}

function parseArgs(argv: string[]): Args | string {
  const a: Partial<Args> = { socketPath: DEFAULT_SOCKET_PATH, policyPath: DEFAULT_POLICY_PATH, logDir: DEFAULT_LOG_DIR, mode: 'serve' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--owner-uid': {
        const v = value();
        if (!/^[0-9]{1,10}$/.test(v) || Number(v) >= 0xffffffff) return `--owner-uid must be a numeric uid, got "${v}".`;
        a.ownerUid = Number(v);
        break;
      }
      case '--socket': a.socketPath = value(); break;
      case '--policy': a.policyPath = value(); break;
      case '--log-dir': a.logDir = value(); break;
      case '--daemon': a.mode = 'daemon'; break;
      case '--start': a.mode = 'start'; break;
      default: return `Unknown argument "${arg}".`;
    }
  }
  if (a.ownerUid === undefined) return '--owner-uid is required: the helper serves exactly one user.';
  if (!a.socketPath!.startsWith('/') || !a.logDir!.startsWith('/')) return '--socket and --log-dir must be absolute paths.';
  return a as Args;
}

// The real netconfig, checked against the contract the tunnel manager is written to.
const netconfig: NetconfigApi = netconfigModule;

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(USAGE);
  if (argv.includes('--version')) return void process.stdout.write(`wiredesk-helper ${HELPER_VERSION}\n`);
  if (argv[0] === '--install-script' && argv.length === 1) {
    return void process.stdout.write(installScript({ appRoot: ownAppRoot(), runtime: process.execPath }));
  }
  let args: Args | string;
  try {
    args = parseArgs(argv);
  } catch (e) {
    args = (e as Error).message;
  }
  if (typeof args === 'string') return fail(`${args}\n\n${USAGE}`, 2);
  if (process.getuid?.() !== 0) return fail('wiredesk-helper must run as root: it configures network interfaces, routes and firewall rules.', 1);
  const problems = ownFilesProblems();
  if (problems.length > 0) {
    tellParent(READY_FD_ENV, `error: ${untrustedFilesMessage(problems)}\n`);
    return fail(`wiredesk-helper: ${untrustedFilesMessage(problems)}`, 1);
  }
  const detachArgs = argv.filter((x) => x !== '--daemon' && x !== '--start');
  if (args.mode === 'start') return void (process.exitCode = await startService(args.ownerUid, () => daemonize(detachArgs, args.logDir)));
  if (args.mode === 'daemon') return void (process.exitCode = await daemonize(detachArgs, args.logDir));
  await serve(args);
}

async function serve(args: Args): Promise<void> {
  process.umask(0o077); // everything the helper creates is private unless it says otherwise
  const echo = (line: string) => process.stderr.write(`wiredesk-helper: ${line}\n`);
  try {
    if (dirname(args.socketPath) === DEFAULT_SOCKET_DIR) ensureSocketDirectory(DEFAULT_SOCKET_DIR);
    else checkSocketDirectory(dirname(args.socketPath));
    const helper = await startHelper({
      socketPath: args.socketPath, ownerUid: args.ownerUid, policyPath: args.policyPath, logDir: args.logDir,
      netconfig, echo,
    });
    // Only the helper on the default socket is the one an update hands over from.
    const pidFile = args.socketPath === DEFAULT_SOCKET_PATH ? HELPER_PID_FILE : null;
    if (pidFile) writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o644 });
    const exit = (line: string, work: () => Promise<void>) => {
      echo(line);
      void work().finally(() => {
        if (pidFile) try { unlinkSync(pidFile); } catch { /* gone */ }
        process.exit(0);
      });
    };
    process.on('SIGTERM', () => exit('SIGTERM: turning off all tunnels', helper.stop));
    process.on('SIGINT', () => exit('SIGINT: turning off all tunnels', helper.stop));
    process.on('SIGUSR2', () => exit('SIGUSR2: leaving the tunnels to the next helper', helper.handOver));
    process.on('SIGHUP', () => {}); // the sudo session or terminal going away must not stop tunnels
    // A bug in one request must not take every tunnel's supervisor down with it.
    process.on('unhandledRejection', (e) => echo(`internal error (continuing): ${(e as Error)?.stack ?? String(e)}`));
    tellParent(READY_FD_ENV, 'ok\n');
  } catch (e) {
    tellParent(READY_FD_ENV, `error: ${(e as Error).message}\n`);
    return fail(`wiredesk-helper: ${(e as Error).message}`, 1);
  }
}

function fail(message: string, code: number): void {
  process.stderr.write(`${message.trimEnd()}\n`);
  process.exitCode = code;
}

/** Starts the helper detached and returns once it serves (exit 0) or failed (exit 1). */
function daemonize(argv: string[], logDir: string): Promise<number> {
  // Its own lines go to a root-only file; the app reads them through `logs`.
  // Not *.log: engines write IFNAME.log here, and "helper" is a valid IFNAME.
  process.umask(0o077);
  mkdirSync(logDir, { recursive: true, mode: 0o700 });
  const out = openSync(`${logDir}/wiredesk-helper.out`, 'a', 0o600);
  try {
    return runDetached({ args: argv, env: {}, output: out, readyEnv: READY_FD_ENV, name: 'wiredesk-helper' });
  } finally {
    closeSync(out);
  }
}
