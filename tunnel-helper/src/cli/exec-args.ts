// `wiredesk exec` arguments (pure): which rule, and the command after `--`.
import { isValidInterfaceName } from '../../../shared/config/index.js';

export const EXEC_USAGE = 'Usage: sudo wiredesk exec --outside -- CMD [ARGS...]\n'
  + '       sudo wiredesk exec --tunnel NAME -- CMD [ARGS...]\n';

export type ExecTarget = { kind: 'outside' } | { kind: 'tunnel'; ifname: string };
export interface ExecArgs { target: ExecTarget; argv: string[] }

/** The parsed arguments, or a one-line sentence saying what is wrong. */
export function parseExecArgs(args: readonly string[]): ExecArgs | string {
  const dashes = args.indexOf('--');
  if (dashes < 0) return 'put `--` before the command, e.g. wiredesk exec --outside -- firefox';
  const options = args.slice(0, dashes);
  const argv = args.slice(dashes + 1);
  let target: ExecTarget | null = null;
  for (let i = 0; i < options.length; i++) {
    const arg = options[i]!;
    let next: ExecTarget;
    if (arg === '--outside') next = { kind: 'outside' };
    else if (arg === '--tunnel' || arg.startsWith('--tunnel=')) {
      const name = arg === '--tunnel' ? options[++i] : arg.slice('--tunnel='.length);
      if (name === undefined || name === '') return '--tunnel needs the name of a tunnel that is up';
      if (!isValidInterfaceName(name)) return `${JSON.stringify(name.slice(0, 40))} is not a tunnel name (1-15 of a-z A-Z 0-9 _ = + . -)`;
      next = { kind: 'tunnel', ifname: name };
    } else return `unknown option ${JSON.stringify(arg.slice(0, 40))}`;
    if (target !== null) return 'give either --outside or one --tunnel NAME, not both';
    target = next;
  }
  if (target === null) return 'say where the traffic goes: --outside, or --tunnel NAME';
  if (argv.length === 0 || argv[0] === '') return 'missing the command after `--`';
  return { target, argv };
}

/** The shell's convention for a process's end: its exit code, or 128 + the signal's number. */
export function exitStatusOf(code: number | null, signal: NodeJS.Signals | null, signals: Record<string, number>): number {
  if (code !== null) return code;
  const n = signal ? signals[signal] : undefined;
  return n !== undefined ? 128 + n : 1;
}
