// Transport cipher over the system's OpenSSL 3 (libcrypto.so.3) through koffi.
//
// createCipheriv pays for a new EVP_CIPHER_CTX, its key setup and two JS
// objects per packet. Here each key gets one EVP_CIPHER_CTX, set up once; a
// packet only re-initialises the nonce, then runs update, final and the tag
// control on the slot in place: four FFI calls with plain-number addresses,
// no allocation (crypto-transport.ts has the figures: 2.2 µs per 1420-byte
// packet against 11-12 µs for createCipheriv).
//
// The native context holds the key schedule, so it lives as long as the key
// array: Keypair.zero() replaces its keys with fresh zero arrays, and the
// FinalizationRegistry frees (and OpenSSL cleanses) the context of the old one.
import koffi from 'koffi';
import type { TransportCipher } from './core/crypto.js';
import { AEAD_TAG_SIZE } from './core/constants.js';

const EVP_CTRL_AEAD_SET_TAG = 0x11;
const EVP_CTRL_AEAD_GET_TAG = 0x10;
const TWO32 = 0x1_0000_0000;

type Fn = (...args: number[]) => number;

interface Lib {
  ctxNew: () => number;
  ctxFree: (ctx: number) => void;
  init: Fn;
  initKey: (ctx: number, cipher: number, engine: number, key: Uint8Array, iv: number, enc: number) => number;
  update: Fn;
  final: Fn;
  ctrl: Fn;
  cipher: number;
}

/**
 * Where the EVP calls come from: the runtime's own OpenSSL, which Node
 * exports for its addons and which costs nothing to open, or the system's
 * libcrypto (3, or 1.1 with the same calls on older distributions), which
 * costs about 6 ms to load and initialise, a moment before a first packet.
 * Electron's runtime has BoringSSL, without EVP_chacha20_poly1305: it gets the system's.
 */
export type LibcryptoSource = 'runtime' | 'system';

function openLibcrypto(from: LibcryptoSource): ReturnType<typeof koffi.load> {
  if (from === 'runtime') return koffi.load(null);
  try {
    return koffi.load('libcrypto.so.3');
  } catch {
    return koffi.load('libcrypto.so.1.1');
  }
}

function load(from: LibcryptoSource): Lib {
  const lib = openLibcrypto(from);
  const cipher = (lib.func('intptr_t EVP_chacha20_poly1305(void)') as () => number)();
  if (!cipher) throw new Error('libcrypto has no ChaCha20-Poly1305');
  return {
    ctxNew: lib.func('intptr_t EVP_CIPHER_CTX_new(void)') as () => number,
    ctxFree: lib.func('void EVP_CIPHER_CTX_free(intptr_t ctx)') as (ctx: number) => void,
    init: lib.func('int EVP_CipherInit_ex(intptr_t ctx, intptr_t cipher, intptr_t engine, intptr_t key, intptr_t iv, int enc)') as Fn,
    initKey: lib.func('EVP_CipherInit_ex', 'int', ['intptr_t', 'intptr_t', 'intptr_t', 'const uint8_t *', 'intptr_t', 'int']) as Lib['initKey'],
    update: lib.func('int EVP_CipherUpdate(intptr_t ctx, intptr_t out, intptr_t outl, intptr_t in, int inl)') as Fn,
    final: lib.func('int EVP_CipherFinal_ex(intptr_t ctx, intptr_t out, intptr_t outl)') as Fn,
    ctrl: lib.func('int EVP_CIPHER_CTX_ctrl(intptr_t ctx, int type, int arg, intptr_t ptr)') as Fn,
    cipher,
  };
}

/** The runtime's OpenSSL if it has every call, else the system's. */
function loadFirst(): Lib {
  try {
    return load('runtime');
  } catch {
    return load('system');
  }
}

/** Native address of a view's memory. ArrayBuffer backing stores never move, so
 *  the address of each buffer is looked up once. */
