import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryDevice } from '../../../../tunnel-helper/src/engine/uapi/memory-device.js';
import { parseSet } from '../../../../tunnel-helper/src/engine/uapi/protocol-set.js';
import { keyToHex, publicKeyBytes } from '../../../../shared/config/keys.js';
import { hexKey, newKeyPair } from './uapi-test-kit.js';

const apply = (dev: MemoryDevice, text: string): void => dev.set(parseSet(text.split('\n')));
const peerKeys = (dev: MemoryDevice): string[] => dev.get().peers.map((p) => keyToHex(p.publicKey));
const ips = (dev: MemoryDevice, i: number): string[] => dev.get().peers[i]?.allowedIps ?? [];

describe('MemoryDevice follows wireguard-go semantics', () => {
  it('derives the public key as X25519 does', () => {
    const kp = newKeyPair();
    assert.deepEqual(publicKeyBytes(kp.privateKey), kp.publicKey);
  });

  it('moves a prefix to the peer that inserts it, to the end of its list', () => {
    const dev = new MemoryDevice();
    apply(dev, `public_key=${hexKey(1)}\nallowed_ip=10.0.0.0/8\nallowed_ip=fd00::/8\npublic_key=${hexKey(2)}\nallowed_ip=10.0.0.0/8`);
    assert.deepEqual([ips(dev, 0), ips(dev, 1)], [['fd00::/8'], ['10.0.0.0/8']]);
    apply(dev, `public_key=${hexKey(2)}\nallowed_ip=1.0.0.0/8\nallowed_ip=10.0.0.0/8`);
    assert.deepEqual(ips(dev, 1), ['1.0.0.0/8', '10.0.0.0/8']);
  });

  it('removes only its own prefix on "-", and replace_allowed_ips clears the rest', () => {
    const dev = new MemoryDevice();
    apply(dev, `public_key=${hexKey(1)}\nallowed_ip=10.0.0.0/8\npublic_key=${hexKey(2)}\nallowed_ip=-10.0.0.0/8\nallowed_ip=2.0.0.0/8`);
    assert.deepEqual([ips(dev, 0), ips(dev, 1)], [['10.0.0.0/8'], ['2.0.0.0/8']]);
    apply(dev, `public_key=${hexKey(1)}\nallowed_ip=-10.0.0.0/8\npublic_key=${hexKey(2)}\nreplace_allowed_ips=true\nallowed_ip=3.0.0.0/8`);
    assert.deepEqual([ips(dev, 0), ips(dev, 1)], [[], ['3.0.0.0/8']]);
  });

  it('ignores update_only for unknown peers and honours remove and replace_peers', () => {
    const dev = new MemoryDevice();
    apply(dev, `public_key=${hexKey(1)}\nupdate_only=true\nallowed_ip=1.0.0.0/8\npublic_key=${hexKey(2)}\npersistent_keepalive_interval=5`);
    assert.deepEqual(peerKeys(dev), [hexKey(2)]);
    apply(dev, `public_key=${hexKey(2)}\nupdate_only=true\npersistent_keepalive_interval=6`);
    assert.equal(dev.get().peers[0]?.persistentKeepaliveInterval, 6);
    apply(dev, `public_key=${hexKey(2)}\nremove=true\npublic_key=${hexKey(3)}`);
    assert.deepEqual(peerKeys(dev), [hexKey(3)]);
    apply(dev, `replace_peers=true\npublic_key=${hexKey(4)}`);
    assert.deepEqual(peerKeys(dev), [hexKey(4)]);
  });

  it('ignores a peer equal to its own key, and a new private key removes the matching peer', () => {
    const dev = new MemoryDevice();
    const kp = newKeyPair();
    const pubHex = keyToHex(kp.publicKey);
    apply(dev, `public_key=${pubHex}`);
    assert.deepEqual(peerKeys(dev), [pubHex]);
    apply(dev, `private_key=${keyToHex(kp.privateKey)}`);
    assert.deepEqual(peerKeys(dev), []);
    apply(dev, `public_key=${pubHex}`);
    assert.deepEqual(peerKeys(dev), []);
  });

  it('ignores an all-zero peer key while it has no private key, as wg-go does', () => {
    const dev = new MemoryDevice();
    apply(dev, `public_key=${'0'.repeat(64)}\npublic_key=${hexKey(1)}`);
    assert.deepEqual(peerKeys(dev), [hexKey(1)]);
  });

  it('stores zero keys as none and formats endpoints without zones', () => {
    const dev = new MemoryDevice();
    apply(dev, `private_key=${hexKey(5)}\npublic_key=${hexKey(1)}\npreshared_key=${hexKey(9)}\nendpoint=[fe80::1%2]:7`);
    apply(dev, `private_key=${'0'.repeat(64)}\npublic_key=${hexKey(1)}\npreshared_key=${'0'.repeat(64)}`);
    const s = dev.get();
    assert.equal(s.privateKey, null);
    assert.equal(s.peers[0]?.presharedKey, null);
    assert.equal(s.peers[0]?.endpoint, '[fe80::1]:7');
  });
});
