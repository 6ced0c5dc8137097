// The cryptokey routing table: the kernel's selftest/allowedips.c cases and
// wg-go's allowedips_test.go, a randomized comparison with a linear
// longest-prefix match, and the netns.sh UAPI stress table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AllowedIps } from '../../../tunnel-helper/src/engine/allowed-ips.js';

type P = { name: string };
const peer = (name: string): P => ({ name });

const ip4 = (a: number, b: number, c: number, d: number) => Uint8Array.of(a, b, c, d);
function ip6(a: number, b: number, c: number, d: number): Uint8Array {
  const out = new Uint8Array(16);
  const v = new DataView(out.buffer);
  [a, b, c, d].forEach((w, i) => v.setUint32(i * 4, w >>> 0));
  return out;
}
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('kernel self-test: longest-prefix match over IPv4 and IPv6 with moves and masking', () => {
  const [a, b, c, d, e, f, g, h] = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(peer) as [P, P, P, P, P, P, P, P];
  const t = new AllowedIps<P>();
  t.insert(ip4(192, 168, 4, 0), 24, a);
  t.insert(ip4(192, 168, 4, 4), 32, b);
  t.insert(ip4(192, 168, 0, 0), 16, c);
  t.insert(ip4(192, 95, 5, 64), 27, d);
  t.insert(ip4(192, 95, 5, 65), 27, c); // replaces the previous entry; host bits are masked
  t.insert(ip6(0x26075300, 0x60006b00, 0, 0xc05f0543), 128, d);
  t.insert(ip6(0x26075300, 0x60006b00, 0, 0), 64, c);
  t.insert(ip4(0, 0, 0, 0), 0, e);
  t.insert(ip6(0, 0, 0, 0), 0, e);
  t.insert(ip6(0, 0, 0, 0), 0, f); // replaces the previous entry
  t.insert(ip6(0x24046800, 0, 0, 0), 32, g);
  t.insert(ip6(0x24046800, 0x40040800, 0xdeadbeef, 0xdeadbeef), 64, h); // masked
  t.insert(ip6(0x24046800, 0x40040800, 0xdeadbeef, 0xdeadbeef), 128, a);
  t.insert(ip6(0x24446800, 0x40e40800, 0xdeaebeef, 0xdefbeef), 128, c);
  t.insert(ip6(0x24446800, 0xf0e40800, 0xeeaebeef, 0), 98, b);
  t.insert(ip4(64, 15, 112, 0), 20, g);
  t.insert(ip4(64, 15, 123, 211), 25, h); // masked
  t.insert(ip4(10, 0, 0, 0), 25, a);
  t.insert(ip4(10, 0, 0, 128), 25, b);
  t.insert(ip4(10, 1, 0, 0), 30, a);
  t.insert(ip4(10, 1, 0, 4), 30, b);
  t.insert(ip4(10, 1, 0, 8), 29, c);
  t.insert(ip4(10, 1, 0, 16), 29, d);

  const cases: Array<[P, Uint8Array]> = [
    [a, ip4(192, 168, 4, 20)], [a, ip4(192, 168, 4, 0)], [b, ip4(192, 168, 4, 4)],
    [c, ip4(192, 168, 200, 182)], [c, ip4(192, 95, 5, 68)], [e, ip4(192, 95, 5, 96)],
    [d, ip6(0x26075300, 0x60006b00, 0, 0xc05f0543)], [c, ip6(0x26075300, 0x60006b00, 0, 0xc02e01ee)],
    [f, ip6(0x26075300, 0x60006b01, 0, 0)], [g, ip6(0x24046800, 0x40040806, 0, 0x1006)],
    [g, ip6(0x24046800, 0x40040806, 0x1234, 0x5678)], [f, ip6(0x240467ff, 0x40040806, 0x1234, 0x5678)],
    [f, ip6(0x24046801, 0x40040806, 0x1234, 0x5678)], [h, ip6(0x24046800, 0x40040800, 0x1234, 0x5678)],
    [h, ip6(0x24046800, 0x40040800, 0, 0)], [h, ip6(0x24046800, 0x40040800, 0x10101010, 0x10101010)],
    [a, ip6(0x24046800, 0x40040800, 0xdeadbeef, 0xdeadbeef)],
    [g, ip4(64, 15, 116, 26)], [g, ip4(64, 15, 127, 3)], [g, ip4(64, 15, 123, 1)],
    [h, ip4(64, 15, 123, 128)], [h, ip4(64, 15, 123, 129)], [a, ip4(10, 0, 0, 52)], [b, ip4(10, 0, 0, 220)],
    [a, ip4(10, 1, 0, 2)], [b, ip4(10, 1, 0, 6)], [c, ip4(10, 1, 0, 10)], [d, ip4(10, 1, 0, 20)],
  ];
  cases.forEach(([want, addr], i) => assert.equal(t.lookup(addr)?.name, want.name, `test ${i + 1}: ${hex(addr)}`));

  for (const first of [1, 64, 128, 192, 255]) t.insert(ip4(first, 0, 0, 0), 32, a);
  for (const first of [1, 64, 128, 192, 255]) assert.equal(t.lookup(ip4(first, 0, 0, 0)), a);
  t.removeByPeer(a);
  for (const first of [1, 64, 128, 192, 255]) assert.notEqual(t.lookup(ip4(first, 0, 0, 0)), a);
  assert.notEqual(t.lookup(ip4(10, 1, 0, 2)), a, 'removeByPeer removed its older prefixes too');
  assert.equal(t.lookup(ip4(10, 1, 0, 6)), b, 'other peers keep theirs');
});

