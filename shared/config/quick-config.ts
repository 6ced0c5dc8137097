// The wg-quick part of a .conf (Address, DNS, MTU, Table, hooks, SaveConfig):
// what the tunnel helper does around the WireGuard device itself.
import { ConfigError, hasErrors } from './diagnostic.js';
import type { Cidr } from './ip.js';
import { entriesOf, type ParsedConfig } from './model.js';
import { validateConfig } from './validate.js';
import { valueOf } from './wg-config.js';
import { parseAddresses, parseDns, parseMtu, parseSaveConfig, parseTable, type Table } from './values.js';

export interface QuickConfig {
  /**
   * Host bits kept (10.0.0.2/24 is the interface's own address); a /32 or
   * /128 when the file gives no prefix, as `ip address add` assumes.
   */
  readonly addresses: readonly Cidr[];
  readonly dns: readonly string[];
  readonly dnsSearch: readonly string[];
  /** Absent means "pick automatically" (lowest endpoint route MTU - 80). */
  readonly mtu?: number;
  /** Absent means auto. */
  readonly table?: Table;
  readonly preUp: readonly string[];
  readonly postUp: readonly string[];
  readonly preDown: readonly string[];
  readonly postDown: readonly string[];
  readonly saveConfig: boolean;
}

/** Throws ConfigError (with every diagnostic) if the config has errors. */
export function toQuickConfig(parsed: ParsedConfig): QuickConfig {
  const diagnostics = validateConfig(parsed);
  if (hasErrors(diagnostics)) throw new ConfigError(diagnostics);
  return quickPartOf(parsed);
}

/** The wg-quick part of a config that passed validateConfig (loadConfig checks first). */
export function quickPartOf(parsed: ParsedConfig): QuickConfig {
  const iface = parsed.interface;
  const addresses = entriesOf(iface, 'Address').flatMap((e) => parseAddresses(e.value).flatMap(({ result }) => (result.ok ? [result.value] : [])));
  const dnsEntries = entriesOf(iface, 'DNS').flatMap((e) => parseDns(e.value).flatMap(({ result }) => (result.ok ? [result.value] : [])));
  // Empty values are ignored, as wg-quick does.
  const mtu = valueOf(iface, 'MTU', (v) => (v === '' ? { ok: false, message: '' } : parseMtu(v)));
  const table = valueOf(iface, 'Table', (v) => (v === '' ? { ok: false, message: '' } : parseTable(v)));
  const hooks = (name: 'PreUp' | 'PostUp' | 'PreDown' | 'PostDown') =>
    entriesOf(iface, name).map((e) => e.rawValue).filter((v) => v !== '');
  return {
    addresses,
    dns: dnsEntries.flatMap((d) => (d.kind === 'server' ? [d.ip] : [])),
    dnsSearch: dnsEntries.flatMap((d) => (d.kind === 'search' ? [d.domain] : [])),
    ...(mtu !== undefined ? { mtu } : {}),
    ...(table !== undefined ? { table } : {}),
    preUp: hooks('PreUp'),
    postUp: hooks('PostUp'),
    preDown: hooks('PreDown'),
    postDown: hooks('PostDown'),
    saveConfig: valueOf(iface, 'SaveConfig', parseSaveConfig) ?? false,
  };
}

/** wg-quick replaces every `%i` in a hook with the interface name before running it. */
export function expandHook(command: string, interfaceName: string): string {
  return command.split('%i').join(interfaceName);
}
