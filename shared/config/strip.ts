// The `wg setconf` form, byte for byte as `wg-quick strip` prints it
// (linux.bash parse_options + cmd_strip). What wg-quick does, and so we do:
//  - each line goes through bash `read -r`: leading and trailing spaces and
//    tabs go, but a CR does not (CRLF lines keep their '\r');
//  - a last line with no newline is kept only if something is left of it;
//  - inside [Interface] (header matched literally, case-insensitively), lines
//    whose key is one of its nine keys are dropped: Address, DNS, MTU, Table,
//    PreUp, PostUp, PreDown, PostDown, SaveConfig;
//  - every other line is printed as is, comments and blank lines included,
//    each followed by '\n', and `echo` adds one more '\n' at the end.
// Two deliberate differences, both on files real wg would refuse anyway:
// a UTF-8 BOM is dropped (wg-quick would keep it and `wg` reject line 1), and
// keys of other clients (IncludedApplications...) are dropped like wg-quick's.
import type { ParsedConfig } from './model.js';
import { FOREIGN_KEYS, WG_QUICK_KEYS } from './schema.js';

// bash's default IFS, which `read` trims from both ends.
const IFS_EDGES = /^[ \t\n]+|[ \t\n]+$/g;
// [[:space:]] in the C locale, which wg-quick trims from keys.
const POSIX_SPACE_EDGES = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

export function stripConfig(parsed: ParsedConfig): string {
  let out = '';
  let inInterface = false;
  for (const raw of parsed.lines) {
    const line = (raw.text + (raw.eol === '\r\n' ? '\r' : '')).replace(IFS_EDGES, '');
    if (raw.eol === '' && line === '') continue;
    const hash = line.indexOf('#');
    const stripped = hash < 0 ? line : line.slice(0, hash);
    const eq = stripped.indexOf('=');
    const key = (eq < 0 ? stripped : stripped.slice(0, eq)).replace(POSIX_SPACE_EDGES, '').toLowerCase();
    if (key.startsWith('[')) inInterface = false;
    if (key === '[interface]') inInterface = true;
    if (inInterface && (WG_QUICK_KEYS.has(key) || FOREIGN_KEYS.has(key))) continue;
    out += `${line}\n`;
  }
  return `${out}\n`;
}
