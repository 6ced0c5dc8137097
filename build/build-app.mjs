#!/usr/bin/env node
// Bundles what tsc does not: the renderer (React, esbuild -> renderer/dist)
// and the sandboxed preload (one CommonJS file; sandboxed preloads cannot
// import local modules), and the engine entry (one file, so each engine
// process parses one module instead of loading dozens: a faster connect).
// `npm run build` runs tsc first, then this.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * In the Node bundles, noble's X25519 is OpenSSL's (tunnel-helper/src/bundle/
 * x25519-native.ts): importing noble's curve module builds its Edwards tables,
 * about 15 ms of every CLI start, for the one public key a config check needs.
 */
const nativeX25519 = {
  name: 'native-x25519',
  setup(b) {
    b.onResolve({ filter: /^@noble\/curves\/ed25519\.js$/ }, () => ({ path: join(root, 'tunnel-helper/src/bundle/x25519-native.ts') }));
  },
};
/**
 * In the Node bundles, 'koffi' opens koffi's native module directly
 * (tunnel-helper/src/bundle/koffi-direct.ts): koffi's loader costs about 8 ms
 * of every CLI and engine start. That module's own import of 'koffi' is the
 * real package, its fallback.
 */
const directKoffi = {
  name: 'direct-koffi',
  setup(b) {
    const direct = join(root, 'tunnel-helper/src/bundle/koffi-direct.ts');
    b.onResolve({ filter: /^koffi$/ }, (args) => (args.importer === direct ? { path: 'koffi', external: true } : { path: direct }));
  },
};
const koffiVersion = JSON.parse(readFileSync(join(root, 'node_modules/koffi/package.json'), 'utf8')).version;
const out = join(root, 'renderer/dist');
mkdirSync(out, { recursive: true });

await Promise.all([
  build({
    entryPoints: [join(root, 'renderer/main.tsx')],
    bundle: true,
    outfile: join(out, 'app.js'),
    format: 'iife',
    platform: 'browser',
    target: ['chrome120'],
    jsx: 'automatic',
    minify: process.env.NODE_ENV === 'production',
    sourcemap: true,
    define: { 'process.env.NODE_ENV': JSON.stringify(process.env.NODE_ENV ?? 'production') },
    logLevel: 'warning',
  }),
  build({
    entryPoints: [join(root, 'electron/preload.ts')],
    bundle: true,
    outfile: join(root, 'dist/electron/preload.cjs'),
    format: 'cjs',
    platform: 'node',
    target: ['node20'],
    external: ['electron'],
    logLevel: 'warning',
  }),
  // tunnel-helper/bin/wiredesk-tunnel and bin/wiredesk run these. They sit
  // four levels below the app root, as the modules they replace do, so
  // install/layout.ts's ownAppRoot() still finds it; dist/tunnel-helper is in
  // the installed helper tree (HELPER_TREE) and in the packaged files.
  // CommonJS, because Node starts a CommonJS entry about 15 ms sooner than an
  // ES module one, and every `wiredesk up` and engine pays that start-up.
  ...['engine/wiredesk-tunnel', 'cli/wiredesk-main'].map((entry) => build({
    entryPoints: [join(root, `tunnel-helper/src/${entry}.ts`)],
    bundle: true,
    outfile: join(root, `dist/tunnel-helper/src/bundle/${entry.split('/')[1]}.cjs`),
    format: 'cjs',
    platform: 'node',
    target: ['node20'],
    external: ['koffi'],
    define: { 'import.meta.url': '__moduleUrl', KOFFI_VERSION: JSON.stringify(koffiVersion) },
    banner: { js: 'const __moduleUrl = require("node:url").pathToFileURL(__filename).href;' },
    plugins: [nativeX25519, directKoffi],
    sourcemap: true,
    logLevel: 'warning',
  })),
  build({
    // The e2e bridge's stand-in for the preload: the same window.ipc over HTTP.
    entryPoints: [join(root, 'test/e2e/bridge/bridge-preload.ts')],
    bundle: true,
    outfile: join(root, 'dist/test/e2e/bridge/bridge-preload.js'),
    format: 'iife',
    platform: 'browser',
    target: ['chrome120'],
    logLevel: 'warning',
  }),
]);
copyFileSync(join(root, 'renderer/index.html'), join(out, 'index.html'));
if (existsSync(join(root, 'assets/icon.png'))) copyFileSync(join(root, 'assets/icon.png'), join(out, 'icon.png'));
