// In the Node bundles, '@noble/curves/ed25519.js' is tunnel-helper/src/bundle/
// x25519-native.ts (build/build-app.mjs). It must answer as noble does, and
// offer every member of noble's x25519 that code reaching those bundles uses;
// the built CLI bundle must not contain noble's curve at all.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { x25519 as noble } from '@noble/curves/ed25519.js';
import { x25519 as native } from '../../../tunnel-helper/src/bundle/x25519-native.js';
import { repoRoot } from '../../support/cli.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

it('gives the public key noble gives, for the RFC 7748 vector and random keys', () => {
  // RFC 7748, section 6.1: Alice's private key and public key.
  const alice = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex');
  assert.equal(hex(native.getPublicKey(alice)), '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
  for (let i = 0; i < 50; i++) {
    const key = crypto.getRandomValues(new Uint8Array(32));
    assert.equal(hex(native.getPublicKey(key)), hex(noble.getPublicKey(key)));
  }
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

it('offers every member of x25519 that shared/ and tunnel-helper/ use', () => {
  const used = new Set<string>();
  for (const file of [...sources(join(repoRoot, 'shared')), ...sources(join(repoRoot, 'tunnel-helper/src'))]) {
    const text = readFileSync(file, 'utf8');
    if (!/from '@noble\/curves\/ed25519\.js'/.test(text)) continue;
    for (const m of text.matchAll(/\bx25519\.(\w+)/g)) used.add(m[1]!);
  }
  assert.ok(used.has('getPublicKey'), 'the scan finds the uses');
  for (const member of used) assert.equal(typeof (native as Record<string, unknown>)[member], 'function', `x25519.${member}`);
});

it('leaves noble\'s curve out of the built CLI bundle', () => {
  const bundle = readFileSync(join(repoRoot, 'dist/tunnel-helper/src/bundle/wiredesk-main.cjs'), 'utf8');
  assert.match(bundle, /x25519-native\.ts/, 'the bundle holds the native module');
  assert.doesNotMatch(bundle, /twistedEdwards|ed25519_CURVE/, 'and none of noble\'s Edwards curve');
});
