// Parsers for each key's value, shared by validation (which turns failures
// into diagnostics) and the typed views. Rules follow wg's config.c for wg
// keys and wg-quick's parse_options for its own keys.
import { parseCidr, parseIp, type Cidr } from './ip.js';
import { parseDecimal } from './decimal.js';
import { decodeKey, KEY_BASE64_LENGTH } from './keys.js';
import { isSpace, removeSpaces } from './lines.js';
import type { KeyName } from './schema.js';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });

const DIGITS = /^[0-9]+$/;
const BASE64_CHAR = /[A-Za-z0-9+/]/;

/** A key in wg's format; wg drops spaces inside values, so we do too. */
export function parseKey(name: KeyName, value: string): Parsed<Uint8Array> {
  const text = removeSpaces(value);
  const decoded = decodeKey(text);
  if (decoded) return ok(decoded);
  if (/^[0-9a-fA-F]{64}$/.test(text)) {
    return fail(`${name} looks like hex; write it as 44 characters of base64 (32 bytes).`);
  }
  if (text.length !== KEY_BASE64_LENGTH) {
    return fail(`${name} must be 44 characters of base64 (32 bytes); got ${text.length} characters.`);
  }
  const bad = Array.from(text.slice(0, KEY_BASE64_LENGTH - 1)).findIndex((c) => !BASE64_CHAR.test(c));
  if (bad >= 0) return fail(`${name} has a character that is not base64 at position ${bad + 1}: "${text[bad]}".`);
  if (!text.endsWith('=')) return fail(`${name} must end with "=" (44 characters of base64, 32 bytes).`);
  return fail(`${name} does not decode to exactly 32 bytes; check its last characters.`);
}

function parseNumber(text: string, min: number, max: number): number | null {
  const n = parseDecimal(text, max);
  return n !== null && n >= min ? n : null;
}

export function parseListenPort(value: string): Parsed<number> {
  const port = parseNumber(removeSpaces(value), 0, 65535);
  return port === null ? fail(`ListenPort must be a number from 0 to 65535; got "${value}".`) : ok(port);
}

/** wg: "off", or a digit-led number, hex only with a lower-case "0x". */
export function parseFwMark(value: string): Parsed<number> {
  const text = removeSpaces(value);
  const message = `FwMark must be off or a number from 0 to 0xffffffff (decimal or 0x hex); got "${value}".`;
  if (text.toLowerCase() === 'off') return ok(0);
  let n: number;
  if (/^0x[0-9a-fA-F]+$/.test(text)) n = parseInt(text.slice(2), 16);
  else if (DIGITS.test(text)) n = Number(text);
  else return fail(message);
  return n <= 0xffffffff ? ok(n) : fail(message);
}

export function parseMtu(value: string): Parsed<number> {
  const mtu = parseNumber(value, 576, 65535);
  return mtu === null ? fail(`MTU must be a number from 576 to 65535; got "${value}".`) : ok(mtu);
}

export type Table = 'off' | 'auto' | 'main' | number;

/** wg-quick compares Table after switching case matching back on, so "Off" is a table name. */
export function parseTable(value: string): Parsed<Table> {
  if (value === 'off' || value === 'auto' || value === 'main') return ok(value);
  if (['off', 'auto', 'main'].includes(value.toLowerCase())) {
    return fail(`Write Table in lower case: "${value.toLowerCase()}".`);
  }
  const n = parseNumber(value, 1, 0xffffffff);
  return n === null
    ? fail(`Table must be off, auto, main or a routing table number from 1 to 4294967295; got "${value}".`)
    : ok(n);
}

export function parseSaveConfig(value: string): Parsed<boolean> {
  const lower = value.toLowerCase();
  if (lower === 'true') return ok(true);
  if (lower === 'false') return ok(false);
  return fail(`SaveConfig must be true or false; got "${value}".`);
}

export function parsePersistentKeepalive(value: string): Parsed<number> {
  const text = removeSpaces(value);
  if (text.toLowerCase() === 'off') return ok(0);
  const n = parseNumber(text, 0, 65535);
  return n === null ? fail(`PersistentKeepalive must be off or a number of seconds from 0 to 65535; got "${value}".`) : ok(n);
}

export interface Endpoint {
  /** IP literal (no brackets) or a host name, which is never resolved here. */
  readonly host: string;
  readonly port: number;
  /** 4 or 6 for IP literals, null for host names. */
  readonly family: 4 | 6 | null;
}

const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_-]{1,63})*\.?$/;

