// `wiredesk up CONF [--allow-scripts] [--kill-switch=off|on|allow-lan] [--exclude-lan] [--split-dns=DOMAIN,...]`.
// --exclude-lan routes the subnets of the current links outside the tunnel
// (netconfig/lan-bypass.ts) as they are at up; the helper, not the CLI, follows
// later network changes.
// CONF is a path to IFNAME.conf, or a bare IFNAME for /etc/wireguard/IFNAME.conf.
// Exit codes: 0 up; 1 it failed (bad config, not root, a step failed, all
// undone); 2 bad usage (arguments, file name, unreadable file).
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { interfaceNameFromFileName, isValidInterfaceName, loadConfig, type LoadResult } from '../../../shared/config/index.js';
import { dropSpare, setLanBypass, tunnelUp, type KillSwitch } from '../helper/netconfig/index.js';
import { parseKillSwitch } from '../helper/netconfig/kill-switch.js';
import { x25519PublicKey } from '../engine/x25519-node.js';
import { FileProblem, readTextFile } from './read-text-file.js';
import { parseSplitDomains, splitDomainProblemText } from '../../../shared/dns/split-domains.js';
import { trace } from '../helper/netconfig/trace.js';

export const UP_USAGE = 'Usage: wiredesk up CONF [--allow-scripts] [--kill-switch=off|on|allow-lan] [--exclude-lan] [--split-dns=DOMAIN,...]\n';

export class UsageError extends Error {}

/** wg-quick's rule, made friendlier: a bare valid name means /etc/wireguard/NAME.conf. */
export function resolveConfigArg(arg: string): { path: string; ifname: string } {
  if (!arg.includes('/') && !arg.endsWith('.conf') && isValidInterfaceName(arg)) {
    return { path: `/etc/wireguard/${arg}.conf`, ifname: arg };
  }
  const ifname = interfaceNameFromFileName(arg);
  if (!ifname) {
    throw new UsageError(`${arg}: the config file must be named after the interface, followed by .conf (1-15 of a-z A-Z 0-9 _ = + . -), e.g. wg0.conf`);
  }
  return { path: arg, ifname };
}

export function rootCheck(command: string, arg: string): string | null {
  return process.getuid?.() === 0 ? null : `wiredesk ${command} must be run as root; try: sudo wiredesk ${command}${arg ? ` ${arg}` : ''}`;
}

function parseArgs(args: string[]): { conf: string; allowScripts: boolean; killSwitch: KillSwitch; excludeLan: boolean; splitDns: string[] } {
  let conf: string | undefined;
  let splitDns: string[] = [];
  let allowScripts = false;
  let excludeLan = false;
  let killSwitch: KillSwitch = 'off';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--allow-scripts') allowScripts = true;
    else if (arg === '--exclude-lan') excludeLan = true;
    else if (arg === '--kill-switch' || arg.startsWith('--kill-switch=')) {
      const value = arg === '--kill-switch' ? args[++i] ?? '' : arg.slice('--kill-switch='.length);
      const mode = parseKillSwitch(value);
      if (!mode) throw new UsageError(`--kill-switch must be off, on or allow-lan, not "${value}"`);
      killSwitch = mode;
    } else if (arg === '--split-dns' || arg.startsWith('--split-dns=')) {
      splitDns = parseSplitDnsOption(arg === '--split-dns' ? args[++i] ?? '' : arg.slice('--split-dns='.length));
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (conf === undefined) conf = arg;
    else throw new UsageError(`unexpected argument ${arg}`);
  }
  if (conf === undefined) throw new UsageError('missing the config file');
  return { conf, allowScripts, killSwitch, excludeLan, splitDns };
}

/** `corp.example,~lab.example`: only these domains' queries go to the tunnel's DNS servers. */
function parseSplitDnsOption(value: string): string[] {
  const { domains, errors } = parseSplitDomains(value);
  const bad = errors[0];
  if (bad) throw new UsageError(`--split-dns: "${bad.text}" is not a domain name (${splitDomainProblemText(bad.problem)})`);
  if (domains.length === 0) throw new UsageError('--split-dns needs at least one domain, e.g. --split-dns=corp.example');
  return domains;
}

/** wg-quick warns when both the file and its directory let others read it. */
function worldAccessible(path: string): boolean {
  try {
    return (statSync(path).mode & statSync(dirname(path)).mode & 0o007) !== 0;
  } catch {
    return false;
  }
}

export async function up(args: string[]): Promise<number> {
  try {
    return await upCommand(args);
  } finally {
    dropSpare(); // main() started one; tunnelUp took it unless up stopped early
  }
}

async function upCommand(args: string[]): Promise<number> {
  trace('up command');
  let parsedArgs: ReturnType<typeof parseArgs>;
  let target: { path: string; ifname: string };
  try {
    parsedArgs = parseArgs(args);
    target = resolveConfigArg(parsedArgs.conf);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`wiredesk up: ${e.message}\n${UP_USAGE}`);
    return 2;
  }
  const notRoot = rootCheck('up', args.join(' '));
  if (notRoot) {
    process.stderr.write(`${notRoot}\n`);
    return 1;
  }
  let text: string;
  try {
    if (lstatSync(target.path, { throwIfNoEntry: false }) === undefined) throw new FileProblem(`${target.path}: no such file.`);
    text = readTextFile(target.path);
  } catch (e) {
    if (!(e instanceof FileProblem)) throw e;
    process.stderr.write(`wiredesk up: ${e.message}\n`);
    return 2;
  }
  const path = realpathSync(target.path);
  if (worldAccessible(path)) process.stderr.write(`Warning: \`${path}' is world accessible\n`);
  trace('config read');
  const loaded = loadConfig(text, { publicKeyOf: x25519PublicKey });
  trace('config loaded');
  printWarnings(path, loaded);
  if (!loaded.config) {
    for (const d of loaded.diagnostics.filter((x) => x.severity === 'error')) process.stderr.write(`${path}:${d.line}: error: ${d.message}\n`);
    process.stderr.write(`wiredesk up: ${path} has errors; nothing was changed.\n`);
    return 1;
  }
  try {
    await tunnelUp(target.ifname, loaded.config, {
      allowScripts: parsedArgs.allowScripts, killSwitch: parsedArgs.killSwitch, configPath: path,
      ...(parsedArgs.splitDns.length > 0 ? { splitDns: parsedArgs.splitDns } : {}),
      log: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (e) {
    process.stderr.write(`wiredesk up: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  if (parsedArgs.excludeLan) {
    try {
      const routes = await setLanBypass(target.ifname, true, { log: (line) => process.stderr.write(`${line}\n`) });
      process.stderr.write(`[#] the LAN bypasses ${target.ifname}: ${routes.map((r) => `${r.prefix} (${r.dev})`).join(', ') || 'no LAN subnet right now'}\n`);
    } catch (e) {
      process.stderr.write(`wiredesk up: ${target.ifname} is up, but the LAN could not be excluded: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  }
  return 0;
}

/** Warnings, as `wiredesk check` prints them, except the one about SaveConfig, which up honours. */
function printWarnings(path: string, { parsed, diagnostics }: LoadResult): void {
  const saveConfigLines = new Set(parsed.interface?.entries.filter((e) => e.name === 'SaveConfig').map((e) => e.line) ?? []);
  for (const d of diagnostics) {
    if (d.severity === 'warning' && !saveConfigLines.has(d.line)) process.stderr.write(`${path}:${d.line}: warning: ${d.message}\n`);
  }
}
