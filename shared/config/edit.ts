// Immutable edits for the app's editor. Each returns a new ParsedConfig in
// which only the touched lines differ: a changed value keeps its key's
// spelling, the spacing around '=' and any trailing comment; new lines use the
// file's own line ending and the canonical key spelling.
import { lexLine, preferredEnding, isSpace, type RawLine } from './lines.js';
import type { ParsedConfig, Section } from './model.js';
import { parseLines } from './parse.js';
import { keysOf, specFor, type InterfaceKey, type KeyName, type PeerKey } from './schema.js';

/** A string sets one line; an array sets a list (hooks: one line each); null removes the key. */
export type EditValue = string | readonly string[] | null;

export type PeerFields = Partial<Record<PeerKey, string | readonly string[]>>;

export function setInterfaceValue(parsed: ParsedConfig, key: InterfaceKey, value: EditValue): ParsedConfig {
  const first = parsed.sections.find((s) => s.kind === 'interface');
  if (!first) {
    if (value === null) return parsed;
    // No [Interface] yet: put one at the top of the file.
    const eol = preferredEnding(parsed.lines);
    const added = [rawLine('[Interface]', eol), ...lineValues(key, value).map((v) => rawLine(`${key} = ${v}`, eol))];
    if (parsed.lines.length > 0) added.push(rawLine('', eol));
    return parseLines(parsed.bom, [...added, ...parsed.lines]);
  }
  return setValue(parsed, first, parsed.interface ?? first, key, value);
}

export function setPeerValue(parsed: ParsedConfig, peerIndex: number, key: PeerKey, value: EditValue): ParsedConfig {
  const peer = peerAt(parsed, peerIndex);
  return setValue(parsed, peer, peer, key, value);
}

export function addPeer(parsed: ParsedConfig, fields: PeerFields): ParsedConfig {
  const eol = preferredEnding(parsed.lines);
  const lines = [...parsed.lines];
  const last = lines[lines.length - 1];
  if (last && last.eol === '') lines[lines.length - 1] = { text: last.text, eol };
  if (last && lexLine(last.text).kind !== 'blank') lines.push(rawLine('', eol));
  lines.push(rawLine('[Peer]', eol));
  for (const key of keysOf('peer') as PeerKey[]) {
    const value = fields[key];
    if (value !== undefined) lines.push(...lineValues(key, value).map((v) => rawLine(`${key} = ${v}`, eol)));
  }
  return parseLines(parsed.bom, lines);
}

/** Removes the peer's lines, with the comment block right above its header. */
export function removePeer(parsed: ParsedConfig, index: number): ParsedConfig {
  const peer = peerAt(parsed, index);
  const lines = parsed.lines;
  let start = leadingCommentStart(lines, peer.line - 1);
  const next = parsed.sections.find((s) => s.line > peer.line);
  const end = next ? leadingCommentStart(lines, next.line - 1) : lines.length; // exclusive, 0-based
  if (!next) {
    // Removing the last section: also drop the blank lines that separated it.
    while (start > 0 && (lines[start - 1]?.text.trim() ?? '') === '') start--;
  }
  const kept = [...lines.slice(0, start), ...lines.slice(end)];
  // Keep the file's "no newline at end" state when the old last line had none.
  const lastKept = kept[kept.length - 1];
  if (!next && lastKept && lines[lines.length - 1]?.eol === '' && start > 0) {
    kept[kept.length - 1] = { text: lastKept.text, eol: '' };
  }
  return parseLines(parsed.bom, kept);
}

function peerAt(parsed: ParsedConfig, index: number): Section {
  const peer = parsed.peers[index];
  if (!peer) throw new RangeError(`There is no peer ${index}; the file has ${parsed.peers.length}.`);
  return peer;
}

function rawLine(text: string, eol: RawLine['eol']): RawLine {
  return { text, eol };
}

/** Index of the first line of the comment block directly above a 0-based header index. */
function leadingCommentStart(lines: readonly RawLine[], header: number): number {
  let i = header;
  while (i > 0 && /^[ \t]*#/.test(lines[i - 1]?.text ?? '')) i--;
  return i;
}

function lineValues(key: KeyName, value: string | readonly string[]): string[] {
  const spec = specFor(key);
  let values: string[];
  if (typeof value === 'string') values = [value];
  else if (spec.hook) values = [...value];
  else if (spec.repeat === 'append') values = [value.join(', ')];
  else throw new TypeError(`${key} takes one value, not a list.`);
  for (const v of values) {
    if (/[\r\n]/.test(v)) throw new Error(`A ${key} value cannot contain a line break.`);
    if (!spec.hook && v.includes('#')) throw new Error(`A ${key} value cannot contain "#"; it would start a comment.`);
  }
  return values;
}

/**
 * Sets `key` in a section. `home` is where new lines go; `view` holds the
 * entries to rewrite (the merged [Interface] can span several sections).
 */
function setValue(parsed: ParsedConfig, home: Section, view: Section, key: KeyName, value: EditValue): ParsedConfig {
  const values = value === null ? [] : lineValues(key, value);
  const existing = view.entries.filter((e) => e.name === key);
  const hook = specFor(key).hook;
  const eol = preferredEnding(parsed.lines);
  const replace = new Map<number, string>();
  const remove = new Set<number>();
  existing.forEach((entry, i) => {
    const v = values[i];
    if (v === undefined) remove.add(entry.line - 1);
    else replace.set(entry.line - 1, replaceValue(parsed.lines[entry.line - 1]?.text ?? '', v, hook));
  });
  const extra = values.slice(existing.length).map((v) => rawLine(`${key} = ${v}`, eol));
  const lastExisting = existing[existing.length - 1];
  const insertAfter = lastExisting ? lastExisting.line - 1 : lastContentLine(parsed.lines, home);

  const out: RawLine[] = [];
  parsed.lines.forEach((line, i) => {
    if (!remove.has(i)) out.push({ text: replace.get(i) ?? line.text, eol: line.eol });
    if (i === insertAfter && extra.length > 0) {
      const prev = out[out.length - 1];
      // Inserting after a last line without a newline: it gets one, the new last line does not.
      if (prev && prev.eol === '') {
        out[out.length - 1] = { text: prev.text, eol };
        extra[extra.length - 1] = rawLine(extra[extra.length - 1]?.text ?? '', '');
      }
      out.push(...extra);
    }
  });
  return parseLines(parsed.bom, out);
}

/** 0-based index of the section's last line that holds something other than a comment. */
function lastContentLine(lines: readonly RawLine[], section: Section): number {
  for (let i = section.endLine - 1; i >= section.line - 1; i--) {
    if (lexLine(lines[i]?.text ?? '').kind !== 'blank') return i;
  }
  return section.line - 1;
}

/** Swaps the value part of `Key = value # comment`, keeping everything around it. */
function replaceValue(text: string, value: string, hook: boolean): string {
  const eq = text.indexOf('=');
  let end = text.length;
  if (!hook) {
    const hash = text.indexOf('#', eq + 1);
    if (hash >= 0) end = hash;
  }
  let start = eq + 1;
  while (start < end && isSpace(text[start])) start++;
  let stop = end;
  while (stop > start && isSpace(text[stop - 1])) stop--;
  // An empty `Key =` gets a space before its new value; `Key=value` stays tight.
  const before = text.slice(0, start) + (start === stop && start === eq + 1 ? ' ' : '');
  const after = text.slice(stop);
  return `${before}${value}${after.startsWith('#') ? ' ' : ''}${after}`;
}
