// What 'koffi' resolves to in the Node bundles (the engine's and the CLI's,
// build/build-app.mjs): koffi's prebuilt native module, opened at once with
// process.dlopen from the app root's node_modules/@koromix/koffi-<os>-<arch>/.
// koffi's own loader reaches the same file by resolving two packages and
// reading the runtime's ELF header: about 8 ms of every CLI and engine start,
// against 3 ms for the dlopen itself. Where that file does not open, or is
// another version than the koffi package (musl, another layout), koffi's
// loader runs as before.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

declare const KOFFI_VERSION: string | undefined; // the koffi package's, set by the bundler

type Koffi = typeof import('koffi');

function direct(): Koffi | null {
  if (typeof KOFFI_VERSION !== 'string') return null;
  const { platform, arch } = process;
  // This file runs from <app root>/dist/tunnel-helper/src/bundle/.
  const file = fileURLToPath(new URL(`../../../../node_modules/@koromix/koffi-${platform}-${arch}/${platform}_${arch}/koffi.node`, import.meta.url));
  const module = { exports: {} as { version?: unknown } };
  try {
    process.dlopen(module, file);
  } catch {
    return null;
  }
  return module.exports.version === KOFFI_VERSION ? (module.exports as unknown as Koffi) : null;
}

const koffi: Koffi = direct() ?? (createRequire(import.meta.url)('koffi') as Koffi);
export default koffi;
