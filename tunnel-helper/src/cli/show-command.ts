// `wiredesk show [IFNAME | all | interfaces]`: `wg show` for userspace
// interfaces (ours, wireguard-go, boringtun), read over their UAPI sockets.
import { formatShow, lanBypassState } from '../helper/netconfig/index.js';
import { listInterfaces, uapiGet } from '../engine/uapi/client.js';
import type { DeviceState } from '../engine/uapi/device-api.js';
import { formatSplitStatus, splitRuleStatuses } from '../helper/split/split-status.js';

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
    process.stdout.write(withLanLine(formatShow(state, arg, Date.now() / 1000, { showKeys }), arg));
    return 0;
  }
  const blocks: string[] = [];
  const names = await listInterfaces();
  for (const ifname of names) {
    try {
      blocks.push(withLanLine(formatShow(await uapiGet(ifname), ifname, Date.now() / 1000, { showKeys }), ifname));
    } catch (e) {
      process.stderr.write(`Unable to access interface ${ifname}: ${(e as Error).message}\n`);
    }
  }
  const split = formatSplitStatus(splitRuleStatuses(), (ifname) => names.includes(ifname));
  process.stdout.write([...blocks, ...(split ? [split] : [])].join('\n'));
  return 0;
}

/** Adds "exclude lan" to the interface's lines when the LAN bypass is on (it lives in the journal, not the engine). */
export function withLanLine(block: string, ifname: string, state = lanBypassState(ifname)): string {
  if (state === null) return block;
  const line = `  exclude lan: ${state.map((r) => `${r.prefix} (${r.dev})`).join(', ') || '(no LAN subnet right now)'}\n`;
  const end = block.indexOf('\n\n');
  return end < 0 ? block + line : `${block.slice(0, end + 1)}${line}${block.slice(end + 1)}`;
}
