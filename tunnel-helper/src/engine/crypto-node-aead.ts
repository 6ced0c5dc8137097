// Transport cipher over node:crypto, the fallback when no native backend
// loads (crypto-transport.ts). OpenSSL writes its output into a fresh buffer,
// which is copied back over the input so callers see in-place semantics.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { TransportCipher } from './core/crypto.js';
import { AEAD_TAG_SIZE } from './core/constants.js';

const EMPTY = new Uint8Array(0);
const TWO32 = 0x1_0000_0000;

/** nonce = 4 zero bytes || counter (u64 little-endian), written into a reused buffer. */
const nonceBuf = Buffer.alloc(12);
function nonceFor(counter: bigint | number): Buffer {
  if (typeof counter === 'number') {
    nonceBuf.writeUInt32LE(counter % TWO32, 4);
    nonceBuf.writeUInt32LE(Math.floor(counter / TWO32), 8);
  } else {
    nonceBuf.writeBigUInt64LE(counter, 4);
  }
  return nonceBuf;
}

export const nodeAeadCipher: TransportCipher = {
  sealInPlace(key, counter, buf, off, len) {
    const c = createCipheriv('chacha20-poly1305', key, nonceFor(counter), { authTagLength: AEAD_TAG_SIZE });
    c.setAAD(EMPTY, { plaintextLength: len });
    const out = c.update(buf.subarray(off, off + len));
    buf.set(out, off);
    c.final();
    buf.set(c.getAuthTag(), off + len);
  },
  openInPlace(key, counter, buf, off, len) {
    if (len < AEAD_TAG_SIZE) return -1;
    const plen = len - AEAD_TAG_SIZE;
    const d = createDecipheriv('chacha20-poly1305', key, nonceFor(counter), { authTagLength: AEAD_TAG_SIZE });
    d.setAAD(EMPTY, { plaintextLength: plen });
    d.setAuthTag(buf.subarray(off + plen, off + len));
    try {
      const out = d.update(buf.subarray(off, off + plen));
      d.final();
      buf.set(out, off);
      return plen;
    } catch {
      return -1;
    }
  },
};
