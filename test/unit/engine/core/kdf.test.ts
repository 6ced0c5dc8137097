import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kdf1, kdf2, kdf3 } from '../../../../tunnel-helper/src/engine/core/kdf.js';
import { initialWireGuardState } from '../../../../tunnel-helper/src/engine/core/noise-handshake.js';
import { nodeCrypto } from '../../../../tunnel-helper/src/engine/crypto-node.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

// wireguard-go device/kdf_test.go
const vectors = [
  {
    key: '746573742d6b6579', input: '746573742d696e707574',
    t0: '6f0e5ad38daba1bea8a0d213688736f19763239305e0f58aba697f9ffc41c633',
    t1: 'df1194df20802a4fe594cde27e92991c8cae66c366e8106aaa937a55fa371e8a',
    t2: 'fac6e2745a325f5dc5d11a5b165aad08b0ada28e7b4e666b7c077934a4d76c24',
  },
  {
    key: '776972656775617264', input: '776972656775617264',
    t0: '491d43bbfdaa8750aaf535e334ecbfe5129967cd64635101c566d4caefda96e8',
    t1: '1e71a379baefd8a79aa4662212fcafe19a23e2b609a3db7d6bcba8f560e3d25f',
    t2: '31e1ae48bddfbe5de38f295e5452b1909a1b4e38e183926af3780b0c1e1f0160',
  },
  {
    key: '', input: '',
    t0: '8387b46bf43eccfcf349552a095d8315c4055beb90208fb1be23b894bc2ed5d0',
    t1: '58a0e5f6faefccf4807bff1f05fa8a9217945762040bcec2f4b4a62bdfe0e86e',
    t2: '0ce6ea98ec548f8e281e93e32db65621c45eb18dc6f0a7ad94178610a2f7338e',
  },
];

for (const [i, v] of vectors.entries()) {
  test(`KDF1/KDF2/KDF3 reproduce wireguard-go kdf_test vector ${i + 1}`, () => {
    const key = bytes(v.key);
    const input = bytes(v.input);
    const [a0, a1, a2] = kdf3(nodeCrypto, key, input);
    assert.deepEqual([hex(a0), hex(a1), hex(a2)], [v.t0, v.t1, v.t2]);
    const [b0, b1] = kdf2(nodeCrypto, key, input);
    assert.deepEqual([hex(b0), hex(b1)], [v.t0, v.t1]);
    assert.equal(hex(kdf1(nodeCrypto, key, input)), v.t0);
  });
}

test('the initial chaining key Ci and hash Hi match the WireGuard constants', () => {
  const s = initialWireGuardState(nodeCrypto);
  // boringtun's INITIAL_CHAIN_KEY / INITIAL_CHAIN_HASH (facts §1.1 prefixes and suffixes)
  assert.equal(hex(s.chainKey), '60e26daef327efc02ec335e2a025d2d016eb4206f87277f52d38d1988b78cd36');
  assert.equal(hex(s.hash), '2211b361081ac566691243db458ad5322d9c6c662293e8b70ee19c65ba079ef3');
});

test('the initial state is a fresh copy each time, so handshakes cannot corrupt it', () => {
  const s = initialWireGuardState(nodeCrypto);
  s.chainKey.fill(0);
  s.hash.fill(0);
  assert.equal(hex(initialWireGuardState(nodeCrypto).chainKey).slice(0, 8), '60e26dae');
  assert.equal(hex(initialWireGuardState(nodeCrypto).hash).slice(0, 8), '2211b361');
});