test('removing every peer empties both tries (wg-go TestTrieIPv4)', () => {
  const ps = ['a', 'b', 'c', 'd', 'e', 'g', 'h'].map(peer);
  const [a, b, c, d, e, g, h] = ps as [P, P, P, P, P, P, P];
  const t = new AllowedIps<P>();
  const v4: Array<[P, number[], number]> = [
    [a, [192, 168, 4, 0], 24], [b, [192, 168, 4, 4], 32], [c, [192, 168, 0, 0], 16], [d, [192, 95, 5, 64], 27],
    [c, [192, 95, 5, 65], 27], [e, [0, 0, 0, 0], 0], [g, [64, 15, 112, 0], 20], [h, [64, 15, 123, 211], 25],
    [a, [10, 0, 0, 0], 25], [b, [10, 0, 0, 128], 25], [a, [10, 1, 0, 0], 30], [b, [10, 1, 0, 4], 30],
    [c, [10, 1, 0, 8], 29], [d, [10, 1, 0, 16], 29],
  ];
  for (const [p, addr, cidr] of v4) t.insert(Uint8Array.from(addr), cidr, p);
  t.insert(ip6(0x26075300, 0x60006b00, 0, 0xc05f0543), 128, d);
  for (const p of ps) t.removeByPeer(p);
  assert.equal(t.isEmpty, true);
  for (const p of ps) assert.deepEqual(t.entriesForPeer(p), []);

  t.insert(ip4(192, 168, 0, 0), 16, a);
  t.insert(ip4(192, 168, 0, 0), 24, a);
  t.removeByPeer(a);
  assert.equal(t.lookup(ip4(192, 168, 0, 1)), undefined);
  assert.equal(t.isEmpty, true);
});

