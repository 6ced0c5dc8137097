// Text -> ParsedConfig. Reads lines as wg (config.c) and wg-quick
// (parse_options) do: comments cut at '#', whitespace trimmed, keys and
// section names case-insensitive, CRLF and a UTF-8 BOM tolerated. Only
// structure is checked here; values are checked by validate.ts.
import { error, warning, type Diagnostic } from './diagnostic.js';
import { lexLine, splitLines, type RawLine } from './lines.js';
import type { Entry, ParsedConfig, Section } from './model.js';
import { keysOf, lookupKey, type SectionKind } from './schema.js';

interface OpenSection {
  kind: Section['kind'];
  line: number;
  column: number;
  entries: Entry[];
}

const DISPLAY: Record<SectionKind, string> = { interface: '[Interface]', peer: '[Peer]' };

export function parseConfig(text: string): ParsedConfig {
  const { bom, lines } = splitLines(text);
  return parseLines(bom, lines);
}

/** Parses already-split lines; the edit helpers use it to re-read an edited file. */
export function parseLines(bom: boolean, lines: readonly RawLine[]): ParsedConfig {
  const diagnostics: Diagnostic[] = [];
  const open: OpenSection[] = [];
  let current: OpenSection | null = null;
  let sawInterface = false;

  lines.forEach((raw, index) => {
    const line = index + 1;
    const lexed = lexLine(raw.text);
    switch (lexed.kind) {
      case 'blank':
        return;
      case 'section': {
        const kind = sectionKind(lexed.name, lexed.wellFormed);
        current = { kind, line, column: lexed.column, entries: [] };
        open.push(current);
        if (!lexed.wellFormed) {
          diagnostics.push(error(line, lexed.column, 'Write the section header as [Interface] or [Peer], with nothing after the closing bracket.'));
        } else if (kind === 'unknown') {
          diagnostics.push(error(line, lexed.column, `Unknown section [${lexed.name}]; a .conf has only [Interface] and [Peer] sections.`));
        } else if (lexed.spaced && kind === 'interface') {
          // wg-quick compares the header literally, so its own keys would leak to wg.
          diagnostics.push(error(line, lexed.column, 'Write [Interface] without spaces inside the brackets; wg-quick does not recognise it otherwise.'));
        } else if (lexed.spaced) {
          diagnostics.push(warning(line, lexed.column, 'Write [Peer] without spaces inside the brackets; some clients reject it.'));
        }
        if (kind === 'interface') {
          if (sawInterface) {
            diagnostics.push(warning(line, lexed.column, 'This second [Interface] section merges into the first (as wg does); move its keys there.'));
          }
          sawInterface = true;
        }
        return;
      }
      case 'no-equals':
        if (!current) diagnostics.push(outsideSection(line, lexed.column));
        else if (current.kind !== 'unknown') {
          diagnostics.push(error(line, lexed.column, `Write this as "Key = value"; the line has no "=".`));
        }
        return;
      case 'entry': {
        const section: OpenSection | null = current;
        if (!section) {
          diagnostics.push(outsideSection(line, lexed.keyColumn));
          return;
        }
        // Lines of an unknown section were already flagged at its header.
        if (section.kind === 'unknown') return;
        const problem = checkKey(section.kind, lexed.key, line, lexed.keyColumn);
        if (problem) {
          diagnostics.push(problem.diagnostic);
          return;
        }
        const found = lookupKey(section.kind, lexed.key);
        if (found.kind !== 'known') return;
        section.entries.push({
          line,
          key: lexed.key,
          name: found.spec.name,
          value: lexed.value,
          rawValue: found.spec.hook ? lexed.rawValue : lexed.value,
          keyColumn: lexed.keyColumn,
          valueColumn: lexed.valueColumn,
        });
        return;
      }
    }
  });

  const sections: Section[] = open.map((s, i) => ({
    kind: s.kind,
    line: s.line,
    column: s.column,
    endLine: (open[i + 1]?.line ?? lines.length + 1) - 1,
    entries: s.entries,
  }));
  const interfaces = sections.filter((s) => s.kind === 'interface');
  const first = interfaces[0];
  const merged: Section | null = first ? { ...first, entries: interfaces.flatMap((s) => s.entries) } : null;
  return {
    bom,
    lines,
    sections,
    interface: merged,
    peers: sections.filter((s) => s.kind === 'peer'),
    diagnostics,
  };
}

function sectionKind(name: string, wellFormed: boolean): Section['kind'] {
  if (!wellFormed) return 'unknown';
  const lower = name.toLowerCase();
  return lower === 'interface' ? 'interface' : lower === 'peer' ? 'peer' : 'unknown';
}

function outsideSection(line: number, column: number): Diagnostic {
  return error(line, column, 'Put this line under an [Interface] or [Peer] section header.');
}

/** Returns the diagnostic for a key that is not usable in this section, if any. */
function checkKey(kind: SectionKind, key: string, line: number, column: number): { diagnostic: Diagnostic } | null {
  if (key === '') return { diagnostic: error(line, column, 'Add a key name before the "=".') };
  const found = lookupKey(kind, key);
  switch (found.kind) {
    case 'known':
      return null;
    case 'wrong-section':
      return {
        diagnostic: error(line, column, `${found.spec.name} belongs in the ${DISPLAY[found.spec.section]} section, not ${DISPLAY[kind]}.`),
      };
    case 'foreign':
      return {
        diagnostic: warning(line, column, `${found.name} is a setting of ${found.origin}; WireDesk ignores it, and wg-quick would reject it.`),
      };
    case 'unknown': {
      const hint = found.suggestion
        ? `did you mean ${found.suggestion}?`
        : `the keys allowed here are ${keysOf(kind).join(', ')}.`;
      return { diagnostic: error(line, column, `Unknown key "${key}" in ${DISPLAY[kind]}; ${hint}`) };
    }
  }
}
