// The file as a list of raw lines (text + its own line ending), plus a lexer
// that reads one line the way wg and wg-quick do. Keeping every line's exact
// text and ending is what lets an unedited file serialize byte for byte.

export type LineEnding = '' | '\n' | '\r\n';

export interface RawLine {
  /** The line's text without its line ending (and without the BOM on line 1). */
  readonly text: string;
  /** '' only on a last line that has no line ending. */
  readonly eol: LineEnding;
}

export const BOM = '\uFEFF';

export function splitLines(text: string): { bom: boolean; lines: RawLine[] } {
  const bom = text.startsWith(BOM);
  const body = bom ? text.slice(1) : text;
  const lines: RawLine[] = [];
  let start = 0;
  while (start < body.length) {
    const nl = body.indexOf('\n', start);
    if (nl < 0) {
      lines.push({ text: body.slice(start), eol: '' });
      break;
    }
    const crlf = nl > start && body[nl - 1] === '\r';
    lines.push({ text: body.slice(start, crlf ? nl - 1 : nl), eol: crlf ? '\r\n' : '\n' });
    start = nl + 1;
  }
  return { bom, lines };
}

export function joinLines(bom: boolean, lines: readonly RawLine[]): string {
  return (bom ? BOM : '') + lines.map((l) => l.text + l.eol).join('');
}

/** The ending new lines should use: the file's first one, else '\n'. */
export function preferredEnding(lines: readonly RawLine[]): '\n' | '\r\n' {
  const first = lines.find((l) => l.eol !== '');
  return first?.eol === '\r\n' ? '\r\n' : '\n';
}

// wg's char_is_space: tab, LF, VT, FF, CR and space.
const SPACE = /[\t\n\v\f\r ]/;
const SPACES = /[\t\n\v\f\r ]+/g;

export function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && SPACE.test(ch);
}

export function trimSpace(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isSpace(s[a])) a++;
  while (b > a && isSpace(s[b - 1])) b--;
  return s.slice(a, b);
}

export function removeSpaces(s: string): string {
  return s.replace(SPACES, '');
}

function firstNonSpace(s: string, from: number, to: number): number {
  let i = from;
  while (i < to && isSpace(s[i])) i++;
  return i;
}

export type LexedLine =
  | { readonly kind: 'blank' }
  | {
      readonly kind: 'section';
      /** Name inside the brackets with all whitespace removed, as wg reads it. */
      readonly name: string;
      readonly column: number;
      /** True when the brackets hold whitespace (`[ Peer ]`); wg-quick treats those differently. */
      readonly spaced: boolean;
      /** False when the header is malformed (no closing bracket, text after it). */
      readonly wellFormed: boolean;
    }
  | {
      readonly kind: 'entry';
      readonly key: string;
      readonly keyColumn: number;
      /** Value with the comment cut off and whitespace trimmed. */
      readonly value: string;
      readonly valueColumn: number;
      /** Value from the uncut line, trimmed: wg-quick keeps `#` in hook commands. */
      readonly rawValue: string;
    }
  | { readonly kind: 'no-equals'; readonly column: number; readonly text: string };

/** Reads one line: comment cut at the first '#', whitespace trimmed, split at the first '='. */
export function lexLine(text: string): LexedLine {
  const hash = text.indexOf('#');
  const end = hash < 0 ? text.length : hash;
  const start = firstNonSpace(text, 0, end);
  const content = trimSpace(text.slice(start, end));
  if (content === '') return { kind: 'blank' };
  const column = start + 1;
  if (content.startsWith('[')) {
    const close = content.indexOf(']');
    const inner = close < 0 ? content.slice(1) : content.slice(1, close);
    return {
      kind: 'section',
      name: removeSpaces(inner),
      column,
      spaced: SPACE.test(inner),
      wellFormed: close === content.length - 1,
    };
  }
  const eq = text.indexOf('=', start);
  if (eq < 0 || eq >= end) return { kind: 'no-equals', column, text: content };
  const valueStart = firstNonSpace(text, eq + 1, end);
  const rawStart = firstNonSpace(text, eq + 1, text.length);
  return {
    kind: 'entry',
    key: trimSpace(text.slice(start, eq)),
    keyColumn: column,
    value: trimSpace(text.slice(valueStart, end)),
    valueColumn: Math.min(valueStart, end) + 1,
    rawValue: trimSpace(text.slice(rawStart)),
  };
}