test('remove only deletes the exact prefix, and only for its owner (wg-go)', () => {
  const [a, b] = [peer('a'), peer('b')];
  const t = new AllowedIps<P>();
  t.insert(ip4(1, 0, 0, 0), 32, a);
  t.insert(ip4(192, 0, 0, 0), 24, a);
  assert.equal(t.lookup(ip4(1, 0, 0, 0)), a);
  assert.equal(t.lookup(ip4(192, 0, 0, 1)), a);
  assert.equal(t.remove(ip4(192, 0, 0, 0), 32, a), false);
  assert.equal(t.lookup(ip4(192, 0, 0, 1)), a);
  assert.equal(t.remove(ip4(192, 0, 0, 0), 24, b), false);
  assert.equal(t.lookup(ip4(192, 0, 0, 1)), a);
  assert.equal(t.remove(ip4(192, 0, 0, 0), 24, a), true);
  assert.equal(t.lookup(ip4(192, 0, 0, 1)), undefined);
  assert.equal(t.remove(ip4(1, 0, 0, 0), 32, a), true);
  assert.equal(t.lookup(ip4(1, 0, 0, 0)), undefined);
  assert.equal(t.isEmpty, true);

  // wg-go TestTrieIPv6's removal sequence.
  t.insert(ip6(0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef), 128, a);
  t.insert(ip6(0x24446800, 0xf0e40800, 0xeeaebeef, 0), 98, a);
  assert.equal(t.lookup(ip6(0x24446800, 0xf0e40800, 0xeeaebeef, 0x10101010)), a);
  assert.equal(t.remove(ip6(0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef), 96, a), false);
  assert.equal(t.remove(ip6(0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef), 128, b), false);
  assert.equal(t.lookup(ip6(0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef)), a);
  assert.equal(t.remove(ip6(0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef), 128, a), true);
  assert.equal(t.lookup(ip6(0x24446801, 0x40e40800, 0xdeaebeef, 0xdefbeef)), undefined);
  assert.equal(t.remove(ip6(0x24446800, 0xf0e40800, 0xeeaebeef, 0), 98, b), false);
  assert.equal(t.lookup(ip6(0x24446800, 0xf0e40800, 0xeeaebeef, 0x10101010)), a);
  assert.equal(t.remove(ip6(0x24446800, 0xf0e40800, 0xeeaebeef, 0), 98, a), true);
  assert.equal(t.lookup(ip6(0x24446800, 0xf0e40800, 0xeeaebeef, 0x10101010)), undefined);
});

test('128 nested /128s differing in one bit insert and free cleanly (kernel free_node check)', () => {
  const a = peer('a');
  const t = new AllowedIps<P>();
  const addrs: Uint8Array[] = [];
  for (let i = 0; i < 128; i++) {
    const ip = new Uint8Array(16).fill(0xff);
    const part = new DataView(ip.buffer);
    const bit = i % 64;
    const off = i < 64 ? 8 : 0;
    const word = ~(1n << BigInt(bit)) & 0xffffffffffffffffn;
    part.setBigUint64(off, word);
    addrs.push(ip);
    t.insert(ip, 128, a);
  }
  assert.equal(t.entriesForPeer(a).length, 128);
  for (const ip of addrs) assert.equal(t.lookup(ip), a);
  t.removeByPeer(a);
  assert.equal(t.isEmpty, true);
});

test('entriesForPeer lists masked prefixes in insertion order (kernel read_node check)', () => {
  const a = peer('a');
  const t = new AllowedIps<P>();
  t.insert(ip4(192, 95, 5, 93), 27, a);
  t.insert(ip6(0x26075300, 0x60006b00, 0, 0xc05f0543), 128, a);
  t.insert(ip4(10, 1, 0, 20), 29, a);
  t.insert(ip6(0x26075300, 0x6d8a6bf8, 0xdab1f1df, 0xc05f1523), 83, a);
  t.insert(ip6(0x26075300, 0x6d8a6bf8, 0xdab1f1df, 0xc05f1523), 21, a);
  assert.deepEqual(t.entriesForPeer(a).map(({ bytes, cidr }) => `${hex(bytes)}/${cidr}`), [
    `${hex(ip4(192, 95, 5, 64))}/27`,
    `${hex(ip6(0x26075300, 0x60006b00, 0, 0xc05f0543))}/128`,
    `${hex(ip4(10, 1, 0, 16))}/29`,
    `${hex(ip6(0x26075300, 0x6d8a6bf8, 0xdab1e000, 0))}/83`,
    `${hex(ip6(0x26075000, 0, 0, 0))}/21`,
  ]);
});

