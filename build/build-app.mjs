#!/usr/bin/env node
// Bundles what tsc does not: the renderer (React, esbuild -> renderer/dist)
// and the sandboxed preload (one CommonJS file; sandboxed preloads cannot
// import local modules), and the engine entry (one file, so each engine
// process parses one module instead of loading dozens: a faster connect).
// `npm run build` runs tsc first, then this.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
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
  ...['engine/wiredesk-tunnel', 'cli/wiredesk-main'].map((entry) => build({
    entryPoints: [join(root, `tunnel-helper/src/${entry}.ts`)],
    bundle: true,
    outfile: join(root, `dist/tunnel-helper/src/bundle/${entry.split('/')[1]}.js`),
    format: 'esm',
    platform: 'node',
    target: ['node20'],
    external: ['koffi'],
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
