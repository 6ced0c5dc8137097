// Calls the netconfig API the way the control service does, from a process
// started inside a test namespace (`ip netns exec NS node api-driver.js ...`),
// because every change it makes must land in that namespace. Prints one JSON
// line: the result, or { error }.
//   up IFNAME CONF_FILE [OPTIONS_JSON] | down IFNAME [OPTIONS_JSON] | recover | active
//   parallel-up JSON([[IFNAME, CONF_FILE], ...]) | parallel-down JSON([IFNAME, ...])   (all at once, like the helper)
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, type LoadedConfig } from '../../../shared/config/index.js';
import { activeTunnels, recoverStaleTunnels, tunnelDown, tunnelUp } from '../../../tunnel-helper/src/helper/netconfig/index.js';

/** A config file, loaded as the control service loads the text it is sent. */
function load(file: string): LoadedConfig {
  const { config, diagnostics } = loadConfig(readFileSync(file, 'utf8'));
  if (!config) throw new ConfigError(diagnostics);
  return config;
}

async function main(argv: string[]): Promise<unknown> {
  const [command, a, b, c] = argv;
  const logLines: string[] = [];
  const log = (line: string) => logLines.push(line);
  switch (command) {
    case 'up':
      return { result: await tunnelUp(a!, load(b!), { ...(c ? JSON.parse(c) : {}), log }), log: logLines };
    case 'down':
      return { result: await tunnelDown(a!, { ...(b ? JSON.parse(b) : {}), log }), log: logLines };
    case 'recover':
      return { result: await recoverStaleTunnels(log), log: logLines };
    case 'parallel-up': {
      const list = JSON.parse(a!) as [string, string][];
      return { result: await Promise.all(list.map(([name, file]) => tunnelUp(name, load(file), { log }))), log: logLines };
    }
    case 'parallel-down': {
      const list = JSON.parse(a!) as string[];
      return { result: await Promise.all(list.map((name) => tunnelDown(name, { log }))), log: logLines };
    }
    case 'active':
      return { result: activeTunnels() };
    default:
      throw new Error(`unknown command ${command}`);
  }
}

main(process.argv.slice(2)).then(
  (out) => process.stdout.write(`${JSON.stringify(out)}\n`),
  (err: Error) => {
    process.stdout.write(`${JSON.stringify({ error: err.message, name: err.name })}\n`);
    process.exitCode = 1;
  },
);
