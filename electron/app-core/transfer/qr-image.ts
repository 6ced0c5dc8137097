// Reads QR codes from PNG or JPEG bytes with ZXing-C++ compiled to
// WebAssembly (zxing-wasm). It runs in qr-worker.ts's thread, in app main's
// process and never in the root helper. The library would fetch its .wasm
// from a CDN by default; here it is read from the app's own node_modules
// (the same relative path in a checkout and in the package, app-paths.ts), so
// no picture or request ever leaves the machine.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

/** The reader's .wasm, resolved as Node resolves the package. */
export const qrReaderWasmPath = (): string => createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');

let prepared = false;
function prepare(): void {
  if (prepared) return;
  const wasm = readFileSync(qrReaderWasmPath());
  prepareZXingModule({
    overrides: {
      wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength),
      // Consulted for a URL even when wasmBinary is given; never a CDN's.
      locateFile: (file: string) => file,
    },
  });
  prepared = true;
}

export type QrRead =
  | { readonly ok: true; readonly codes: readonly Uint8Array[] }
  /** The decoder could not turn the bytes into pixels. */
  | { readonly ok: false };

/**
 * The byte content of every QR code in the picture, in reading order. The
 * reader tries the four right-angle rotations and inverted colours itself,
 * and finds a code at any angle from its finder patterns.
 */
export async function decodeQrCodes(image: Uint8Array): Promise<QrRead> {
  prepare();
  const results = await readBarcodes(image, { formats: ['QRCode'], tryHarder: true, tryRotate: true, tryInvert: true, maxNumberOfSymbols: 8 });
  if (results.length === 1 && !results[0]!.isValid && /load image/i.test(results[0]!.error)) return { ok: false };
  return { ok: true, codes: results.filter((r) => r.isValid && r.bytes).map((r) => r.bytes) };
}