/** `IPv4:port`, `[IPv6]:port` or `name:port`, split as wg does (last colon, or the bracket). */
export function parseEndpoint(value: string): Parsed<Endpoint> {
  const text = removeSpaces(value);
  let host: string;
  let portText: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return fail(`Endpoint is missing its closing "]"; write it as [2001:db8::1]:51820.`);
    host = text.slice(1, close);
    if (text[close + 1] !== ':' || close + 2 >= text.length) {
      return fail(`Endpoint needs a port after the address, e.g. [${host}]:51820.`);
    }
    portText = text.slice(close + 2);
    const ip = parseIp(host.replace(/%[^%]+$/, ''));
    if (!ip || ip.family !== 6) return fail(`Endpoint brackets must hold an IPv6 address; got "${host}".`);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon < 0 || colon === text.length - 1) {
      return fail(`Endpoint needs a port, e.g. ${colon < 0 ? text : text.slice(0, colon)}:51820.`);
    }
    host = text.slice(0, colon);
    portText = text.slice(colon + 1);
    if (host === '') return fail('Endpoint needs a host name or IP address before the port.');
    if (host.includes(':')) return fail(`Put an IPv6 Endpoint in brackets, e.g. [${host}]:${portText}.`);
  }
  const port = parseNumber(portText, 1, 65535);
  if (port === null) return fail(`Endpoint port must be a number from 1 to 65535; got "${portText}".`);
  if (text.startsWith('[')) return ok({ host, port, family: 6 });
  if (/^[0-9.]+$/.test(host)) {
    return parseIp(host) ? ok({ host, port, family: 4 }) : fail(`Endpoint address ${host} is not a valid IPv4 address.`);
  }
  if (!HOST_NAME.test(host)) return fail(`Endpoint host "${host}" is not a valid host name or IP address.`);
  return ok({ host, port, family: null });
}

export interface ListItem {
  readonly text: string;
  /** 0-based offset of the item inside the value, for diagnostic columns. */
  readonly offset: number;
}

/** Splits at each comma keeping empty items (wg's strsep); items lose their spaces. */
export function splitCommas(value: string): ListItem[] {
  const items: ListItem[] = [];
  let start = 0;
  for (const piece of value.split(',')) {
    let lead = 0;
    while (lead < piece.length && isSpace(piece[lead])) lead++;
    items.push({ text: removeSpaces(piece), offset: start + lead });
    start += piece.length + 1;
  }
  return items;
}

/** Splits at commas and whitespace, dropping empty words (bash's `${value//,/ }`). */
export function splitWords(value: string): ListItem[] {
  const items: ListItem[] = [];
  for (const m of value.matchAll(/[^,\t\n\v\f\r ]+/g)) items.push({ text: m[0], offset: m.index ?? 0 });
  return items;
}

export type ItemResult<T> = { readonly item: ListItem; readonly result: Parsed<T> };

export function parseAllowedIps(value: string): ItemResult<Cidr>[] {
  return splitCommas(value).map((item) => ({ item, result: parseAllowedIp(item.text) }));
}

function parseAllowedIp(text: string): Parsed<Cidr> {
  if (text === '') return fail('AllowedIPs has an empty entry; remove the extra comma.');
  if (text.startsWith('+') || text.startsWith('-')) {
    return fail(`Remove the "${text[0]}" before ${text.slice(1)}; a .conf lists the whole set of AllowedIPs.`);
  }
  return cidrOrMessage('AllowedIPs', text);
}

function cidrOrMessage(name: string, text: string): Parsed<Cidr> {
  const cidr = parseCidr(text);
  if (cidr) return ok(cidr);
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  if (!parseIp(address)) return fail(`${name} entry "${text}" is not a valid IP address.`);
  return fail(`${name} entry "${text}" has a bad prefix length; use 0-32 for IPv4 or 0-128 for IPv6.`);
}

export function parseAddresses(value: string): ItemResult<Cidr>[] {
  return splitWords(value).map((item) => ({ item, result: cidrOrMessage('Address', item.text) }));
}

export type DnsEntry = { readonly kind: 'server'; readonly ip: string } | { readonly kind: 'search'; readonly domain: string };

/** wg-quick: digits-and-dots or anything with a colon is a server, the rest search domains. */
export function parseDns(value: string): ItemResult<DnsEntry>[] {
  return splitWords(value).map((item) => {
    if (/^[0-9.]+$/.test(item.text) || item.text.includes(':')) {
      const result: Parsed<DnsEntry> = parseIp(item.text)
        ? ok({ kind: 'server', ip: item.text })
        : fail(`DNS server "${item.text}" is not a valid IP address.`);
      return { item, result };
    }
    // A search domain is handed to resolvers and resolvectl: only DNS names pass.
    const result: Parsed<DnsEntry> = SEARCH_DOMAIN.test(item.text)
      ? ok({ kind: 'search', domain: item.text })
      : fail(`DNS search domain "${item.text}" is not a valid domain name; use letters, digits, hyphens and dots, like corp.example.com.`);
    return { item, result };
  });
}

/** Labels of letters, digits, hyphens and underscores, not starting or ending with a hyphen. */
const SEARCH_DOMAIN = /^(?=.{1,253}\.?$)(?!-)[A-Za-z0-9_-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9_-]{1,63}(?<!-))*\.?$/;
