// One import problem as a line, in the form `wiredesk check` prints:
// "office.conf:5: error: …", or "archive.zip: …" when no line applies.
import type { ImportFailure } from './types.js';

export function formatImportFailure(f: ImportFailure): string {
  return f.line !== undefined ? `${f.file}:${f.line}: error: ${f.message}` : `${f.file}: ${f.message}`;
}
