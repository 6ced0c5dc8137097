import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Endpoint } from '../../../../tunnel-helper/src/engine/core/endpoint.js';
import {
  AF_INET6, EndpointCache, PKTINFO4_SPACE, PKTINFO6_SPACE, SOCKADDR_IN6_SIZE, SOCKADDR_IN_SIZE, sockaddrPort, writePktinfo, writeSockaddr,
} from '../../../../tunnel-helper/src/engine/io/sockaddr-linux.js';

test('endpoints encode as the sockaddr_in/sockaddr_in6 the kernel expects', () => {
  const b = Buffer.alloc(32, 0xee);
  assert.equal(writeSockaddr(b, 0, Endpoint.parse('10.1.2.3:51820')), SOCKADDR_IN_SIZE);
  assert.equal(b.subarray(0, 16).toString('hex'), '0200ca6c0a010203' + '00'.repeat(8));
  assert.equal(sockaddrPort(b), 51820);
  assert.equal(writeSockaddr(b, 0, Endpoint.parse('[fe80::2%7]:1')), SOCKADDR_IN6_SIZE);
  assert.equal(b.readUInt16LE(0), AF_INET6);
  assert.equal(b.subarray(8, 24).toString('hex'), 'fe800000000000000000000000000002');
  assert.equal(b.readUInt32LE(24), 7);
});

test('received addresses decode to interned endpoints: one object per sender and local address', () => {
  const cache = new EndpointCache();
  const names = Buffer.alloc(64);
  const ctrl = Buffer.alloc(128);
  writeSockaddr(names, 0, Endpoint.parse('10.0.0.2:9999'));
  writeSockaddr(names, 32, Endpoint.parse('10.0.0.2:9999'));
  const a = cache.decode(names, 0, ctrl, 0, 0)!;
  const b = cache.decode(names, 32, ctrl, 0, 0)!;
  assert.equal(a.key, '10.0.0.2:9999');
  assert.equal(a, b);
  writeSockaddr(names, 32, Endpoint.parse('10.0.0.2:9998'));
  assert.equal(cache.decode(names, 32, ctrl, 0, 0)!.key, '10.0.0.2:9998');
});

test('IP_PKTINFO round-trips: the sticky source we send is the one we parse on receive', () => {
  const cache = new EndpointCache();
  const names = Buffer.alloc(32);
  const ctrl = Buffer.alloc(64);
  const v4 = new Endpoint(Uint8Array.of(10, 0, 0, 2), 9999, 0, Uint8Array.of(10, 0, 0, 1), 3);
  assert.equal(writePktinfo(ctrl, 0, v4), PKTINFO4_SPACE);
  writeSockaddr(names, 0, v4);
  const got = cache.decode(names, 0, ctrl, 0, PKTINFO4_SPACE)!;
  assert.equal(got.srcToString(), '10.0.0.1');
  assert.equal(got.srcIfIndex, 3);
  assert.ok(got.sameSource(v4));

  const v6 = new Endpoint(Endpoint.parse('[fd00::2]:1').ip, 1, 0, Endpoint.parse('[fd00::1]:1').ip, 5);
  assert.equal(writePktinfo(ctrl, 0, v6), PKTINFO6_SPACE);
  writeSockaddr(names, 0, v6);
  const got6 = cache.decode(names, 0, ctrl, 0, PKTINFO6_SPACE)!;
  assert.equal(got6.srcToString(), 'fd00::1');
  assert.equal(got6.srcIfIndex, 5);
  // a different local address is a different interned endpoint with the same key
  const other = new Endpoint(v6.ip, 1, 0, Endpoint.parse('[fd00::3]:1').ip, 5);
  writePktinfo(ctrl, 0, other);
  const got6b = cache.decode(names, 0, ctrl, 0, PKTINFO6_SPACE)!;
  assert.notEqual(got6b, got6);
  assert.equal(got6b.key, got6.key);
  assert.equal(writePktinfo(ctrl, 0, Endpoint.parse('10.0.0.1:1')), 0, 'no sticky source, no control message');
});

test('an unknown address family decodes to no endpoint', () => {
  const names = Buffer.alloc(32);
  names.writeUInt16LE(1, 0); // AF_UNIX
  assert.equal(new EndpointCache().decode(names, 0, Buffer.alloc(0), 0, 0), null);
});
