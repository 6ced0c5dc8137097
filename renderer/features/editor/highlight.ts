// Splits one .conf line into highlighted tokens: section headers, keys, the
// '=', values and comments. Hook values keep '#' (wg-quick runs them as
// shell text), so only other keys end at a comment.
export interface Token {
  readonly text: string;
  readonly kind: 'section' | 'key' | 'eq' | 'value' | 'comment' | 'plain';
}

const HOOK = /^\s*(PreUp|PostUp|PreDown|PostDown)\s*=/i;

export function tokenizeLine(line: string): Token[] {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('#')) return [{ text: line, kind: 'comment' }];
  if (trimmed.startsWith('[')) {
    const hash = line.indexOf('#');
    return hash < 0 ? [{ text: line, kind: 'section' }] : [{ text: line.slice(0, hash), kind: 'section' }, { text: line.slice(hash), kind: 'comment' }];
  }
  const eq = line.indexOf('=');
  if (eq < 0) return line === '' ? [] : [{ text: line, kind: 'plain' }];
  const out: Token[] = [{ text: line.slice(0, eq), kind: 'key' }, { text: '=', kind: 'eq' }];
  const rest = line.slice(eq + 1);
  const hash = HOOK.test(line) ? -1 : rest.indexOf('#');
  if (hash < 0) out.push({ text: rest, kind: 'value' });
  else out.push({ text: rest.slice(0, hash), kind: 'value' }, { text: rest.slice(hash), kind: 'comment' });
  return out.filter((t) => t.text !== '');
}
