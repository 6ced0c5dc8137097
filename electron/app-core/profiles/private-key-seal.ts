// Swaps each [Interface] PrivateKey value for an encrypted marker and back.
// Only the value's characters change, so comments, spacing and line endings
// survive and an unedited profile reads back byte for byte.
import { joinLines, parseConfig, serializeConfig, type ParsedConfig } from '../../../shared/config/index.js';
import type { SecretBox } from './secret-box.js';

export const SEALED_PREFIX = 'wiredesk-sealed:v1:';

/** Replaces the value part of line `text` that starts at 1-based `valueColumn`. */
function mapValue(text: string, valueColumn: number, fn: (value: string) => string): string {
  const start = valueColumn - 1;
  const hash = text.indexOf('#', start);
  let stop = hash < 0 ? text.length : hash;
  while (stop > start && /[\t\v\f\r ]/.test(text[stop - 1] ?? '')) stop--;
  return text.slice(0, start) + fn(text.slice(start, stop)) + text.slice(stop);
}

function mapPrivateKeys(parsed: ParsedConfig, fn: (value: string) => string): string {
  const entries = parsed.interface?.entries.filter((e) => e.name === 'PrivateKey') ?? [];
  if (entries.length === 0) return serializeConfig(parsed);
  const lines = [...parsed.lines];
  for (const entry of entries) {
    const line = lines[entry.line - 1];
    if (line) lines[entry.line - 1] = { text: mapValue(line.text, entry.valueColumn, fn), eol: line.eol };
  }
  return joinLines(parsed.bom, lines);
}

/** The text to store for a config: its own lines, with the private key sealed. */
export function sealPrivateKeys(parsed: ParsedConfig, box: SecretBox): string {
  if (!box.isAvailable()) return serializeConfig(parsed);
  return mapPrivateKeys(parsed, (v) => (v.startsWith(SEALED_PREFIX) || v === '' ? v : SEALED_PREFIX + box.encrypt(v)));
}

export function unsealPrivateKeys(text: string, box: SecretBox): string {
  if (!text.includes(SEALED_PREFIX)) return text;
  return mapPrivateKeys(parseConfig(text), (v) => (v.startsWith(SEALED_PREFIX) ? box.decrypt(v.slice(SEALED_PREFIX.length)) : v));
}
