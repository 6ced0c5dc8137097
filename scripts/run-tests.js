#!/usr/bin/env node
// Runs the test tiers over the compiled tests in dist/test/<tier>/ and prints
// one closing line, "tests: N passed, N failed, N skipped", over all tiers.
// Unit tests run in parallel; tiers that touch namespaces, TUN devices or the
// helper run one file at a time because they share kernel state.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, readFileSync, mkdtempSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const tiers = [
  { name: 'unit', root: false, concurrency: 2 },
  { name: 'interop', root: true, concurrency: 1 },
  { name: 'helper', root: true, concurrency: 1 },
  { name: 'e2e', root: true, concurrency: 1 },
  { name: 'desktop', root: true, concurrency: 1 },
];
const wanted = process.argv.slice(2);
const isRoot = process.getuid?.() === 0;

function findTests(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const totals = { pass: 0, fail: 0, skipped: 0 };
const tmp = mkdtempSync(join(tmpdir(), 'wiredesk-tests-'));
for (const tier of tiers) {
  if (wanted.length && !wanted.includes(tier.name)) continue;
  const files = findTests(join('dist', 'test', tier.name));
  if (files.length === 0) continue;
  if (tier.root && !isRoot) {
    console.log(`\n== ${tier.name}: SKIPPED (${files.length} files): this tier needs root for network namespaces and TUN devices. Run: sudo npm test`);
    totals.skipped += files.length;
    continue;
  }
  console.log(`\n== ${tier.name} (${files.length} files)`);
  const tap = join(tmp, `${tier.name}.tap`);
  const r = spawnSync(process.execPath, [
    '--test', `--test-concurrency=${tier.concurrency}`,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], { stdio: 'inherit' });
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const count = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)$`, 'm')) ?? [])[1] ?? 0);
  totals.pass += count('pass');
  totals.fail += count('fail') + count('cancelled');
  totals.skipped += count('skipped');
  if (r.status !== 0 && count('fail') + count('cancelled') === 0) totals.fail += 1; // crashed runner
}
console.log(`\ntests: ${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
process.exit(totals.fail > 0 ? 1 : 0);
