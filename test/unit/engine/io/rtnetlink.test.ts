// The rtnetlink bytes the engine writes and reads (io/rtnetlink-linux.ts),
// checked against the layouts of rtnetlink(7) without a kernel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readNotifications, readRouteReply, routeRequest } from '../../../../tunnel-helper/src/engine/io/rtnetlink-linux.js';
import type { NetworkChange } from '../../../../tunnel-helper/src/engine/io/route-monitor.js';
import { Endpoint } from '../../../../tunnel-helper/src/engine/core/endpoint.js';

function attr(type: number, data: number[]): number[] {
  const len = 4 + data.length;
  const out = [len & 0xff, len >> 8, type & 0xff, type >> 8, ...data];
  while (out.length % 4) out.push(0);
  return out;
}

function message(type: number, seq: number, body: number[]): number[] {
  const len = 16 + body.length;
  const h = Buffer.alloc(16);
  h.writeUInt32LE(len, 0);
  h.writeUInt16LE(type, 4);
  h.writeUInt32LE(seq, 8);
  return [...h, ...body];
}

const change = (): NetworkChange => ({ any: false, removedAddresses: [] });

test('a route request asks for the endpoint under the fwmark, with the source when given', () => {
  const b = routeRequest(Endpoint.parse('10.1.2.3:51820'), 51820, Uint8Array.from([10, 0, 0, 9]), 7);
  assert.equal(b.readUInt32LE(0), b.length);
  assert.equal(b.readUInt16LE(4), 26); // RTM_GETROUTE
  assert.equal(b.readUInt16LE(6), 1); // NLM_F_REQUEST
  assert.equal(b.readUInt32LE(8), 7);
  assert.deepEqual([b[16], b[17], b[18]], [2, 32, 32]); // AF_INET, /32 destination, /32 source
  assert.deepEqual([...b.subarray(28)], [...attr(1, [10, 1, 2, 3]), ...attr(2, [10, 0, 0, 9]), ...attr(16, [0x6c, 0xca, 0, 0])]);
  const v6 = routeRequest(Endpoint.parse('[fd00::1]:1'), 0, null, 8);
  assert.deepEqual([v6[16], v6[17], v6[18]], [10, 128, 0]);
  assert.equal(v6.length, 16 + 12 + 20 + 8);
});

test('a route reply gives the interface, preferred source and gateway; an error reply its errno', () => {
  const rtmsg = [2, 32, 0, 0, 254, 0, 0, 1, 0, 0, 0, 0];
  const reply = message(24, 5, [...rtmsg, ...attr(4, [3, 0, 0, 0]), ...attr(7, [10, 77, 1, 2]), ...attr(5, [10, 77, 1, 1])]);
  const b = Buffer.from([...message(24, 4, rtmsg), ...reply]);
  assert.deepEqual(readRouteReply(b, b.length, 5), {
    ok: true, oif: 3, prefsrc: Uint8Array.from([10, 77, 1, 2]), gateway: Uint8Array.from([10, 77, 1, 1]),
  });
  assert.equal(readRouteReply(b, b.length, 6), null, 'an answer to another request');
  const err = Buffer.from(message(2, 9, [0x9b, 0xff, 0xff, 0xff, ...new Array<number>(16).fill(0)])); // -101
  assert.deepEqual(readRouteReply(err, err.length, 9), { ok: false, errno: 101 });
});

test('notifications report any route, address or link change, and the addresses removed', () => {
  const c = change();
  const ifaddr4 = [2, 24, 0, 0, 3, 0, 0, 0];
  const ifaddr6 = [10, 64, 0, 0, 3, 0, 0, 0];
  const v6 = [0xfd, 0, ...new Array<number>(13).fill(0), 2];
  const b = Buffer.from([
    ...message(21, 0, [...ifaddr4, ...attr(1, [10, 77, 1, 2])]),
    ...message(21, 0, [...ifaddr6, ...attr(1, v6)]),
  ]);
  readNotifications(b, b.length, c);
  assert.equal(c.any, true);
  assert.deepEqual(c.removedAddresses, [Uint8Array.from([10, 77, 1, 2]), Uint8Array.from(v6)]);
  const other = change();
  const neigh = Buffer.from(message(28, 0, new Array<number>(12).fill(0))); // RTM_NEWNEIGH: not ours
  readNotifications(neigh, neigh.length, other);
  assert.equal(other.any, false);
  const link = Buffer.from(message(16, 0, new Array<number>(16).fill(0)));
  readNotifications(link, link.length, other);
  assert.equal(other.any, true);
});

test('truncated or lying lengths never throw and never read past the datagram', () => {
  const good = message(21, 0, [2, 24, 0, 0, 3, 0, 0, 0, ...attr(1, [10, 77, 1, 2])]);
  for (let cut = 0; cut <= good.length; cut++) {
    const c = change();
    readNotifications(Buffer.from(good), cut, c);
    assert.ok(c.removedAddresses.length <= 1);
    assert.equal(readRouteReply(Buffer.from(good), cut, 0), null);
  }
  const liar = Buffer.from(good);
  liar.writeUInt16LE(200, 24); // an attribute claiming more than there is
  const c = change();
  readNotifications(liar, liar.length, c);
  assert.deepEqual(c.removedAddresses, []);
  const zero = Buffer.alloc(64); // nlmsg_len 0 would loop forever if trusted
  readNotifications(zero, zero.length, change());
  assert.equal(readRouteReply(zero, zero.length, 0), null);
});
