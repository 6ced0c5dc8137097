// `wiredesk demo [HOST[:PORT]] > demo.conf`: asks a WireGuard demo server
// (demo.wireguard.com unless HOST says otherwise) for a test tunnel and
// prints its .conf, private key included, on stdout. Exit codes: 0 printed;
// 1 the server or the network failed (one sentence on stderr); 2 bad usage.
import { describeDemoFailure } from '../../../shared/demo/demo-failure.js';
import { requestDemoTunnel } from '../demo/demo-client.js';
import { DEMO_DEFAULT_HOST } from '../../../shared/demo/demo-protocol.js';
import { warnIfStdoutWorldReadable } from './keys-commands.js';

export const DEMO_USAGE = 'Usage: wiredesk demo [HOST[:PORT]]   (HOST may be [IPv6]:PORT; default demo.wireguard.com:42912)\n';

export async function demo(args: string[]): Promise<number> {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    process.stdout.write(DEMO_USAGE);
    return 0;
  }
  if (args.length > 1 || args.some((a) => a.startsWith('-'))) {
    process.stderr.write(DEMO_USAGE);
    return 2;
  }
  const outcome = await requestDemoTunnel(args[0] ?? DEMO_DEFAULT_HOST);
  if (!outcome.ok) {
    process.stderr.write(`wiredesk demo: ${describeDemoFailure(outcome.failure)}\n`);
    if (outcome.failure.code === 'bad-host') process.stderr.write(DEMO_USAGE);
    return outcome.failure.code === 'bad-host' ? 2 : 1;
  }
  warnIfStdoutWorldReadable();
  process.stdout.write(outcome.config);
  return 0;
}
