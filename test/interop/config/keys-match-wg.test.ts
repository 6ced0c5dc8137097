// Keys made by WireDesk and by the real wg(8) are interchangeable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../../support/netns.js';
import { wiredesk } from '../../support/cli.js';

test('wiredesk pubkey agrees with wg pubkey on keys from both tools', () => {
  for (let i = 0; i < 20; i++) {
    const sk = (i % 2 === 0 ? run('wg', ['genkey']) : wiredesk(['genkey']).stdout);
    const theirs = run('wg', ['pubkey'], { input: sk });
    const ours = wiredesk(['pubkey'], sk);
    assert.equal(ours.status, 0, ours.stderr);
    assert.equal(ours.stdout, theirs);
  }
});

test('wiredesk pubkey clamps unclamped input exactly as wg does', () => {
  for (const fill of [0x00, 0xff, 0x2f, 0x80]) {
    const sk = `${Buffer.alloc(32, fill).toString('base64')}\n`;
    assert.equal(wiredesk(['pubkey'], sk).stdout, run('wg', ['pubkey'], { input: sk }));
  }
});

test('wg accepts keys from wiredesk genkey and genpsk', () => {
  const sk = wiredesk(['genkey']).stdout;
  const psk = wiredesk(['genpsk']).stdout;
  assert.match(run('wg', ['pubkey'], { input: sk }), /^[A-Za-z0-9+/]{43}=\n$/);
  // wg pubkey validates the base64 form of any 32-byte key, including a PSK.
  assert.match(run('wg', ['pubkey'], { input: psk }), /^[A-Za-z0-9+/]{43}=\n$/);
});
