// `sudo wiredesk exec --outside|--tunnel NAME -- CMD [ARGS...]`: runs CMD,
// as the user who ran sudo (or pkexec), with its traffic and its children's
// outside every tunnel, or only through tunnel NAME (helper/split/).
// Exit status: CMD's (128 + n when a signal ended it); 2 for bad usage, a
// tunnel that is not up or a command that is not found (127, as a shell),
// 1 when split tunneling cannot be set up. Nothing is changed before the
// arguments and the tunnel have been checked.
import { constants } from 'node:os';
import { findExecutable, invokingUser, spawnInCgroup, userEnvironment } from '../helper/split/launch.js';
import { withSplitRule } from '../helper/split/split-state.js';
import { tunnelNotUp } from '../helper/split/tunnel-up.js';
import { EXEC_USAGE, exitStatusOf, parseExecArgs } from './exec-args.js';
import { rootCheck } from './up-command.js';

export async function exec(args: string[]): Promise<number> {
  const parsed = parseExecArgs(args);
  const fail = (line: string, code: number) => {
    process.stderr.write(`wiredesk exec: ${line}\n`);
    return code;
  };
  if (typeof parsed === 'string') return fail(`${parsed}\n${EXEC_USAGE.trimEnd()}`, 2);
  const notRoot = rootCheck('exec', args.join(' '));
  if (notRoot) return fail(notRoot.replace(/^wiredesk exec /, ''), 2);
  const user = invokingUser(process.env);
  if (typeof user === 'string') return fail(user, 2);
  if (parsed.target.kind === 'tunnel') {
    const why = await tunnelNotUp(parsed.target.ifname);
    if (why) return fail(why, 2);
  }
  const env = userEnvironment(user, process.env);
  if (!findExecutable(parsed.argv[0]!, env.PATH)) return fail(`${parsed.argv[0]}: command not found`, 127);
  const target = parsed.target.kind === 'outside' ? 'outside' as const : { ifname: parsed.target.ifname };
  const log = process.env.WIREDESK_VERBOSE ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  let child;
  try {
    child = await withSplitRule(target, log, (cg) => spawnInCgroup(cg, user, parsed.argv, { env, stdio: 'inherit' }));
  } catch (e) {
    return fail(`cannot set up split tunneling: ${e instanceof Error ? e.message : String(e)}`, 1);
  }
  // The terminal sends ^C and ^\ to CMD itself; what is sent to us alone is passed on.
  for (const sig of ['SIGINT', 'SIGQUIT'] as const) process.on(sig, () => {});
  for (const sig of ['SIGTERM', 'SIGHUP'] as const) process.on(sig, () => child.kill(sig));
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve(exitStatusOf(code, signal, constants.signals as Record<string, number>)));
  });
}
