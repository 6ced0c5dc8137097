// What '@noble/curves/ed25519.js' resolves to in the Node bundles (the
// engine's and the CLI's, build/build-app.mjs): the members of noble's x25519
// that code reaching those bundles uses, answered by OpenSSL. Loading noble's
// module builds its Edwards curve at start-up; this costs nothing until called.
// test/unit/build/x25519-native.test.ts checks the answers against noble's and
// that nothing in shared/ or tunnel-helper/ uses a member missing here.
import type { x25519 as nobleX25519 } from '@noble/curves/ed25519.js';
import { x25519PublicKey } from '../engine/x25519-node.js';

export const x25519: Pick<typeof nobleX25519, 'getPublicKey'> = {
  getPublicKey: (secretKey) => new Uint8Array(x25519PublicKey(secretKey)),
};
