// The spare's warm-up handshake really runs two cores' handshake to the end:
// the responder receives the initiator's packet, and a broken primitive shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeCrypto } from '../../../tunnel-helper/src/engine/crypto-node.js';
import { warmUpHandshake } from '../../../tunnel-helper/src/engine/handshake-warm-up.js';

test('the warm-up handshake completes with the engine\'s crypto', () => {
  assert.equal(warmUpHandshake(nodeCrypto), true);
});

test('a primitive that answers wrongly makes the warm-up fail', () => {
  assert.equal(warmUpHandshake({ ...nodeCrypto, open: () => null }), false);
  assert.equal(warmUpHandshake({ ...nodeCrypto, hmac: (key, ...parts) => nodeCrypto.hmac(nodeCrypto.randomBytes(32), ...parts) }), false);
});
