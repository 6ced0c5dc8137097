// `npm start` refuses, with a sentence, a Node.js older than package.json's
// engines (Electron's installer needs it), and lets a new enough one through.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/cli.js';

it('checks the running Node.js against package.json engines', () => {
  const wanted = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const [wMajor, wMinor] = /(\d+)\.(\d+)/.exec(wanted)!.slice(1).map(Number) as [number, number];
  const tooOld = major < wMajor || (major === wMajor && minor < wMinor);
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts/check-node.mjs')], { encoding: 'utf8' });
  assert.equal(r.status, tooOld ? 1 : 0);
  if (tooOld) assert.match(r.stderr, new RegExp(`needs Node\\.js ${wMajor}\\.${wMinor} or newer .* this is Node\\.js ${process.versions.node}\\.`));
});
