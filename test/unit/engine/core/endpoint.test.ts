import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Endpoint } from '../../../../tunnel-helper/src/engine/core/endpoint.js';

test('IPv4 endpoints parse and print as wg show endpoints does', () => {
  const ep = Endpoint.parse('192.0.2.7:51820');
  assert.equal(ep.family, 4);
  assert.deepEqual([...ep.ip], [192, 0, 2, 7]);
  assert.equal(ep.port, 51820);
  assert.equal(ep.key, '192.0.2.7:51820');
  assert.equal(String(ep), '192.0.2.7:51820');
});

test('IPv6 endpoints are bracketed and printed in RFC 5952 form', () => {
  const ep = Endpoint.parse('[FD00:0:0:0::0001]:9998');
  assert.equal(ep.family, 6);
  assert.equal(ep.ip.length, 16);
  assert.equal(ep.key, '[fd00::1]:9998');
  assert.equal(Endpoint.parse('[::1]:1').key, '[::1]:1');
  assert.equal(Endpoint.parse('[fe80::1%3]:5').key, '[fe80::1%3]:5');
  assert.equal(Endpoint.parse('[fe80::1%3]:5').scopeId, 3);
});

test('IPv4-mapped IPv6 addresses become plain IPv4 endpoints', () => {
  const ep = Endpoint.parse('[::ffff:10.0.0.1]:1');
  assert.equal(ep.family, 4);
  assert.equal(ep.key, '10.0.0.1:1');
});

test('malformed endpoints are rejected with a sentence that shows the right form', () => {
  for (const bad of ['192.0.2.1', '192.0.2.1:', '192.0.2.1:65536', 'fd00::1:5', '[fd00::1:5', '[10.0.0.1]:5', 'host.example:5', '1.2.3:4', '[fe80::1%eth0]:5']) {
    assert.throws(() => Endpoint.parse(bad), (e: Error) => e.message.includes(bad) && /IP:port/.test(e.message), bad);
  }
});

test('the sticky source travels with the endpoint but does not change its identity', () => {
  const plain = Endpoint.parse('10.0.0.2:9999');
  const sticky = new Endpoint(plain.ip, 9999, 0, Uint8Array.of(10, 0, 0, 1), 4);
  assert.equal(sticky.srcToString(), '10.0.0.1');
  assert.equal(sticky.srcIfIndex, 4);
  assert.ok(sticky.equals(plain), 'roaming compares the peer address only');
  assert.ok(!sticky.sameSource(plain));
  const cleared = sticky.withoutSource();
  assert.equal(cleared.srcIp, null);
  assert.equal(cleared.srcIfIndex, 0);
  assert.equal(cleared.key, sticky.key);
  assert.equal(plain.withoutSource(), plain);
});

test('an endpoint keeps its own copy of the address bytes', () => {
  const ip = Uint8Array.of(10, 0, 0, 1);
  const ep = new Endpoint(ip, 1);
  ip[3] = 9;
  assert.equal(ep.key, '10.0.0.1:1');
  assert.throws(() => new Endpoint(Uint8Array.of(1, 2, 3), 1), /4 or 16 bytes/);
  assert.throws(() => new Endpoint(ip, 70000), /0-65535/);
});
