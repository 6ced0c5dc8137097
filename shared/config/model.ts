// The parsed form of a .conf: the untouched raw lines (the source of truth
// for serializing) plus a section/entry view that points back at them.
import type { Diagnostic } from './diagnostic.js';
import type { RawLine } from './lines.js';
import type { KeyName } from './schema.js';

export interface Entry {
  /** 1-based line number. */
  readonly line: number;
  /** The key as written (`AllowedIps`, `  dns`). */
  readonly key: string;
  /** The canonical key it stands for. */
  readonly name: KeyName;
  /** Comment cut off, whitespace trimmed. */
  readonly value: string;
  /** Whitespace trimmed but comment kept; the value of hooks. */
  readonly rawValue: string;
  readonly keyColumn: number;
  readonly valueColumn: number;
}

export interface Section {
  readonly kind: 'interface' | 'peer' | 'unknown';
  /** Line of the `[Header]`. */
  readonly line: number;
  readonly column: number;
  /** Last line before the next header (or the last line of the file). */
  readonly endLine: number;
  /** Recognised keys, in file order. Unknown and foreign keys are left out. */
  readonly entries: readonly Entry[];
}

export interface ParsedConfig {
  readonly bom: boolean;
  readonly lines: readonly RawLine[];
  /** Every section in file order, unknown ones included. */
  readonly sections: readonly Section[];
  /**
   * The [Interface] section; when there are several, their entries are merged
   * in file order (as wg does) and `line` is the first header.
   */
  readonly interface: Section | null;
  readonly peers: readonly Section[];
  /** Syntax-level problems; validateConfig adds the semantic ones. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Entries of one key, in file order. */
export function entriesOf(section: Section | null | undefined, name: KeyName): Entry[] {
  return section ? section.entries.filter((e) => e.name === name) : [];
}

/** The entry that takes effect for a last-wins key: the last one. */
export function lastEntry(section: Section | null | undefined, name: KeyName): Entry | undefined {
  const all = entriesOf(section, name);
  return all[all.length - 1];
}
