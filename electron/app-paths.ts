// Every file the main process opens from the app itself, relative to the app
// root: the dev checkout, or resources/app in the package (no asar: root runs
// the helper from real files, copied from here, so the layouts are one).
// The desktop tier checks that each exists in both layouts.
import { join } from 'node:path';
import { HELPER_ENTRY, HELPER_TREE, SYSTEM_FILES } from '../tunnel-helper/src/install/layout.js';

export function appPaths(appRoot: string) {
  return {
    preload: join(appRoot, 'dist/electron/preload.cjs'),
    indexHtml: join(appRoot, 'renderer/dist/index.html'),
    assets: join(appRoot, 'assets'),
    icon: join(appRoot, 'assets/icon.png'),
    /** The QR reader's WebAssembly (transfer/qr-image.ts resolves it as a package file; never from a CDN). */
    qrReaderWasm: join(appRoot, 'node_modules/zxing-wasm/dist/reader/zxing_reader.wasm'),
    /** What the helper installer copies from the app. */
    helperEntry: join(appRoot, HELPER_ENTRY),
    helperTree: HELPER_TREE.map((p) => join(appRoot, p)),
    systemFiles: SYSTEM_FILES.map((f) => join(appRoot, f.from)),
  };
}
