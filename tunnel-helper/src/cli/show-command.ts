// `wiredesk show [IFNAME | all | interfaces]`: `wg show` for userspace
// interfaces (ours, wireguard-go, boringtun), read over their UAPI sockets.
import { formatShow } from '../helper/netconfig/index.js';
import { listInterfaces, uapiGet } from '../engine/uapi/client.js';
import type { DeviceState } from '../engine/uapi/device-api.js';
import { readJournal } from '../helper/netconfig/journal.js';

export const SHOW_USAGE = 'Usage: wiredesk show [IFNAME | all | interfaces]\n';

export async function show(args: string[]): Promise<number> {
  if (args.length > 1 || args[0]?.startsWith('-')) {
    process.stderr.write(SHOW_USAGE);
    return 2;
  }
  if (process.getuid?.() !== 0) {
    process.stderr.write('wiredesk show must be run as root (the WireGuard sockets are root\'s); try: sudo wiredesk show\n');
    return 1;
  }
  const arg = args[0];
  const showKeys = process.env.WG_HIDE_KEYS === 'never';
  if (arg === 'interfaces') {
    const names = await listInterfaces();
    if (names.length > 0) process.stdout.write(`${names.join(' ')}\n`);
    return 0;
  }
  if (arg !== undefined && arg !== 'all') {
    let state: DeviceState;
    try {
      state = await uapiGet(arg);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' || code === 'ECONNREFUSED' ? 'no WireGuard interface by that name is running' : (e as Error).message;
      process.stderr.write(`wiredesk show: ${arg}: ${why}\n`);
      return 1;
    }
    process.stdout.write(withSplitDns(formatShow(state, arg, Date.now() / 1000, { showKeys }), arg));
    return 0;
  }
  const blocks: string[] = [];
  for (const ifname of await listInterfaces()) {
    try {
      blocks.push(withSplitDns(formatShow(await uapiGet(ifname), ifname, Date.now() / 1000, { showKeys }), ifname));
    } catch (e) {
      process.stderr.write(`Unable to access interface ${ifname}: ${(e as Error).message}\n`);
    }
  }
  process.stdout.write(blocks.join('\n'));
  return 0;
}

/**
 * WireDesk's one addition to `wg show`'s text: `  split dns: corp.example`
 * at the end of the interface section, when that tunnel was brought up with
 * split DNS (its journal says so). Without it the output is wg's, exactly.
 */
export function withSplitDns(text: string, ifname: string): string {
  let domains: string[] | undefined;
  try {
    const begin = readJournal(ifname)?.[0];
    domains = begin?.op === 'begin' ? begin.splitDns : undefined;
  } catch { /* no readable journal: nothing to add */ }
  if (!domains?.length) return text;
  const line = `  split dns: ${domains.join(', ')}\n`;
  const end = text.indexOf('\n\n');
  return end < 0 ? text + line : `${text.slice(0, end + 1)}${line}${text.slice(end + 1)}`;
}
