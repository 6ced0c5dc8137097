// ParsedConfig -> text. The raw lines are the source of truth, so an
// unedited file comes back byte for byte: comments, spacing, CRLF, BOM.
import { joinLines } from './lines.js';
import type { ParsedConfig } from './model.js';

export function serializeConfig(parsed: ParsedConfig): string {
  return joinLines(parsed.bom, parsed.lines);
}
