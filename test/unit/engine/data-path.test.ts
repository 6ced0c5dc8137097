// The data path (engine/data-path.ts) between two whole engines: allowed IPs
// route outgoing packets by destination and filter incoming ones by source,
// for IPv4 and IPv6 alike.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { ipv4Packet } from '../../fakes/core-pair.js';
import { DevicePair } from './device-pair.js';

let pair: DevicePair | null = null;
afterEach(() => pair?.close());

/** A minimal IPv6 packet: a 40-byte header and `payload` bytes of `fill`. */
function ipv6Packet(src: string, dst: string, payload: number, fill = 0xab): Uint8Array {
  const p = new Uint8Array(40 + payload).fill(fill);
  p.set([0x60, 0, 0, 0, payload >> 8, payload & 0xff, 59, 64]);
  p.set(Buffer.from(src, 'hex'), 8);
  p.set(Buffer.from(dst, 'hex'), 24);
  return p;
}

test('a packet for a destination that no peer routes is dropped, not sent', async () => {
  const p = (pair = new DevicePair());
  p.tun.a.inject(ipv4Packet('10.0.0.1', '10.9.9.9', 84));
  const ping = p.ping('a');
  assert.deepEqual([...await p.tun.b.nextWritten()], [...ping]);
  await p.settle();
  assert.equal(p.tun.b.written.length, 0);
});

test('a decrypted packet from a source its peer may not use is dropped, and still counted', async () => {
  const p = (pair = new DevicePair());
  p.ping('a');
  await p.tun.b.nextWritten();
  await p.settle();
  const rx = p.peerOf('a').rxBytes;
  p.tun.b.inject(ipv4Packet('10.0.0.99', '10.0.0.1', 84)); // B's allowed IP at A is 10.0.0.2/32
  const pong = p.ping('b', 0xcd);
  assert.deepEqual([...await p.tun.a.nextWritten()], [...pong]);
  await p.settle();
  assert.equal(p.tun.a.written.length, 0);
  assert.equal(p.peerOf('a').rxBytes - rx, 2n * 128n, 'rx_bytes counts what was authenticated, as wg-go does');
});

test('IPv6 packets are routed and delivered by their allowed IPs too', async () => {
  const p = (pair = new DevicePair());
  const peerOf = (side: 'a' | 'b') => `public_key=${Buffer.from(p.publicKey[side]).toString('hex')}`;
  p.set('a', [peerOf('b'), 'allowed_ip=fd00::2/128']);
  p.set('b', [peerOf('a'), 'allowed_ip=fd00::1/128']);
  const one = 'fd000000000000000000000000000001';
  const two = 'fd000000000000000000000000000002';
  const ping = ipv6Packet(one, two, 64);
  p.tun.a.inject(ping);
  assert.deepEqual([...await p.tun.b.nextWritten()], [...ping]);
  const pong = ipv6Packet(two, one, 1000, 0xcd);
  p.tun.b.inject(pong);
  assert.deepEqual([...await p.tun.a.nextWritten()], [...pong]);
});
