// Network namespaces for root tests: each test makes its own, named with a
// per-process prefix so parallel runs never collide, and removes them after.
// Nothing here addresses anything outside the namespaces it creates.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';

let counter = 0;

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs a command and returns its stdout; throws with stderr on failure. */
export function run(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): string {
  try {
    return execFileSync(cmd, args, {
      input: opts.input, encoding: 'utf8', timeout: opts.timeoutMs ?? 30_000,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${err.stderr || err.message}`, { cause: e });
  }
}

export class Netns {
  readonly name: string;
  private children: ChildProcess[] = [];

  constructor(tag: string) {
    this.name = `wd${process.pid % 100000}${tag}${counter++}`.slice(0, 15);
    run('ip', ['netns', 'add', this.name]);
    this.exec('ip', ['link', 'set', 'lo', 'up']);
  }

  exec(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): string {
    return run('ip', ['netns', 'exec', this.name, cmd, ...args], opts);
  }

  /** Like exec, but returns the exit status instead of throwing. */
  status(cmd: string, args: string[], timeoutMs = 30_000): number {
    try {
      execFileSync('ip', ['netns', 'exec', this.name, cmd, ...args], { stdio: 'ignore', timeout: timeoutMs });
      return 0;
    } catch (e) {
      return (e as { status?: number }).status ?? 1;
    }
  }

  /** Starts a long-running process in the namespace; it is killed on cleanup. */
  spawn(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.name, cmd, ...args], {
      env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
    return child;
  }

  /** Gives this namespace its own resolv.conf (ip netns exec bind-mounts it). */
  setResolvConf(text: string): void {
    const dir = `/etc/netns/${this.name}`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/resolv.conf`, text);
  }

  destroy(): void {
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGKILL');
    try { run('ip', ['netns', 'pids', this.name]).split(/\s+/).filter(Boolean).forEach((p) => { try { process.kill(Number(p), 'SIGKILL'); } catch { /* gone */ } }); } catch { /* gone */ }
    try { run('ip', ['netns', 'del', this.name]); } catch { /* already gone */ }
    const dir = `/etc/netns/${this.name}`;
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}

/** A veth pair between two namespaces, with addresses on each end. */
export function vethPair(a: Netns, aAddr: string, b: Netns, bAddr: string): { aIf: string; bIf: string } {
  const aIf = `va${counter}`;
  const bIf = `vb${counter++}`;
  run('ip', ['link', 'add', aIf, 'netns', a.name, 'type', 'veth', 'peer', 'name', bIf, 'netns', b.name]);
  for (const [ns, ifn, addr] of [[a, aIf, aAddr], [b, bIf, bAddr]] as const) {
    for (const one of addr.split(',')) {
      const isV6 = one.includes(':');
      ns.exec('ip', [...(isV6 ? ['-6'] : []), 'addr', 'add', one, 'dev', ifn, ...(isV6 ? ['nodad'] : [])]);
    }
    ns.exec('ip', ['link', 'set', ifn, 'up']);
  }
  return { aIf, bIf };
}

/** Polls `check` until it returns true or the deadline passes. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
