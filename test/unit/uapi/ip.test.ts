import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatEndpoint, formatIPv6, formatPrefix, parseAddr, parseEndpoint, parseIPv4, parseIPv6, parsePrefix,
} from '../../../tunnel-helper/src/uapi/ip.js';
import { parseDecimal } from '../../../tunnel-helper/src/uapi/decimal.js';

const v6 = (s: string): Uint8Array => {
  const r = parseIPv6(s);
  assert.ok(r, `${s} should parse`);
  return r.ip;
};

describe('IPv4 addresses, as Go netip reads them', () => {
  it('reads dotted quads', () => {
    assert.deepEqual([...(parseIPv4('192.168.241.1') ?? [])], [192, 168, 241, 1]);
    assert.deepEqual([...(parseIPv4('0.0.0.0') ?? [])], [0, 0, 0, 0]);
  });
  it('rejects leading zeros, big octets, wrong field counts and junk', () => {
    for (const bad of ['01.2.3.4', '1.2.3.256', '1.2.3', '1.2.3.4.5', '1..3.4', ' 1.2.3.4', '1.2.3.4 ', '1.2.3.-4', '1.2.3.0x4', '']) {
      assert.equal(parseIPv4(bad), null, bad);
    }
  });
});

describe('IPv6 addresses', () => {
  it('expands :: and accepts a trailing dotted quad', () => {
    assert.equal(Buffer.from(v6('::')).toString('hex'), '0'.repeat(32));
    assert.equal(Buffer.from(v6('fd00::1')).toString('hex'), 'fd00' + '0'.repeat(26) + '01');
    assert.equal(Buffer.from(v6('::ffff:1.2.3.4')).toString('hex'), '0'.repeat(20) + 'ffff01020304');
    assert.equal(Buffer.from(v6('1:2:3:4:5:6:7:8')).toString('hex'), '00010002000300040005000600070008');
  });
  it('keeps the zone apart', () => {
    assert.deepEqual(parseIPv6('fe80::1%eth0')?.zone, 'eth0');
    assert.equal(parseIPv6('fe80::1%'), null);
  });
  it('rejects what Go rejects', () => {
    for (const bad of ['1::2::3', ':::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'g::1', ':1::', '1:::2',
      '1:2:3:4:5:6:7::8', '1:2:3:4:5:6:7:8::', '1.2.3.4::', '::1.2.3', '1:2:3:4:5:6:7:1.2.3.4']) {
      assert.equal(parseIPv6(bad), null, bad);
    }
  });
  it('prints RFC 5952 text, with IPv4-mapped addresses dotted as Go does', () => {
    const cases: Array<[string, string]> = [
      ['FD00:0:0:0:0:0:0:1', 'fd00::1'],
      ['0:0:0:0:0:0:0:0', '::'],
      ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
      ['1:0:0:2:0:0:3:4', '1::2:0:0:3:4'],
      ['1:0:2:3:4:5:6:7', '1:0:2:3:4:5:6:7'],
      ['::ffff:10.0.0.1', '::ffff:10.0.0.1'],
      ['::1.2.3.4', '::102:304'],
      ['abcd::255', 'abcd::255'],
    ];
    for (const [input, want] of cases) assert.equal(formatIPv6(v6(input)), want, input);
  });
});

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
  it('parseAddr tells the families apart', () => {
    assert.equal(parseAddr('1.2.3.4')?.family, 4);
    assert.equal(parseAddr('::1')?.family, 6);
    assert.equal(parseAddr('host.example'), null);
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