test('a prefix taken by another peer moves to the end of its new owner\'s list', () => {
  const [a, b] = [peer('a'), peer('b')];
  const t = new AllowedIps<P>();
  t.insert(ip4(10, 0, 0, 0), 8, a);
  t.insert(ip4(192, 168, 241, 2), 32, a);
  t.insert(ip4(172, 16, 0, 0), 12, b);
  t.insert(ip4(192, 168, 241, 2), 32, b); // netns.sh step 7: the more specific /32 moves
  assert.equal(t.lookup(ip4(192, 168, 241, 2)), b);
  assert.deepEqual(t.entriesForPeer(a).map((x) => x.cidr), [8]);
  assert.deepEqual(t.entriesForPeer(b).map((x) => `${hex(x.bytes)}/${x.cidr}`), ['ac100000/12', 'c0a8f102/32']);
  assert.equal(t.remove(ip4(192, 168, 241, 2), 32, a), false, 'the old owner cannot remove it');
});

test('lookupV4 and lookupV6 read the address from a packet buffer at an offset', () => {
  const [a, b] = [peer('a'), peer('b')];
  const t = new AllowedIps<P>();
  t.insert(ip4(192, 168, 241, 0), 24, a);
  t.insert(ip6(0xfd000000, 0, 0, 0), 64, b);
  const pkt4 = new Uint8Array(20);
  pkt4.set(ip4(192, 168, 241, 2), 12); // IPv4 source
  pkt4.set(ip4(8, 8, 8, 8), 16); // destination
  assert.equal(t.lookupV4(pkt4, 12), a);
  assert.equal(t.lookupV4(pkt4, 16), undefined);
  const pkt6 = new Uint8Array(40);
  pkt6.set(ip6(0xfd000000, 0, 0, 2), 8);
  assert.equal(t.lookupV6(pkt6, 8), b);
  assert.equal(t.lookupV6(pkt6, 24), undefined);
  assert.equal(t.lookup(new Uint8Array(5)), undefined);
  assert.throws(() => t.insert(ip4(1, 2, 3, 4), 33, a), RangeError);
  assert.throws(() => t.insert(new Uint8Array(8), 0, a), RangeError);
});

/** A linear longest-prefix match over a list, like the kernel's "horrible_allowedips". */
class LinearTable {
  private readonly routes = new Map<string, { bytes: Uint8Array; cidr: number; peer: P }>();
  insert(bytes: Uint8Array, cidr: number, p: P): void {
    const masked = maskTo(bytes, cidr);
    this.routes.set(`${hex(masked)}/${cidr}`, { bytes: masked, cidr, peer: p });
  }
  removeByPeer(p: P): void {
    for (const [k, r] of this.routes) if (r.peer === p) this.routes.delete(k);
  }
  lookup(addr: Uint8Array): P | undefined {
    let best: { cidr: number; peer: P } | undefined;
    for (const r of this.routes.values()) {
      if (r.bytes.length !== addr.length || (best && best.cidr >= r.cidr)) continue;
      if (matches(addr, r.bytes, r.cidr)) best = r;
    }
    return best?.peer;
  }
}
function matches(addr: Uint8Array, prefix: Uint8Array, cidr: number): boolean {
  for (let i = 0; i * 8 < cidr; i++) {
    const bits = Math.min(8, cidr - i * 8);
    if (((addr[i]! ^ prefix[i]!) & (0xff00 >> bits) & 0xff) !== 0) return false;
  }
  return true;
}
function maskTo(bytes: Uint8Array, cidr: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let i = 0; i < out.length; i++) {
    const bits = Math.max(0, Math.min(8, cidr - i * 8));
    out[i]! &= (0xff00 >> bits) & 0xff;
  }
  return out;
}

