// Micro-benchmarks of the per-packet primitives: the replay window, the
// allowed-IPs lookup and the transport cipher. Prints ns/op.
//   npx tsc -p tsconfig.json && node dist/test/bench/micro-core.js
// Figures are for one core. The cipher is the engine's default backend
// (crypto-transport.ts; WIREDESK_CIPHER=node picks node:crypto), named in the
// labels; micro-aead.ts compares the backends side by side.
import { randomBytes } from 'node:crypto';
import { ReplayFilter } from '../../tunnel-helper/src/engine/core/replay.js';
import { RateLimiter } from '../../tunnel-helper/src/engine/core/ratelimiter.js';
import { AllowedIps } from '../../tunnel-helper/src/engine/allowed-ips.js';
import { transportBackend, transportCipher } from '../../tunnel-helper/src/engine/crypto-transport.js';

let sink = 0;

/** Runs `fn(i)` for `iterations`, after a warm-up, and returns ns per call. */
function measure(name: string, iterations: number, fn: (i: number) => void): void {
  for (let i = 0; i < Math.min(iterations, 20_000); i++) fn(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  console.log(`${name.padEnd(58)} ${ns.toFixed(1).padStart(9)} ns/op`);
}

function replay(): void {
  const f = new ReplayFilter();
  measure('replay validate(lo, hi), in order', 5_000_000, (i) => { if (f.validate(i, 0)) sink++; });
  const g = new ReplayFilter();
  // Reordered within the window: pairs swapped.
  measure('replay validate(lo, hi), pairwise reordered', 5_000_000, (i) => { if (g.validate(i ^ 1, 0)) sink++; });
  const h = new ReplayFilter();
  const buf = new Uint8Array(16);
  const view = new DataView(buf.buffer);
  measure('replay validateAt(packet, 8), in order', 5_000_000, (i) => {
    view.setUint32(8, i, true);
    if (h.validateAt(buf, 8)) sink++;
  });
  const k = new ReplayFilter();
  measure('replay validateCounter(bigint), in order', 2_000_000, (i) => { if (k.validateCounter(BigInt(i))) sink++; });
}

function allowedIps(): void {
  let seed = 1;
  const rnd = (): number => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return seed >>> 0; };
  const peers = Array.from({ length: 100 }, (_, i) => ({ i }));
  const t = new AllowedIps<{ i: number }>();
  for (let n = 0; n < 1000; n++) {
    const a = rnd();
    t.insert(Uint8Array.of(a >>> 24, a >>> 16, a >>> 8, a), rnd() % 32, peers[rnd() % 100]!);
    const b = randomBytes(16);
    t.insert(b, rnd() % 128, peers[rnd() % 100]!);
  }
  const pkts = Array.from({ length: 1024 }, () => randomBytes(40));
  measure('allowed-ips lookupV4, 100 peers / 1000 random prefixes', 5_000_000, (i) => {
    if (t.lookupV4(pkts[i & 1023]!, 12) !== undefined) sink++;
  });
  measure('allowed-ips lookupV6, 100 peers / 1000 random prefixes', 5_000_000, (i) => {
    if (t.lookupV6(pkts[i & 1023]!, 8) !== undefined) sink++;
  });

  const big = new AllowedIps<{ i: number }>();
  const p = peers[0]!;
  const t0 = process.hrtime.bigint();
  for (let a = 1; a <= 255; a++) {
    for (let b = 0; b <= 255; b++) {
      big.insert(Uint8Array.of(a, b, 0, 0), 16, p);
      const six = new Uint8Array(16);
      six[0] = a; six[15] = b;
      big.insert(six, 128, p);
    }
  }
  const insertMs = Number(process.hrtime.bigint() - t0) / 1e6;
  console.log(`${'allowed-ips insert 130560 prefixes (netns.sh stress)'.padEnd(58)} ${insertMs.toFixed(0).padStart(9)} ms`);
  const hits = Array.from({ length: 1024 }, () => {
    const q = randomBytes(20);
    q[12] = 1 + (q[12]! % 255);
    return q;
  });
  measure('allowed-ips lookupV4 in the 130560-prefix table', 5_000_000, (i) => {
    if (big.lookupV4(hits[i & 1023]!, 12) !== undefined) sink++;
  });
}

function cipher(): void {
  const key = randomBytes(32);
  const buf = new Uint8Array(16 + 1420 + 16);
  randomBytes(1420).copy(buf, 16);
  let counter = 0n;
  const name = `transportCipher (${transportBackend()})`;
  measure(`${name}.sealInPlace, 1420 B`, 200_000, () => {
    transportCipher.sealInPlace(key, counter++, buf, 16, 1420);
  });
  transportCipher.sealInPlace(key, 0n, buf, 16, 1420);
  const sealed = Uint8Array.from(buf);
  measure(`${name}.openInPlace, 1420 B`, 200_000, () => {
    buf.set(sealed);
    if (transportCipher.openInPlace(key, 0n, buf, 16, 1436) > 0) sink++;
  });
  measure(`${name}.sealInPlace, 64 B`, 200_000, () => {
    transportCipher.sealInPlace(key, counter++, buf, 16, 64);
  });
}

function rateLimiter(): void {
  const rl = new RateLimiter();
  const ips = Array.from({ length: 1024 }, () => randomBytes(4));
  measure('ratelimiter allow, 1024 IPv4 sources', 2_000_000, (i) => {
    if (rl.allow(ips[i & 1023]!, i / 1000)) sink++;
  });
}

console.log(`node ${process.version}, ${process.arch}, transport cipher: ${transportBackend()}`);
replay();
allowedIps();
cipher();
rateLimiter();
if (sink === -1) console.log(sink);