const bufferAddresses = new WeakMap<ArrayBufferLike, number>();
function addressOf(view: Uint8Array): number {
  const ab = view.buffer;
  let base = bufferAddresses.get(ab);
  if (base === undefined) {
    base = Number(koffi.address(new Uint8Array(ab, 0, 1)));
    bufferAddresses.set(ab, base);
  }
  return base + view.byteOffset;
}

/** Builds the OpenSSL transport cipher, from `from` or the first source that works; throws when none can be used. */
export function openSslTransportCipher(from?: LibcryptoSource): TransportCipher {
  const lib = from ? load(from) : loadFirst();
  // nonce = 4 zero bytes || counter (u64 LE), and the outl scratch int, in stable memory.
  const scratch = new ArrayBuffer(32);
  const nonce = new Uint32Array(scratch, 0, 4);
  const scratchAddr = Number(koffi.address(new Uint8Array(scratch)));
  const nonceAddr = scratchAddr;
  const outl = scratchAddr + 16;
  const freeCtx = new FinalizationRegistry<number>((ctx) => lib.ctxFree(ctx));
  const sealCtx = new WeakMap<Uint8Array, number>();
  const openCtx = new WeakMap<Uint8Array, number>();

  function ctxFor(key: Uint8Array, enc: 0 | 1): number {
    const cache = enc ? sealCtx : openCtx;
    let ctx = cache.get(key);
    if (ctx !== undefined) return ctx;
    ctx = lib.ctxNew();
    if (!ctx || lib.initKey(ctx, lib.cipher, 0, key, 0, enc) !== 1) throw new Error('OpenSSL could not set up a ChaCha20-Poly1305 key');
    cache.set(key, ctx);
    freeCtx.register(key, ctx);
    return ctx;
  }

  function setNonce(counter: bigint | number): void {
    if (typeof counter === 'number') {
      nonce[1] = counter % TWO32;
      nonce[2] = Math.floor(counter / TWO32);
    } else {
      nonce[1] = Number(counter & 0xffffffffn);
      nonce[2] = Number((counter >> 32n) & 0xffffffffn);
    }
  }

  return {
    sealInPlace(key, counter, buf, off, len) {
      // Native code writes where it is told: check the bounds node:crypto would have.
      if (off < 0 || len < 0 || off + len + AEAD_TAG_SIZE > buf.length) throw new RangeError('transport packet out of bounds');
      const ctx = ctxFor(key, 1);
      setNonce(counter);
      const p = addressOf(buf) + off;
      if (lib.init(ctx, 0, 0, 0, nonceAddr, 1) !== 1
        || (len > 0 && lib.update(ctx, p, outl, p, len) !== 1)
        || lib.final(ctx, p + len, outl) !== 1
        || lib.ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, AEAD_TAG_SIZE, p + len) !== 1) {
        throw new Error('OpenSSL failed to encrypt a transport packet');
      }
    },
    openInPlace(key, counter, buf, off, len) {
      if (len < AEAD_TAG_SIZE || off < 0 || off + len > buf.length) return -1;
      const plen = len - AEAD_TAG_SIZE;
      const ctx = ctxFor(key, 0);
      setNonce(counter);
      const p = addressOf(buf) + off;
      if (lib.init(ctx, 0, 0, 0, nonceAddr, 0) === 1
        && lib.ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, AEAD_TAG_SIZE, p + plen) === 1
        && (plen === 0 || lib.update(ctx, p, outl, p, plen) === 1)
        && lib.final(ctx, p + plen, outl) === 1) return plen;
      // OpenSSL decrypts before it checks the tag. Unauthenticated plaintext
      // must not stay behind: XOR the same keystream again to restore the
      // ciphertext (only forged or corrupt packets pay for this).
      if (plen > 0 && (lib.init(ctx, 0, 0, 0, nonceAddr, 0) !== 1 || lib.update(ctx, p, outl, p, plen) !== 1)) {
        buf.fill(0, off, off + plen);
      }
      return -1;
    },
  };
}