test('agrees with a linear longest-prefix match on thousands of random and mutated prefixes', () => {
  let seed = 0x9e3779b9;
  const rnd = (n: number): number => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const randomBytes = (len: number) => Uint8Array.from({ length: len }, () => rnd(256));
  const peers = Array.from({ length: 50 }, (_, i) => peer(`p${i}`));
  const t = new AllowedIps<P>();
  const ref = new LinearTable();
  for (const len of [4, 16]) {
    for (let i = 0; i < 40; i++) {
      const base = randomBytes(len);
      for (let j = 0; j < 40; j++) {
        // As the kernel's randomized test: keep a random-length prefix of the base.
        const keep = rnd(len * 8);
        const ip = Uint8Array.from(base, (byte, k) => {
          const bits = Math.max(0, Math.min(8, keep - k * 8));
          const mask = (0xff00 >> bits) & 0xff;
          return (byte & mask) | (rnd(256) & ~mask);
        });
        const cidr = rnd(len * 8) + 1;
        const p = peers[rnd(peers.length)]!;
        t.insert(ip, cidr, p);
        ref.insert(ip, cidr, p);
      }
    }
  }
  const queries: Uint8Array[] = [];
  for (let i = 0; i < 1500; i++) queries.push(randomBytes(4), randomBytes(16));
  // Addresses near inserted prefixes, so lookups hit deep nodes, not just misses.
  for (const { bytes } of peers.flatMap((p) => t.entriesForPeer(p)).slice(0, 1500)) {
    const q = Uint8Array.from(bytes);
    q[q.length - 1]! ^= rnd(256);
    queries.push(q);
  }
  const check = (round: string) => {
    for (const q of queries) assert.equal(t.lookup(q), ref.lookup(q), `${round}: ${hex(q)}`);
  };
  check('after inserting');
  for (const p of peers.slice(0, 25)) {
    t.removeByPeer(p);
    ref.removeByPeer(p);
  }
  check('after removing half the peers');
  for (const p of peers.slice(25)) t.removeByPeer(p);
  assert.equal(t.isEmpty, true);
});

test('holds the netns.sh UAPI stress table: 255*256 /16s and 255*256 /128s for one peer', () => {
  const p = peer('big');
  const t = new AllowedIps<P>();
  for (let a = 1; a <= 255; a++) {
    for (let b = 0; b <= 255; b++) {
      t.insert(ip4(a, b, 0, 0), 16, p);
      // "$a::$b/128": the decimal digits are read as hex groups.
      t.insert(ip6(parseInt(String(a), 16) << 16, 0, 0, parseInt(String(b), 16)), 128, p);
    }
  }
  const entries = t.entriesForPeer(p);
  assert.equal(entries.length, 255 * 256 * 2);
  assert.equal(`${hex(entries[0]!.bytes)}/${entries[0]!.cidr}`, '01000000/16');
  const pkt = new Uint8Array(40);
  for (let a = 1; a <= 255; a += 7) {
    for (let b = 0; b <= 255; b += 5) {
      pkt.set(ip4(a, b, 200, 1), 0);
      assert.equal(t.lookupV4(pkt, 0), p);
      pkt.set(ip6(parseInt(String(a), 16) << 16, 0, 0, parseInt(String(b), 16)), 0);
      assert.equal(t.lookupV6(pkt, 0), p);
      pkt.set(ip6(parseInt(String(a), 16) << 16, 0, 0, parseInt(String(b), 16) + 0x10000), 0);
      assert.equal(t.lookupV6(pkt, 0), undefined);
    }
  }
  assert.equal(t.lookup(ip4(0, 1, 2, 3)), undefined);

  // 40 peers x 52 /16s each read back their own 52, in order.
  const many = new AllowedIps<P>();
  const peers = Array.from({ length: 40 }, (_, i) => peer(`p${i}`));
  peers.forEach((q, i) => { for (let b = 1; b <= 52; b++) many.insert(ip4(i + 1, b, 0, 0), 16, q); });
  peers.forEach((q, i) => {
    const list = many.entriesForPeer(q);
    assert.equal(list.length, 52);
    assert.equal(hex(list[51]!.bytes), hex(ip4(i + 1, 52, 0, 0)));
  });
  t.removeByPeer(p);
  assert.equal(t.isEmpty, true);
});
