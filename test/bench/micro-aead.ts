// Transport cipher backends side by side: ns per packet for sealInPlace and
// openInPlace at 1420 B and 64 B, after checking that every backend produces
// the same bytes as node:crypto. Interleaved rounds, best of each, because
// this machine is shared.
//   npx tsc -p tsconfig.json && node dist/test/bench/micro-aead.js
import { randomBytes } from 'node:crypto';
import type { TransportCipher } from '../../tunnel-helper/src/engine/core/crypto.js';
import { nodeAeadCipher } from '../../tunnel-helper/src/engine/crypto-node-aead.js';
import { openSslTransportCipher } from '../../tunnel-helper/src/engine/crypto-openssl.js';

const backends: [string, TransportCipher][] = [['node:crypto', nodeAeadCipher]];
for (const [name, make] of [['openssl (koffi)', openSslTransportCipher]] as const) {
  try {
    backends.push([name, make()]);
  } catch (e) {
    console.log(`${name}: unavailable (${e instanceof Error ? e.message : String(e)})`);
  }
}

const key = randomBytes(32);
const slab = new ArrayBuffer(2048);
const buf = Buffer.from(slab);

function check(): void {
  const plain = randomBytes(1420);
  const ref = new Uint8Array(1452);
  ref.set(plain, 16);
  nodeAeadCipher.sealInPlace(key, 0x1_2345_6789, ref, 16, 1420);
  for (const [name, c] of backends) {
    buf.fill(0).set(plain, 16);
    c.sealInPlace(key, 0x1_2345_6789, buf, 16, 1420);
    if (!buf.subarray(0, 1452).equals(ref)) throw new Error(`${name} seals differently from node:crypto`);
    if (c.openInPlace(key, 0x1_2345_6789n, buf, 16, 1436) !== 1420 || !buf.subarray(16, 1436).equals(plain)) throw new Error(`${name} does not open`);
    buf.set(ref.subarray(0, 1452));
    buf[100]! ^= 1;
    if (c.openInPlace(key, 0x1_2345_6789, buf, 16, 1436) !== -1) throw new Error(`${name} opened a forged packet`);
  }
}

function time(n: number, fn: (i: number) => void): number {
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - t) / n;
}

check();
const sizes = [1420, 64];
const best = new Map<string, number>();
const note = (k: string, ns: number) => best.set(k, Math.min(best.get(k) ?? Infinity, ns));
const N = 50_000;
for (let round = 0; round < 5; round++) {
  for (const [name, c] of backends) {
    for (const size of sizes) {
      note(`${name} seal ${size}`, time(N, (i) => c.sealInPlace(key, i, buf, 16, size)));
      c.sealInPlace(key, 7, buf, 16, size);
      const sealed = Buffer.from(buf.subarray(0, size + 32));
      note(`${name} open ${size}`, time(N, () => {
        sealed.copy(buf); // keeps the ciphertext fresh; the copy costs ~50 ns
        if (c.openInPlace(key, 7, buf, 16, size + 16) < 0) throw new Error('open failed');
      }));
    }
  }
}
console.log(`node ${process.version}; best of 5 rounds of ${N}`);
for (const [k, ns] of best) {
  const size = Number(k.split(' ').pop());
  console.log(`${k.padEnd(32)} ${(ns / 1000).toFixed(2).padStart(7)} µs   ${((size * 8) / ns).toFixed(2)} Gbit/s`);
}
