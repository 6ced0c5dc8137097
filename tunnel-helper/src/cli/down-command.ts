// `wiredesk down CONF|IFNAME [--allow-scripts]`: undoes exactly what up did
// (from its journal), so the config file itself is not needed; with
// SaveConfig = true the running state is written back to the file up read.
import { tunnelDown } from '../helper/netconfig/index.js';
import { writeConfigFile } from '../helper/netconfig/save-config.js';
import { resolveConfigArg, rootCheck, UsageError } from './up-command.js';

export const DOWN_USAGE = 'Usage: wiredesk down CONF|IFNAME [--allow-scripts]\n';

export async function down(args: string[]): Promise<number> {
  const allowScripts = args.includes('--allow-scripts');
  const rest = args.filter((a) => a !== '--allow-scripts');
  let target: { path: string; ifname: string };
  try {
    if (rest.length !== 1 || rest[0]!.startsWith('-')) throw new UsageError(rest.length === 0 ? 'missing the config file or interface' : `unexpected argument ${rest.find((a) => a.startsWith('-')) ?? rest[1]}`);
    target = resolveConfigArg(rest[0]!);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`wiredesk down: ${e.message}\n${DOWN_USAGE}`);
    return 2;
  }
  const notRoot = rootCheck('down', args.join(' '));
  if (notRoot) {
    process.stderr.write(`${notRoot}\n`);
    return 1;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const result = await tunnelDown(target.ifname, { allowScripts, log });
    if (result.savedConfig !== undefined) {
      const path = rest[0]!.includes('/') || rest[0]!.endsWith('.conf') ? target.path : result.configPath ?? target.path;
      writeConfigFile(path, result.savedConfig);
      log(`[#] saved the running configuration to ${path}`);
    }
  } catch (e) {
    process.stderr.write(`wiredesk down: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  return 0;
}
