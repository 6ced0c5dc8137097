// Runs the system tools netconfig drives (ip, nft, the engine, resolvconf)
// with argument arrays, never through a shell, and bounded in time. Each
// command is echoed to the caller's log as wg-quick does ("[#] ip ...").
import { spawn } from '../../engine/lazy-spawn.js';

export type Log = (line: string) => void;

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(`${command} ${args.join(' ')}: ${firstLine(stderr) || `exited with code ${exitCode ?? 'unknown'}`}`);
    this.name = 'CommandError';
  }
}

export interface RunOptions {
  /** Written to stdin (nft -f -, resolvconf -a). */
  input?: string;
  timeoutMs?: number;
  log?: Log;
  /** Log this instead of the arguments (when they are long, like a ruleset). */
  logAs?: string;
  env?: NodeJS.ProcessEnv;
}

/** How long stdout/stderr are still read after the command exited (see run). */
const PIPE_GRACE_MS = 100;

/**
 * Resolves with stdout; rejects with CommandError (stderr kept) on a non-zero exit.
 *
 * The command runs in its own process group (detached), so a timeout kills it
 * together with everything it started. It settles when the command itself
 * exits, not when its pipes close: a hook such as `PostUp = mydaemon &` leaves
 * a background process holding stdout, which must keep running (wg-quick
 * leaves it running too) without keeping the caller, and its lock, waiting.
 * Output still buffered is read for a short grace period, then the pipes are
 * dropped.
 */
export function run(command: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  opts.log?.(`[#] ${opts.logAs ?? [command, ...args].join(' ')}`);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env, detached: true });
    let stdout = '';
    let stderr = '';
    let settled = false;
    const timer = setTimeout(() => {
      killGroup(child.pid, () => child.kill('SIGKILL'));
      stderr += `\ntimed out after ${timeoutMs} ms`;
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (s: string) => { stdout += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { stderr += s; });
    child.on('error', (err) => {
      clearTimeout(timer);
      if (settled) return;
      settled = true;
      child.stdout.destroy();
      child.stderr.destroy();
      reject(new CommandError(command, args, err.message, null));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(grace);
        // A background process may still hold the write ends: stop reading.
        child.stdout.destroy();
        child.stderr.destroy();
        if (code === 0) resolve(stdout);
        else reject(new CommandError(command, args, stderr.trim(), code));
      };
      // 'close' comes as soon as both pipes are drained when nothing else holds them.
      const grace = setTimeout(finish, PIPE_GRACE_MS);
      child.on('close', finish);
    });
    child.stdin.on('error', () => { /* the tool exited before reading its input; its exit code tells */ });
    child.stdin.end(opts.input ?? '');
  });
}

/** SIGKILL to the whole process group led by pid (the command and whatever it started). */
function killGroup(pid: number | undefined, fallback: () => void): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    fallback();
  }
}

/** `ip ARGS...` */
export function ip(args: readonly string[], log?: Log): Promise<string> {
  return run('ip', args, { log });
}

/** Applies a ruleset atomically with `nft -f -` (one transaction: all or nothing). */
export function nft(ruleset: string, log?: Log, what = 'ruleset'): Promise<string> {
  return run('nft', ['-f', '-'], { input: ruleset, log, logAs: `nft -f - (${what})` });
}

/** Errors that mean "it is already gone", which undo treats as success. */
export function isAlreadyGone(err: unknown): boolean {
  if (!(err instanceof CommandError)) return false;
  return /No such file or directory|Cannot find device|does not exist|No such process|Cannot assign requested address|No such device/i
    .test(err.stderr);
}

export function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
}

/** The message of anything thrown, for one-line reports. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
