#!/usr/bin/env node
// `npm start` runs this first: running the app from source downloads Electron
// on first start with Electron's own installer, which needs the Node.js that
// package.json's "engines" names. Say so plainly instead of failing inside it.
import { readFileSync } from 'node:fs';

const wanted = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).engines.node;
const [major, minor] = process.versions.node.split('.').map(Number);
const [wMajor, wMinor] = /(\d+)\.(\d+)/.exec(wanted).slice(1).map(Number);
if (major < wMajor || (major === wMajor && minor < wMinor)) {
  console.error(`WireDesk needs Node.js ${wanted.replace('>=', '')} or newer to run from source (Electron downloads itself with it on the first start); this is Node.js ${process.versions.node}.`);
  process.exit(1);
}
