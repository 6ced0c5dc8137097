import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactLine } from '../../../shared/redact.js';

// The helper's cases are in test/unit/control/engine-log.test.ts; these are
// the forms main's log lines used to be checked for, now by the same function.
describe('one redaction for the helper and the app', () => {
  it('hides keys written with a colon, in any case, and inside longer names', () => {
    assert.equal(redactLine('PrivateKey: abc'), 'PrivateKey: (hidden)');
    assert.equal(redactLine('presharedKEY : abc def'), 'presharedKEY : (hidden) def');
    assert.equal(redactLine('wgPrivateKey=abc'), 'wgPrivateKey=(hidden)');
  });
  it('hides UAPI keys in either case of hex and key name', () => {
    assert.equal(redactLine(`set private_key=${'AB'.repeat(32)}`), 'set private_key=(hidden)');
    assert.equal(redactLine(`PRESHARED_KEY=${'0f'.repeat(32)}`), 'PRESHARED_KEY=(hidden)');
  });
  it('leaves public keys and other text alone', () => {
    assert.equal(redactLine(`public_key=${'ab'.repeat(32)}`), `public_key=${'ab'.repeat(32)}`);
    assert.equal(redactLine('Endpoint = 192.0.2.1:51820'), 'Endpoint = 192.0.2.1:51820');
  });
});
