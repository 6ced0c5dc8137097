// A problem found in a config file, pinned to the line a user has to edit.

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** 1-based line number in the file. */
  readonly line: number;
  /** 1-based column of the offending text (after any BOM). */
  readonly column: number;
  readonly severity: Severity;
  /** One short sentence saying what is wrong and what to do. */
  readonly message: string;
}

export function error(line: number, column: number, message: string): Diagnostic {
  return { line, column, severity: 'error', message };
}

export function warning(line: number, column: number, message: string): Diagnostic {
  return { line, column, severity: 'warning', message };
}

export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.line - b.line || a.column - b.column);
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

/** `file:line:column: severity: message`, the form compilers and editors understand. */
export function formatDiagnostic(d: Diagnostic, fileName?: string): string {
  const where = fileName ? `${fileName}:${d.line}:${d.column}` : `line ${d.line}:${d.column}`;
  return `${where}: ${d.severity}: ${d.message}`;
}

/** Thrown by the typed views when asked to convert a config that has errors. */
export class ConfigError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    super(
      first
        ? `${formatDiagnostic(first)}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`
        : 'The configuration is invalid.',
    );
    this.name = 'ConfigError';
    this.diagnostics = diagnostics;
  }
}
