// The WireGuard demo server's protocol, as its contrib scripts speak it
// (wireguard-tools contrib/ncat-client-server): the client connects to TCP
// port 42912 and sends its public key in base64 on one line; the server adds
// it as a peer and answers one line, `OK:server-public-key:port:your-ip`
// (your-ip from 192.168.4.2-254, the server itself being 192.168.4.1), or
// `ERROR`. Pure: parsing the host the user typed, checking the reply
// strictly, and writing the .conf; the socket is in demo-client.ts.
import { decodeKey, isZeroKey } from '../config/keys.js';
import { parseIp } from '../config/ip.js';
import { parseEndpoint } from '../config/values.js';
import type { DemoFailure } from './demo-failure.js';

export const DEMO_DEFAULT_HOST = 'demo.wireguard.com';
export const DEMO_DEFAULT_PORT = 42912;
/** How long to wait for the whole exchange (lookup, connect, reply). */
export const DEMO_TIMEOUT_SECONDS = 10;
/** The demo page every demo server serves from its own tunnel address. */
export const DEMO_PAGE_ADDRESS = '192.168.4.1';
/** A real reply is about 70 bytes; anything much longer is not one. */
export const DEMO_MAX_REPLY_BYTES = 256;
/** The upstream client script's keepalive, which keeps NAT mappings open. */
const PERSISTENT_KEEPALIVE = 25;

export interface DemoTarget {
  /** A host name, or an IP address without brackets. */
  readonly host: string;
  readonly port: number;
  readonly family: 4 | 6 | null;
}

export interface DemoReply {
  readonly serverPublicKey: string;
  readonly port: number;
  /** Our tunnel address, e.g. 192.168.4.7. */
  readonly address: string;
}

type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: DemoFailure };

const PORT = /^[1-9][0-9]{0,4}$/;

function parsePort(text: string): number | null {
  if (!PORT.test(text)) return null;
  const n = Number(text);
  return n <= 65535 ? n : null;
}

/** host:port, with brackets around an IPv6 address as Endpoint lines need. */
export function formatHostPort(host: string, family: 4 | 6 | null, port: number): string {
  return family === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

export function formatTarget(t: DemoTarget): string {
  return formatHostPort(t.host, t.family, t.port);
}

/**
 * What the user typed: `host`, `host:port`, `[v6]` or `[v6]:port`; the port
 * defaults to 42912. An unbracketed IPv6 address cannot carry a port, so one
 * is taken as the address alone. Host names and addresses are checked as the
 * Endpoint key checks them, so whatever passes here makes a valid Endpoint.
 */
export function parseDemoHost(input: string): Result<DemoTarget> {
  const text = input.trim();
  const bad = { ok: false, failure: { code: 'bad-host', target: text } } as const;
  // Printable ASCII only: no spaces or control characters inside (an Endpoint host could not hold them).
  if (text === '' || /[^!-~]/.test(text)) return bad;
  let host: string;
  let portText: string | null = null;
  if (text.startsWith('[')) {
    const m = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
    if (!m) return bad;
    host = m[1]!;
    portText = m[2] ?? null;
    if (parseIp(host)?.family !== 6) return bad;
  } else if (text.indexOf(':') !== text.lastIndexOf(':')) {
    if (parseIp(text)?.family !== 6) return bad;
    host = text;
  } else {
    const colon = text.indexOf(':');
    host = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? null : text.slice(colon + 1);
  }
  const port = portText === null ? DEMO_DEFAULT_PORT : parsePort(portText);
  if (port === null) return bad;
  const family = host.includes(':') ? 6 : null;
  const endpoint = parseEndpoint(formatHostPort(host, family, port));
  if (!endpoint.ok) return bad;
  return { ok: true, value: { host, port, family: endpoint.value.family } };
}

/** The one reply line, without its line ending. `target` only labels failures. */
export function parseDemoReply(line: string, target: string): Result<DemoReply> {
  const malformed = (part: 'format' | 'key' | 'port' | 'address') => ({ ok: false, failure: { code: 'malformed', target, part } }) as const;
  const fields = line.split(':');
  // The server's only other answer; it says nothing more about why.
  if (fields[0] === 'ERROR') return { ok: false, failure: { code: 'server-error', target } };
  if (fields[0] !== 'OK' || fields.length !== 4) return malformed('format');
  const [, key, portText, address] = fields as [string, string, string, string];
  const keyBytes = decodeKey(key);
  // An all-zero key is valid base64 but no peer can have it.
  if (!keyBytes || isZeroKey(keyBytes)) return malformed('key');
  const port = parsePort(portText);
  if (port === null) return malformed('port');
  if (!isDemoClientAddress(address)) return malformed('address');
  return { ok: true, value: { serverPublicKey: key, port, address } };
}

/**
 * 192.168.4.2 to .254: not the network or broadcast address, and not .1,
 * the server's own address, which would hide the demo page from us.
 */
function isDemoClientAddress(text: string): boolean {
  const ip = parseIp(text);
  if (!ip || ip.family !== 4) return false;
  const [a, b, c, d = 0] = Array.from(ip.bytes);
  return a === 192 && b === 168 && c === 4 && d >= 2 && d <= 254;
}

/**
 * The tunnel as a wg-quick .conf. Two deliberate departures from the
 * upstream client script, which routes everything (AllowedIPs = 0.0.0.0/0)
 * and sets public DNS servers:
 * - AllowedIPs is the demo page alone, so trying the demo never silently
 *   sends all of a user's traffic through a stranger's test server, or cuts
 *   them off when that server goes away. The comment says how to opt in.
 * - No DNS: with only the demo page routed, the resolvers would not be
 *   reached through the tunnel anyway, so DNS would only change the
 *   system's resolver for no benefit.
 */
export function demoConfig(o: { privateKey: string; target: DemoTarget; reply: DemoReply }): string {
  return [
    `# WireGuard demo server at ${o.target.host}: a test service, not a private VPN.`,
    `# AllowedIPs reaches only its demo page, http://${DEMO_PAGE_ADDRESS}/. To send`,
    '# all IPv4 traffic through the demo server instead, use AllowedIPs = 0.0.0.0/0.',
    '[Interface]',
    `PrivateKey = ${o.privateKey}`,
    `Address = ${o.reply.address}/24`,
    '',
    '[Peer]',
    `PublicKey = ${o.reply.serverPublicKey}`,
    `Endpoint = ${formatHostPort(o.target.host, o.target.family, o.reply.port)}`,
    `AllowedIPs = ${DEMO_PAGE_ADDRESS}/32`,
    `PersistentKeepalive = ${PERSISTENT_KEEPALIVE}`,
    '',
  ].join('\n');
}
