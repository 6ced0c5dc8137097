// `wiredesk show [IFNAME | all | interfaces]`: `wg show` for userspace
// interfaces (ours, wireguard-go, boringtun), read over their UAPI sockets.
import { formatShow, lanBypassState } from '../helper/netconfig/index.js';
import { listInterfaces, uapiGet } from '../engine/uapi/client.js';
import type { DeviceState } from '../engine/uapi/device-api.js';
import { formatSplitStatus, splitRuleStatuses } from '../helper/split/split-status.js';
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
    process.stdout.write(withWireDeskLines(formatShow(state, arg, Date.now() / 1000, { showKeys }), arg));
    return 0;
  }
  const blocks: string[] = [];
  const names = await listInterfaces();
  for (const ifname of names) {
    try {
      blocks.push(withWireDeskLines(formatShow(await uapiGet(ifname), ifname, Date.now() / 1000, { showKeys }), ifname));
    } catch (e) {
      process.stderr.write(`Unable to access interface ${ifname}: ${(e as Error).message}\n`);
    }
  }
  const split = formatSplitStatus(splitRuleStatuses(), (ifname) => names.includes(ifname));
  process.stdout.write([...blocks, ...(split ? [split] : [])].join('\n'));
  return 0;
}

/** `wg show`'s text for one interface, plus what WireDesk adds to it from the journal: the LAN bypass and split DNS. */
function withWireDeskLines(block: string, ifname: string): string {
  return withSplitDns(withLanLine(block, ifname), ifname);
}

/** A line at the end of the interface section (before the first peer). */
function interfaceLine(block: string, line: string): string {
  const end = block.indexOf('\n\n');
  return end < 0 ? block + line : `${block.slice(0, end + 1)}${line}${block.slice(end + 1)}`;
}

/** Adds "exclude lan" to the interface's lines when the LAN bypass is on (it lives in the journal, not the engine). */
export function withLanLine(block: string, ifname: string, state = lanBypassState(ifname)): string {
  if (state === null) return block;
  return interfaceLine(block, `  exclude lan: ${state.map((r) => `${r.prefix} (${r.dev})`).join(', ') || '(no LAN subnet right now)'}\n`);
}

/** Adds `  split dns: corp.example` when the tunnel was brought up with split DNS (its journal says so). */
export function withSplitDns(block: string, ifname: string): string {
  let domains: string[] | undefined;
  try {
    const begin = readJournal(ifname)?.[0];
    domains = begin?.op === 'begin' ? begin.splitDns : undefined;
  } catch { /* no readable journal: nothing to add */ }
  if (!domains?.length) return block;
  return interfaceLine(block, `  split dns: ${domains.join(', ')}\n`);
}
