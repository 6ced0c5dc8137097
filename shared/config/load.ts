// Config text -> the value every later stage takes, made once at a trust
// boundary (the helper's control `up`, `wiredesk up`, the app's import and
// save): parsed, validated and converted in one pass. Stages after the
// boundary take a LoadedConfig, never text, so nothing parses it again.
import { hasErrors, type Diagnostic } from './diagnostic.js';
import type { ParsedConfig } from './model.js';
import { parseConfig } from './parse.js';
import { quickPartOf, type QuickConfig } from './quick-config.js';
import { validateConfig, type ValidateOptions } from './validate.js';
import { wgPartOf, type WgConfig } from './wg-config.js';

declare const loaded: unique symbol;

/** A config without errors. Only loadConfig makes one. */
export interface LoadedConfig {
  readonly [loaded]: true;
  /** The raw lines, comments and line endings kept: what the app stores. */
  readonly parsed: ParsedConfig;
  /** What `wg setconf` applies. */
  readonly wg: WgConfig;
  /** What wg-quick does around the device. */
  readonly quick: QuickConfig;
}

export interface LoadResult {
  /** Kept when there are errors too, so a caller can point at lines. */
  readonly parsed: ParsedConfig;
  /** Every error and warning, sorted by line. */
  readonly diagnostics: readonly Diagnostic[];
  /** null when a diagnostic is an error. */
  readonly config: LoadedConfig | null;
}

export function loadConfig(text: string, opts: ValidateOptions = {}): LoadResult {
  const parsed = parseConfig(text);
  const diagnostics = validateConfig(parsed, opts);
  if (hasErrors(diagnostics)) return { parsed, diagnostics, config: null };
  const config = { parsed, wg: wgPartOf(parsed), quick: quickPartOf(parsed) } as LoadedConfig;
  return { parsed, diagnostics, config };
}
