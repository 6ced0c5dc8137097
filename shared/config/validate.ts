// Semantic checks: every value, required keys, repeats. Errors are what
// wg or wg-quick would refuse (plus a few WireDesk insists on: a PrivateKey,
// an [Interface], unique peers); warnings are legal but probably mistaken.
import { x25519 } from '@noble/curves/ed25519.js';
import { error, sortDiagnostics, warning, type Diagnostic } from './diagnostic.js';
import { formatCidr, hasHostBits, maskCidr } from './ip.js';
import type { Entry, ParsedConfig, Section } from './model.js';
import { parseConfig } from './parse.js';
import { checkPeersAgainstEachOther } from './peer-checks.js';
import { specFor, type KeyName } from './schema.js';
import {
  parseAddresses, parseAllowedIps, parseDns, parseEndpoint, parseFwMark, parseKey, parseListenPort,
  parseMtu, parsePersistentKeepalive, parseSaveConfig, parseTable, type ItemResult,
} from './values.js';

/**
 * The X25519 public key of a private key. A caller with a native one (node:crypto
 * in the CLI) passes it: @noble's first call costs tens of ms of a cold start.
 */
export type PublicKeyOf = (privateKey: Uint8Array) => Uint8Array;

export interface ValidateOptions {
  publicKeyOf?: PublicKeyOf;
}

export function validateConfig(parsed: ParsedConfig, opts: ValidateOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [...parsed.diagnostics];
  const iface = parsed.interface;
  if (!iface) {
    out.push(error(1, 1, 'This file has no [Interface] section; add one with a PrivateKey.'));
  } else {
    checkEntries(iface, out);
    if (!iface.entries.some((e) => e.name === 'PrivateKey')) {
      out.push(error(iface.line, iface.column, '[Interface] has no PrivateKey; add one (wg genkey makes one).'));
    }
  }
  for (const peer of parsed.peers) {
    checkEntries(peer, out);
    if (!peer.entries.some((e) => e.name === 'PublicKey')) {
      out.push(error(peer.line, peer.column, "This [Peer] has no PublicKey; add the peer's public key."));
    }
  }
  checkOwnKeyAsPeer(parsed, out, opts.publicKeyOf ?? ((k) => x25519.getPublicKey(k)));
  out.push(...checkPeersAgainstEachOther(parsed.peers));
  return sortDiagnostics(out);
}

export function checkConfig(text: string): Diagnostic[] {
  return validateConfig(parseConfig(text));
}

function checkEntries(section: Section, out: Diagnostic[]): void {
  const seen = new Map<KeyName, Entry>();
  for (const entry of section.entries) {
    const spec = specFor(entry.name);
    const previous = seen.get(entry.name);
    if (previous && spec.repeat === 'last-wins') {
      out.push(warning(entry.line, entry.keyColumn,
        `${entry.name} is already set on line ${previous.line}; this later value wins. Remove one of them.`));
    }
    seen.set(entry.name, entry);
    const value = spec.hook ? entry.rawValue : entry.value;
    if (value === '') {
      out.push(emptyValue(entry, spec.owner === 'wg' || entry.name === 'SaveConfig'));
      continue;
    }
    out.push(...checkValue(entry));
  }
}

function emptyValue(entry: Entry, fatal: boolean): Diagnostic {
  if (fatal) return error(entry.line, entry.valueColumn, `${entry.name} needs a value.`);
  return warning(entry.line, entry.valueColumn, `${entry.name} is empty, so wg-quick ignores it; remove the line or give it a value.`);
}

function checkValue(entry: Entry): Diagnostic[] {
  const at = (message: string, offset = 0) => error(entry.line, entry.valueColumn + offset, message);
  const single = (result: { ok: boolean; message?: string }) => (result.ok || !result.message ? [] : [at(result.message)]);
  const list = <T>(items: ItemResult<T>[]) =>
    items.flatMap(({ item, result }) => (result.ok ? [] : [at(result.message, item.offset)]));
  switch (entry.name) {
    case 'PrivateKey':
    case 'PublicKey':
    case 'PresharedKey':
      return single(parseKey(entry.name, entry.value));
    case 'ListenPort':
      return single(parseListenPort(entry.value));
    case 'FwMark':
      return single(parseFwMark(entry.value));
    case 'MTU':
      return single(parseMtu(entry.value));
    case 'Table':
      return single(parseTable(entry.value));
    case 'SaveConfig':
      // Honoured: `wiredesk down` writes the running state back, as wg-quick does.
      return single(parseSaveConfig(entry.value));
    case 'PersistentKeepalive':
      return single(parsePersistentKeepalive(entry.value));
    case 'Endpoint':
      return single(parseEndpoint(entry.value));
    case 'Address':
      return list(parseAddresses(entry.value));
    case 'DNS':
      return list(parseDns(entry.value));
    case 'AllowedIPs': {
      const items = parseAllowedIps(entry.value);
      const hostBits = items.flatMap(({ item, result }) =>
        result.ok && hasHostBits(result.value)
          ? [warning(entry.line, entry.valueColumn + item.offset,
              `AllowedIPs ${item.text} has host bits set; did you mean ${formatCidr(maskCidr(result.value))}?`)]
          : []);
      return [...list(items), ...hostBits];
    }
    case 'PreUp':
    case 'PostUp':
    case 'PreDown':
    case 'PostDown':
      return [];
  }
}

/** wg silently ignores a peer whose key is the interface's own public key. */
function checkOwnKeyAsPeer(parsed: ParsedConfig, out: Diagnostic[], publicKeyOf: PublicKeyOf): void {
  const keyEntry = parsed.interface?.entries.filter((e) => e.name === 'PrivateKey').pop();
  const privateKey = keyEntry ? parseKey('PrivateKey', keyEntry.value) : null;
  if (!privateKey?.ok) return;
  const own = publicKeyOf(privateKey.value);
  for (const peer of parsed.peers) {
    const entry = peer.entries.filter((e) => e.name === 'PublicKey').pop();
    const key = entry ? parseKey('PublicKey', entry.value) : null;
    if (entry && key?.ok && key.value.every((b, i) => b === own[i])) {
      out.push(warning(entry.line, entry.valueColumn,
        "This PublicKey is the interface's own public key, so WireGuard ignores this peer; use the other side's key."));
    }
  }
}
