// The part of a .conf that `wg setconf` applies, as typed values the engine
// and the UAPI layer use directly. Addresses stay bytes.
import { ConfigError, hasErrors } from './diagnostic.js';
import { maskCidr, type Cidr } from './ip.js';
import { entriesOf, lastEntry, type ParsedConfig, type Section } from './model.js';
import { validateConfig } from './validate.js';
import {
  parseAllowedIps, parseEndpoint, parseFwMark, parseKey, parseListenPort, parsePersistentKeepalive,
  type Parsed,
} from './values.js';

export interface WgPeerConfig {
  readonly publicKey: Uint8Array;
  readonly presharedKey?: Uint8Array;
  /** Host names are left unresolved; resolving is the caller's job. */
  readonly endpoint?: { readonly host: string; readonly port: number };
  /** Host bits cleared, as WireGuard does. */
  readonly allowedIps: readonly Cidr[];
  /** Seconds; `off` reads as 0. Absent when the file does not set it. */
  readonly persistentKeepalive?: number;
}

export interface WgConfig {
  readonly privateKey: Uint8Array | null;
  readonly listenPort?: number;
  /** `off` reads as 0. */
  readonly fwMark?: number;
  readonly peers: readonly WgPeerConfig[];
}

/** Throws ConfigError (with every diagnostic) if the config has errors. */
export function toWgConfig(parsed: ParsedConfig): WgConfig {
  const diagnostics = validateConfig(parsed);
  if (hasErrors(diagnostics)) throw new ConfigError(diagnostics);
  return wgPartOf(parsed);
}

/** The wg part of a config that passed validateConfig (loadConfig checks first). */
export function wgPartOf(parsed: ParsedConfig): WgConfig {
  const iface = parsed.interface;
  const privateKey = valueOf(iface, 'PrivateKey', (v) => parseKey('PrivateKey', v));
  const listenPort = valueOf(iface, 'ListenPort', parseListenPort);
  const fwMark = valueOf(iface, 'FwMark', parseFwMark);
  return {
    privateKey: privateKey ?? null,
    ...(listenPort !== undefined ? { listenPort } : {}),
    ...(fwMark !== undefined ? { fwMark } : {}),
    peers: parsed.peers.map(toPeer),
  };
}

function toPeer(peer: Section): WgPeerConfig {
  const publicKey = valueOf(peer, 'PublicKey', (v) => parseKey('PublicKey', v));
  if (!publicKey) throw new Error('unreachable: validated peers have a PublicKey');
  const presharedKey = valueOf(peer, 'PresharedKey', (v) => parseKey('PresharedKey', v));
  const endpoint = valueOf(peer, 'Endpoint', parseEndpoint);
  const keepalive = valueOf(peer, 'PersistentKeepalive', parsePersistentKeepalive);
  const allowedIps = entriesOf(peer, 'AllowedIPs').flatMap((entry) =>
    parseAllowedIps(entry.value).flatMap(({ result }) => (result.ok ? [maskCidr(result.value)] : [])),
  );
  return {
    publicKey,
    ...(presharedKey ? { presharedKey } : {}),
    ...(endpoint ? { endpoint: { host: endpoint.host, port: endpoint.port } } : {}),
    allowedIps,
    ...(keepalive !== undefined ? { persistentKeepalive: keepalive } : {}),
  };
}

/** The value of the entry that wins (the last), or undefined when absent. */
export function valueOf<T>(
  section: Section | null,
  name: Parameters<typeof lastEntry>[1],
  parse: (value: string) => Parsed<T>,
): T | undefined {
  const entry = lastEntry(section, name);
  if (!entry) return undefined;
  const result = parse(entry.value);
  return result.ok ? result.value : undefined;
}
