// The handshake rate limiter: wg-go's ratelimiter_test.go table, the kernel's
// selftest/ratelimiter.c timing and capacity tests, with an injected clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RATE_LIMIT_GC_AFTER, RATE_LIMIT_MAX_ENTRIES, RATE_LIMIT_PACKET_COST, RateLimiter,
} from '../../../../tunnel-helper/src/engine/core/ratelimiter.js';
import { RATE_LIMIT_BURST, RATE_LIMIT_PACKETS_PER_SECOND } from '../../../../tunnel-helper/src/engine/core/constants.js';

function v4(s: string): Uint8Array {
  return Uint8Array.from(s.split('.').map(Number));
}
function v6(s: string): Uint8Array {
  const out = new Uint8Array(16);
  s.split(':').forEach((g, i) => {
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  return out;
}

/** Expected decisions in order, each after waiting `wait` ms (wg-go and kernel table). */
const SCHEDULE: Array<{ allowed: boolean; wait: number; text: string }> = [
  ...Array.from({ length: RATE_LIMIT_BURST }, () => ({ allowed: true, wait: 0, text: 'initial burst' })),
  { allowed: false, wait: 0, text: 'after burst' },
  { allowed: true, wait: 1000 / RATE_LIMIT_PACKETS_PER_SECOND, text: 'filling tokens for single packet' },
  { allowed: false, wait: 0, text: 'not having refilled enough' },
  { allowed: true, wait: 2 * (1000 / RATE_LIMIT_PACKETS_PER_SECOND), text: 'filling tokens for two packet burst' },
  { allowed: true, wait: 0, text: 'second packet in 2 packet burst' },
  { allowed: false, wait: 0, text: 'packet following 2 packet burst' },
];

test('allows a burst of 5, then 20 packets per second, per source (wg-go table)', () => {
  assert.equal(RATE_LIMIT_PACKET_COST, 50);
  const ips = [
    '127.0.0.1', '192.168.1.1', '172.167.2.3', '97.231.252.215', '248.97.91.167', '188.208.233.47',
    '104.2.183.179', '72.129.46.120',
  ].map(v4).concat([
    '2001:0db8:0a0b:12f0:0000:0000:0000:0001', 'f5c2:818f:c052:655a:9860:b136:6894:25f0',
    'b2d7:15ab:48a7:b07c:a541:f144:a9fe:54fc', 'a47b:786e:1671:a22b:d6f9:4ab0:abc7:c918',
    'ea1e:d155:7f7a:98fb:2bf5:9483:80f6:5445', '3f0e:54a2:f5b4:cd19:a21d:58e1:3746:84c4',
  ].map(v6));
  const rl = new RateLimiter();
  let now = 1_000_000;
  SCHEDULE.forEach((step, i) => {
    now += step.wait + 1e-6; // wg-go sleeps d + 1 ns
    rl.gc(now);
    for (const ip of ips) {
      assert.equal(rl.allow(ip, now), step.allowed, `${i}: ${step.text}: ${Buffer.from(ip).toString('hex')}`);
    }
  });
});

test('a fresh source is always allowed while another is limited (kernel timings test)', () => {
  const rl = new RateLimiter();
  const base4 = 8182;
  const addr4 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  let now = 5_000;
  SCHEDULE.forEach((step, i) => {
    now += step.wait;
    assert.equal(rl.allow(addr4(base4), now), step.allowed, `v4 step ${i}: ${step.text}`);
    assert.equal(rl.allow(addr4(base4 + i + 1), now), true, `v4 step ${i}: fresh neighbour`);
    // The kernel varies the low 64 bits each step: they share the /64's bucket.
    const six = new Uint8Array(16);
    const dv = new DataView(six.buffer);
    dv.setUint32(0, 1212);
    dv.setUint32(4, 289188);
    dv.setUint32(8, i);
    dv.setUint32(12, i);
    assert.equal(rl.allow(six, now), step.allowed, `v6 step ${i}: same /64`);
    dv.setUint32(0, 1212 + i + 1);
    assert.equal(rl.allow(six, now), true, `v6 step ${i}: another /64`);
  });
});

test('IPv6 sources in one /64 share a bucket; different /64s do not', () => {
  const rl = new RateLimiter();
  const now = 0;
  for (let i = 0; i < RATE_LIMIT_BURST; i++) {
    assert.equal(rl.allow(v6(`2001:db8:1:2:0:0:0:${(i + 1).toString(16)}`), now), true);
  }
  assert.equal(rl.allow(v6('2001:db8:1:2:ffff:ffff:ffff:ffff'), now), false);
  assert.equal(rl.allow(v6('2001:db8:1:3:0:0:0:1'), now), true);
});

test('refuses new sources once the table is full, and never grows past it (kernel capacity test)', () => {
  const rl = new RateLimiter();
  const now = 42_000;
  for (let i = 0; i <= RATE_LIMIT_MAX_ENTRIES; i++) {
    const ip = Uint8Array.of(i >>> 24, (i >>> 16) & 255, (i >>> 8) & 255, i & 255);
    assert.equal(rl.allow(ip, now), i !== RATE_LIMIT_MAX_ENTRIES, `source ${i}`);
  }
  assert.equal(rl.size, RATE_LIMIT_MAX_ENTRIES);
  // Known sources keep their own buckets while the table is full.
  assert.equal(rl.allow(Uint8Array.of(0, 0, 0, 7), now), true);
});

test('idle sources are collected after a second, which frees room for new ones', () => {
  const rl = new RateLimiter(100);
  for (let i = 0; i < 100; i++) assert.equal(rl.allow(Uint8Array.of(10, 0, 0, i), 0), true);
  assert.equal(rl.allow(Uint8Array.of(10, 0, 1, 0), 10), false, 'full');
  rl.gc(RATE_LIMIT_GC_AFTER);
  assert.equal(rl.size, 100, 'exactly one second idle is kept');
  // allow() collects on its own once a second has passed since the last pass.
  assert.equal(rl.allow(Uint8Array.of(10, 0, 1, 0), RATE_LIMIT_GC_AFTER + 2_000), true);
  assert.equal(rl.size, 1);
});

test('a forgotten source gets the same burst it would have had', () => {
  const rl = new RateLimiter();
  const ip = v4('198.51.100.9');
  for (let i = 0; i < RATE_LIMIT_BURST; i++) assert.equal(rl.allow(ip, 0), true);
  assert.equal(rl.allow(ip, 0), false);
  rl.gc(5_000);
  assert.equal(rl.size, 0);
  for (let i = 0; i < RATE_LIMIT_BURST; i++) assert.equal(rl.allow(ip, 5_000), true);
  assert.equal(rl.allow(ip, 5_000), false);
});

test('a clock step backwards earns no tokens; bad address lengths are refused', () => {
  const rl = new RateLimiter();
  const ip = v4('203.0.113.1');
  for (let i = 0; i < RATE_LIMIT_BURST; i++) rl.allow(ip, 10_000);
  assert.equal(rl.allow(ip, 9_000), false);
  assert.equal(rl.allow(ip, 10_049), false, 'the step back did not reset the clock to 9 s');
  assert.equal(rl.allow(ip, 10_050), true);
  assert.equal(rl.allow(new Uint8Array(5), 0), false);
  assert.equal(rl.size, 1);
});
