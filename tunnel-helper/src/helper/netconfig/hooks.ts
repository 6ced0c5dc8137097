// PreUp/PostUp/PreDown/PostDown: shell snippets from the config, run as root
// by `bash -c` with %i replaced by the interface name, as wg-quick runs them.
// A config is often downloaded from a VPN provider, so they only run when the
// caller says so explicitly (--allow-scripts); otherwise each is reported as
// skipped, by name, and nothing runs.
import { expandHook } from '../../../../shared/config/index.js';
import { TunnelError } from './errors.js';
import { messageOf, run, type Log } from './exec.js';

export type HookPhase = 'PreUp' | 'PostUp' | 'PreDown' | 'PostDown';

const HOOK_TIMEOUT_MS = 60_000;

/** `PostUp = iptables -A ...`: how a skipped hook is named to the user. */
export function describeHook(phase: HookPhase, command: string): string {
  return `${phase} = ${command}`;
}

/**
 * Runs the hooks of one phase in order, or returns them as skipped. A failing
 * hook throws (up then rolls back, as wg-quick's `set -e` does); pass
 * `tolerate` on the way down, where one failure must not stop the teardown.
 */
export async function runHooks(
  phase: HookPhase, commands: readonly string[], ifname: string,
  opts: { allow: boolean; log?: Log; tolerate?: boolean },
): Promise<string[]> {
  if (commands.length === 0) return [];
  if (!opts.allow) {
    const skipped = commands.map((c) => describeHook(phase, c));
    for (const s of skipped) opts.log?.(`[!] skipped ${s} (scripts are off; pass --allow-scripts to run them)`);
    return skipped;
  }
  for (const command of commands) {
    const expanded = expandHook(command, ifname);
    try {
      const out = await run('bash', ['-c', expanded], { log: opts.log, logAs: expanded, timeoutMs: HOOK_TIMEOUT_MS });
      for (const line of out.split('\n').filter(Boolean)) opts.log?.(line);
    } catch (err) {
      const message = `${phase} hook failed: ${messageOf(err)}`;
      if (!opts.tolerate) throw new TunnelError(message, { cause: err });
      opts.log?.(`[!] ${message}`);
    }
  }
  return [];
}
