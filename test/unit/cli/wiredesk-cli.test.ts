import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wiredesk } from '../../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wiredesk-cli-'));
function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

// RFC 7748 §6.1: Alice's private key and public key, in base64.
const ALICE_SK = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex').toString('base64');
const ALICE_PK = Buffer.from('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a', 'hex').toString('base64');
const BOB_PK = Buffer.from('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f', 'hex').toString('base64');

const VALID = `[Interface]
PrivateKey = ${ALICE_SK}
Address = 10.0.0.2/32

[Peer]
PublicKey = ${BOB_PK}
AllowedIPs = 10.0.0.0/24
Endpoint = 192.0.2.1:51820
`;

test('check exits 0 and prints nothing for a valid config', () => {
  const r = wiredesk(['check', file('ok.conf', VALID)]);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, '');
  assert.equal(r.status, 0);
});

test('check prints FILE:LINE: error: and exits 1 for an invalid config', () => {
  const p = file('bad.conf', VALID.replace(`PublicKey = ${BOB_PK}`, 'PublicKey = not-a-key'));
  const r = wiredesk(['check', p]);
  assert.equal(r.status, 1);
  assert.match(r.stdout, new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6: error: .+`, 'm'));
});

test('check reports every file and exits 1 when one of several is invalid', () => {
  const good = file('a.conf', VALID);
  const bad = file('b.conf', VALID + 'Bogus = 1\n');
  const r = wiredesk(['check', good, bad]);
  assert.equal(r.status, 1);
  assert.ok(r.stdout.includes(`${bad}:9: error:`), r.stdout);
  assert.ok(!r.stdout.includes(`${good}:`), r.stdout);
});

test('check gives a one-line message and exit 2 for a directory, a missing file and binary garbage', () => {
  const sub = join(dir, 'adir.conf');
  mkdirSync(sub, { recursive: true });
  const garbage = file('garbage.conf', Buffer.from([0x5b, 0x00, 0xff, 0xfe, 0x01, 0x02, 0x80]));
  const latin1 = file('latin1.conf', Buffer.from([0x5b, 0x50, 0x65, 0x65, 0x72, 0x5d, 0x0a, 0xe9, 0x0a]));
  for (const p of [sub, join(dir, 'missing.conf'), garbage, latin1]) {
    const r = wiredesk(['check', p]);
    assert.equal(r.status, 2, `${p}: ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.ok(r.stderr.startsWith(`${p}: `), r.stderr);
    assert.doesNotMatch(r.stderr, /\s+at .+:\d+:\d+/); // no stack trace
  }
});

test('check refuses an unreadable file with exit 2 when not root', { skip: process.getuid?.() === 0 && 'root can read any file' }, () => {
  const p = file('secret.conf', VALID);
  chmodSync(p, 0o000);
  const r = wiredesk(['check', p]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /permission denied/);
});

test('strip prints the setconf form without wg-quick keys', () => {
  const r = wiredesk(['strip', file('s.conf', VALID)]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /PrivateKey = /);
  assert.doesNotMatch(r.stdout, /Address/);
});

test('strip refuses an invalid config with its error line', () => {
  const r = wiredesk(['strip', file('s2.conf', VALID.replace('192.0.2.1:51820', '192.0.2.1'))]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /s2\.conf:8: error: /);
});

test('pubkey derives the RFC 7748 public key from stdin', () => {
  const r = wiredesk(['pubkey'], `${ALICE_SK}\n`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `${ALICE_PK}\n`);
});

test('pubkey rejects input that is not a key, like wg', () => {
  for (const input of ['', 'hello\n', `${ALICE_SK.slice(1)}\n`, `${ALICE_SK}x\n`]) {
    const r = wiredesk(['pubkey'], input);
    assert.equal(r.status, 1, JSON.stringify(input));
    assert.equal(r.stderr, 'wiredesk: Key is not the correct length or format\n');
    assert.equal(r.stdout, '');
  }
});

test('genkey prints a fresh clamped key each time, genpsk a fresh 32-byte key', () => {
  const a = wiredesk(['genkey']).stdout;
  const b = wiredesk(['genkey']).stdout;
  assert.match(a, /^[A-Za-z0-9+/]{43}=\n$/);
  assert.notEqual(a, b);
  const sk = Buffer.from(a.trim(), 'base64');
  assert.equal(sk[0]! & 7, 0);
  assert.equal(sk[31]! & 0xc0, 0x40);
  const psk = wiredesk(['genpsk']).stdout;
  assert.match(psk, /^[A-Za-z0-9+/]{43}=\n$/);
  assert.equal(Buffer.from(psk.trim(), 'base64').length, 32);
});

test('an unknown command prints usage and exits 2', () => {
  const r = wiredesk(['frobnicate']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
  assert.match(r.stderr, /Usage: wiredesk/);
});
