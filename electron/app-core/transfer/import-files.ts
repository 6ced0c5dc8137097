// Import of .conf files, .zip archives of them, pasted text, and the configs
// image-import.ts reads from QR codes in pictures. Every file
// is validated with the config library; one bad file does not stop the rest,
// and the summary names each failure at its line:
//   "Imported 2 of 3 — office.conf:5: error: PublicKey must be …"
import { unzipSync } from 'fflate';
import { loadConfig, type LoadedConfig } from '../../../shared/config/index.js';
import { formatImportFailure } from '../../../shared/ipc/import-format.js';
import type { ImportFailure, ImportSummary } from '../../../shared/ipc/types.js';
import { nameFromFileName, uniqueName } from './import-naming.js';

export interface ImportInput {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

/** Config text read from something other than a .conf (a QR code in an image), under that thing's name. */
export interface ReadConfig {
  readonly fileName: string;
  readonly text: string;
}

export interface ImportTarget {
  names(): readonly string[];
  write(name: string, config: LoadedConfig): void;
}

/** A zip bomb guard: no real archive of .conf files comes near this. */
const MAX_UNZIPPED = 16 * 1024 * 1024;
const MAX_CONF = 256 * 1024;

/** UTF-8, or UTF-16 when the file has a UTF-16 byte-order mark (Windows Notepad saves those). */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}

/** Expands archives into their .conf entries; other inputs pass through. */
export function expandInputs(inputs: readonly ImportInput[]): { files: ImportInput[]; failed: ImportFailure[] } {
  const files: ImportInput[] = [];
  const failed: ImportFailure[] = [];
  for (const input of inputs) {
    if (!/\.zip$/i.test(input.fileName)) {
      files.push(input);
      continue;
    }
    let total = 0;
    try {
      const entries = unzipSync(input.bytes, {
        filter: (f) => {
          total += f.originalSize;
          if (total > MAX_UNZIPPED) throw new Error('The archive unpacks to more than 16 MiB.');
          return /\.conf$/i.test(f.name) && !f.name.startsWith('__MACOSX/');
        },
      });
      const names = Object.keys(entries).sort();
      if (names.length === 0) failed.push({ file: input.fileName, message: 'The archive holds no .conf files.' });
      for (const name of names) files.push({ fileName: name, bytes: entries[name]! });
    } catch (e) {
      failed.push({ file: input.fileName, message: `The archive could not be read: ${(e as Error).message}` });
    }
  }
  return { files, failed };
}

/** `read` carries what was already read elsewhere (image-import.ts): configs to import and failures to report. */
export function importFiles(
  inputs: readonly ImportInput[],
  target: ImportTarget,
  read: { readonly configs: readonly ReadConfig[]; readonly failed: readonly ImportFailure[] } = { configs: [], failed: [] },
): ImportSummary {
  const { files, failed } = expandInputs(inputs);
  const taken = new Set(target.names());
  const imported: { name: string; from: string }[] = [];
  const add = (shown: string, text: string) => {
    const { config, diagnostics } = loadConfig(text);
    if (!config) {
      const error = diagnostics.find((d) => d.severity === 'error')!;
      failed.push({ file: shown, line: error.line, message: error.message });
      return;
    }
    const name = uniqueName(nameFromFileName(shown), taken);
    target.write(name, config);
    taken.add(name);
    imported.push({ name, from: shown });
  };
  for (const file of files) {
    const shown = file.fileName.slice(file.fileName.lastIndexOf('/') + 1);
    if (!/\.conf$/i.test(shown)) {
      failed.push({ file: shown, message: 'Only .conf files, .zip archives of them, and PNG or JPEG images of a QR code can be imported.' });
      continue;
    }
    if (file.bytes.length > MAX_CONF) {
      failed.push({ file: shown, message: 'The file is larger than 256 KiB; it is not a WireGuard config.' });
      continue;
    }
    add(shown, decodeText(file.bytes));
  }
  for (const c of read.configs) add(c.fileName, c.text);
  failed.push(...read.failed);
  const total = imported.length + failed.length;
  return { total, imported, failed, text: summaryText(imported.length, total, failed) };
}

export function importText(text: string, wantedName: string | null, target: ImportTarget): ImportSummary {
  const name = wantedName ?? 'pasted';
  return importFiles([{ fileName: `${name}.conf`, bytes: new TextEncoder().encode(text) }], target);
}

export function summaryText(imported: number, total: number, failed: readonly ImportFailure[]): string {
  const head = `Imported ${imported} of ${total}`;
  if (failed.length === 0) return head;
  return `${head} — ${failed.map(formatImportFailure).join('; ')}`;
}
