import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIp } from '../../../../shared/config/ip.js';
import { formatEndpoint, formatPrefix, parseEndpoint, parsePrefix } from '../../../../tunnel-helper/src/engine/uapi/allowed-ip-endpoint.js';
import { parseDecimal } from '../../../../tunnel-helper/src/engine/uapi/decimal.js';

describe('prefixes (allowed IPs)', () => {
  it('clears host bits and prints the masked prefix', () => {
    assert.equal(formatPrefix(parsePrefix('10.1.2.3/8') ?? assert.fail()), '10.0.0.0/8');
    assert.equal(formatPrefix(parsePrefix('fd00::abcd/64') ?? assert.fail()), 'fd00::/64');
    assert.equal(formatPrefix(parsePrefix('1.2.3.4/0') ?? assert.fail()), '0.0.0.0/0');
    assert.equal(formatPrefix(parsePrefix('1.2.3.255/31') ?? assert.fail()), '1.2.3.254/31');
    assert.equal(formatPrefix(parsePrefix('::ffff:1.2.3.4/128') ?? assert.fail()), '::ffff:1.2.3.4/128');
  });
  it('rejects bad lengths, zones and missing slashes', () => {
    for (const bad of ['1.2.3.4/33', '::/129', '1.2.3.4', '1.2.3.4/', '1.2.3.4/-1', '1.2.3.4/+8', 'fe80::1%eth0/64', '/8', '1.2.3.4/8/8', '1.2.3.4/ 8']) {
      assert.equal(parsePrefix(bad), null, bad);
    }
  });
  it('parseIp tells the families apart', () => {
    assert.equal(parseIp('1.2.3.4')?.family, 4);
    assert.equal(parseIp('::1')?.family, 6);
    assert.equal(parseIp('host.example'), null);
  });
});

describe('endpoints', () => {
  it('reads IP:port and [IPv6]:port', () => {
    const e4 = parseEndpoint('127.0.0.1:51820');
    assert.deepEqual(e4 && { family: e4.family, port: e4.port, zone: e4.zone }, { family: 4, port: 51820, zone: null });
    const e6 = parseEndpoint('[fe80::1%eth0]:9');
    assert.deepEqual(e6 && { family: e6.family, port: e6.port, zone: e6.zone }, { family: 6, port: 9, zone: 'eth0' });
    assert.equal(parseEndpoint('1.2.3.4:0051820')?.port, 51820); // ParseUint allows leading zeros
  });
  it('rejects names, missing brackets, bad ports and stray brackets', () => {
    for (const bad of ['example.com:51820', '::1:51820', '[1.2.3.4]:1', '[::1]', '[::1]:', '1.2.3.4:65536', '1.2.3.4:-1',
      '1.2.3.4', ':51820', '[::1:51820', '[fe80::1%a/b]:1', '[fe80::1%]:1', '1.2.3.4:+80']) {
      assert.equal(parseEndpoint(bad), null, bad);
    }
  });
  it('prints as wg-go does, without the zone', () => {
    assert.equal(formatEndpoint(parseEndpoint('[FD00::1]:51820') ?? assert.fail()), '[fd00::1]:51820');
    assert.equal(formatEndpoint(parseEndpoint('[fe80::1%3]:1') ?? assert.fail()), '[fe80::1]:1');
    assert.equal(formatEndpoint(parseEndpoint('10.0.0.1:1') ?? assert.fail()), '10.0.0.1:1');
  });
});

describe('decimal fields', () => {
  it('accepts digits within range only', () => {
    assert.equal(parseDecimal('0080', 65535), 80);
    assert.equal(parseDecimal('65535', 65535), 65535);
    assert.equal(parseDecimal('65536', 65535), null);
    assert.equal(parseDecimal('99999999999999999999999', 0xffffffff), null);
    assert.equal(parseDecimal('000000000000000000000007', 10), 7);
    for (const bad of ['', '+1', '-1', '1 ', '0x10', '1e3', '1.0']) assert.equal(parseDecimal(bad, 1e9), null, bad);
  });
});
