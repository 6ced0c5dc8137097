// An engine process started before it is needed. Starting our engine costs
// a Node start and its module loading, most of a connect; a spare has paid
// that already and only waits (`wiredesk-tunnel -f --await-name`) for the
// interface name on its stdin, with the first configuration after it. Naming
// it creates the TUN interface, applies that configuration and opens the UAPI
// socket, and it reports "ok" on fd 3, as a daemonizing engine does
// (engine/daemon.ts), so no second process is started to detach, and no UAPI
// round trip is needed to configure it.
//
// The helper holds one spare at a time (warmEngine) and starts the next after
// each up; the CLI's launcher starts one before it even loads the CLI
// (spare-process.ts), so it loads while the CLI loads and reads the config.
// A spare whose holder exits sees the end of its stdin and exits too.
import { existsSync, readdirSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { engineCommand, isOwnEngine } from './engine.js';
import { ensureStateDir } from './state-dir.js';
import { spareOutputHolder, spawnSpareProcess, type SpareProcess } from './spare-process.js';
import { UapiError } from '../../engine/uapi/errors.js';

const START_TIMEOUT_MS = 20_000;
let serial = 0;

type Unrefable = { ref(): void; unref(): void };

export class SpareEngine {
  private report = '';
  private exited: string | null = null;
  private outputPath: string;
  readonly command: readonly string[];

  private constructor(private readonly proc: SpareProcess) {
    this.outputPath = proc.outputPath;
    this.command = proc.command;
    const { ready, stdin } = proc;
    ready.setEncoding('utf8');
    ready.on('data', (s: string) => { this.report += s; });
    ready.on('error', () => { /* the exit tells */ });
    stdin.on('error', () => { /* it exited before reading: the exit tells */ });
    proc.onExit((why) => { this.exited ??= why; });
    // Waiting in the pool must not keep the holder's process alive.
    proc.unref();
    for (const s of [ready, stdin]) (s as unknown as Unrefable).unref();
  }

  /** Starts `command -f --await-name`; its output goes to a file in the state directory. */
  static spawn(command: readonly string[]): SpareEngine {
    if (serial === 0) removeOrphanedOutputs(ensureStateDir());
    return SpareEngine.adopt(spawnSpareProcess(command, String(serial++)));
  }

  /** Holds a process started by spawnSpareProcess (the launcher's early spare). */
  static adopt(p: SpareProcess): SpareEngine {
    return new SpareEngine(p);
  }

  get alive(): boolean {
    return this.exited === null;
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  /**
   * Names the spare `ifname`, configured by `firstSet` (a UAPI `set=1`
   * request, blank line included; by default none), and resolves once it
   * serves UAPI (null), or with why not: a UapiError when it refused the
   * configuration. Its output file becomes <state dir>/<ifname>.engine-output.
   */
  async claim(ifname: string, firstSet = '\n'): Promise<string | UapiError | null> {
    const named = join(ensureStateDir(), `${ifname}.engine-output`);
    renameSync(this.outputPath, named);
    this.outputPath = named;
    const { ready, stdin } = this.proc;
    (ready as unknown as Unrefable).ref();
    const failure = await new Promise<string | UapiError | null>((resolve) => {
      let settled = false;
      const check = () => {
        if (this.report.startsWith('ok\n')) finish(null);
        else if (this.report.includes('\n')) finish(reportFailure(this.report));
      };
      const timer = setTimeout(() => finish(`did not report ready within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
      const finish = (why: string | UapiError | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        ready.off('data', check);
        resolve(why);
      };
      const onExit = () => setImmediate(() => finish(this.report.startsWith('ok\n') ? null : (this.report.trim() ? reportFailure(this.report) : this.exited)));
      ready.on('data', check);
      this.proc.onExit(onExit);
      if (!this.alive) onExit();
      stdin.end(`${ifname}\n${firstSet}`);
      check();
    });
    ready.destroy();
    if (failure !== null) this.proc.kill();
    return failure;
  }

  /** Stops an unclaimed spare and removes its output file. */
  dispose(): void {
    try { this.proc.kill(); } catch { /* gone */ }
    try { unlinkSync(this.outputPath); } catch { /* gone */ }
  }
}

/** "error: WHY" (it could not start), or "refused ERRNO WHY" (its first configuration). */
function reportFailure(report: string): string | UapiError {
  const refused = /^refused (\d+) (.*)/.exec(report);
  return refused ? new UapiError(Number(refused[1]), refused[2]!.trim()) : report.replace(/^error: /, '').trim();
}

let held: SpareEngine | null = null;

/**
 * Keeps one spare of our engine ready, for the next up (the helper calls this
 * after each up, the CLI as `up` begins, adopting its launcher's `early`); a
 * foreign engine has none.
 */
export function prepareEngine(option?: string, early?: SpareProcess | null): void {
  const command = engineCommand(option);
  if (early) {
    // The launcher's, started before this module loaded: kept if it runs the engine asked for.
    const spare = SpareEngine.adopt(early);
    if (isOwnEngine(command) && sameCommand(spare.command, command)) {
      held?.dispose();
      held = spare;
      return;
    }
    spare.dispose();
  }
  if (!isOwnEngine(command) || (held?.alive && sameCommand(held.command, command))) return;
  held?.dispose();
  try {
    held = SpareEngine.spawn(command);
  } catch {
    held = null; // no spare: the next up starts its engine itself
  }
}

/** The spare held for `command`, if one is alive, handed over (no longer held). */
export function takeSpare(command: readonly string[]): SpareEngine | null {
  const spare = held;
  held = null;
  if (spare?.alive && sameCommand(spare.command, command)) return spare;
  spare?.dispose();
  return null;
}

/** Stops the held spare (a failed CLI up must not leave one behind). */
export function dropSpare(): void {
  held?.dispose();
  held = null;
}

function sameCommand(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Output files of spares whose holder died (a helper crash) before they were named or disposed. */
function removeOrphanedOutputs(dir: string): void {
  try {
    for (const f of readdirSync(dir)) {
      const holder = spareOutputHolder(f);
      if (holder !== null && !existsSync(`/proc/${holder}`)) unlinkSync(join(dir, f));
    }
  } catch { /* best effort */ }
}
