// Chooses the data-path cipher on first use: OpenSSL's ChaCha20-Poly1305 with a
// context per key (crypto-openssl.ts: the runtime's OpenSSL, else the
// system's libcrypto) when one can be used, node:crypto otherwise. WIREDESK_CIPHER=node forces the fallback (A/B benchmarks, or to
// rule the native path out).
//
// Benchmark notes (2-core AMD EPYC VM shared with other jobs, load 3-5, Node 20.20;
// test/bench/micro-aead.ts, best of 5 × 50 000, µs per packet):
//
//   backend                     seal 1420  open 1420  seal 64  open 64
//   node:crypto createCipheriv    12.2       11.0       8.9      8.0
//   OpenSSL 3 via koffi, ctx/key   2.19       2.18      0.86     1.27
//   sodium-native 5.1 (N-API)      2.66       3.36      1.19     1.28
//
// `npm run bench` with BENCH_VARIANTS, same run, best of 2 × 8 s (Mbit/s, our
// side's CPU in % of one core; wireguard-go ↔ wireguard-go: 349-382 →, 234-299 ←,
// CPU 60-72 % →):
//
//   node      292 →  606 ←   CPU 49-60 % →
//   openssl   529 →  705 ←   CPU 36-39 % →
//   sodium    465 →  559 ←   CPU 40-43 % →
//
// OpenSSL wins on both counts, and libcrypto.so.3 (or 1.1) is on every Linux
// this engine runs on, so sodium-native (18 MB of prebuilt addons, 17 packages)
// did not earn a place as a second choice. It is the candidate for an engine on
// macOS or Windows, where there is no system libcrypto.
import type { TransportCipher } from './core/crypto.js';
import { nodeAeadCipher } from './crypto-node-aead.js';
import { openSslTransportCipher } from './crypto-openssl.js';

export type CipherBackend = 'openssl' | 'node';

function choose(): { backend: CipherBackend; cipher: TransportCipher } {
  if (process.env.WIREDESK_CIPHER !== 'node') {
    try {
      return { backend: 'openssl', cipher: openSslTransportCipher() };
    } catch {
      // no usable libcrypto on this system: fall back to node:crypto
    }
  }
  return { backend: 'node', cipher: nodeAeadCipher };
}

let chosen: { backend: CipherBackend; cipher: TransportCipher } | null = null;
const current = () => (chosen ??= choose());

/** Which backend `transportCipher` uses. */
export function transportBackend(): CipherBackend {
  return current().backend;
}

/**
 * Chosen on first use, not at import: an engine then serves UAPI before a
 * system libcrypto is loaded (about 6 ms of a connect, when the runtime's
 * OpenSSL cannot serve) and loads it right after (loadTransportCipher),
 * before its first packet.
 */
export const transportCipher: TransportCipher = {
  sealInPlace: (key, counter, buf, off, len) => current().cipher.sealInPlace(key, counter, buf, off, len),
  openInPlace: (key, counter, buf, off, len) => current().cipher.openInPlace(key, counter, buf, off, len),
};

export function loadTransportCipher(): void {
  current();
}
