// `wiredesk check FILE...` and `wiredesk strip FILE`.
import { checkConfig, parseConfig, stripConfig, validateConfig } from '../../../shared/config/index.js';
import { FileProblem, readTextFile } from './read-text-file.js';

/** The file's text, or null after printing why it cannot be read. */
function readOrReport(file: string): string | null {
  try {
    return readTextFile(file);
  } catch (e) {
    if (!(e instanceof FileProblem)) throw e;
    process.stderr.write(`${e.message}\n`);
    return null;
  }
}

/** Exit codes: 0 every file valid, 1 some file has errors, 2 some file unreadable. */
export function check(files: string[]): number {
  if (files.length === 0) {
    process.stderr.write('Usage: wiredesk check FILE...\n');
    return 2;
  }
  let worst = 0;
  for (const file of files) {
    const text = readOrReport(file);
    if (text === null) {
      worst = 2;
      continue;
    }
    const diagnostics = checkConfig(text);
    for (const d of diagnostics) process.stdout.write(`${file}:${d.line}: ${d.severity}: ${d.message}\n`);
    if (diagnostics.some((d) => d.severity === 'error')) worst = Math.max(worst, 1);
  }
  return worst;
}

export function strip(files: string[]): number {
  if (files.length !== 1) {
    process.stderr.write('Usage: wiredesk strip FILE\n');
    return 2;
  }
  const file = files[0]!;
  const text = readOrReport(file);
  if (text === null) return 2;
  const parsed = parseConfig(text);
  const errors = validateConfig(parsed).filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    for (const d of errors) process.stderr.write(`${file}:${d.line}: error: ${d.message}\n`);
    return 1;
  }
  process.stdout.write(stripConfig(parsed));
  return 0;
}
