import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cidrsOverlap, formatCidr, formatIp, hasHostBits, maskCidr, parseCidr, parseIp, parseIpEndpoint, parseIpv4, parseIpv6,
} from '../../../../shared/config/index.js';

function roundTrip(text: string): string | null {
  const ip = parseIp(text);
  return ip ? formatIp(ip.bytes) : null;
}

describe('parseIp and formatIp', () => {
  const canonical: [string, string, 4 | 6][] = [
    ['192.0.2.1', '192.0.2.1', 4],
    ['0.0.0.0', '0.0.0.0', 4],
    ['255.255.255.255', '255.255.255.255', 4],
    ['::', '::', 6],
    ['::1', '::1', 6],
    ['2001:DB8::1', '2001:db8::1', 6],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1', 6],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', 6], // first of two equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1', 6], // a single zero group is not compressed
    ['fd00::', 'fd00::', 6],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0', 6],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1', 6],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221', 6],
    ['fe80:0:0:0:0:0:0:1', 'fe80::1', 6],
  ];
  for (const [input, expected, family] of canonical) {
    it(`reads ${input} and prints it as ${expected}`, () => {
      assert.equal(parseIp(input)?.family, family);
      assert.equal(roundTrip(input), expected);
    });
  }

  const invalid = [
    '', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.4/24', ' 1.2.3.4', 'example.com',
    ':::', '1:::2', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', 'fe80::1%eth0',
    '::1.2.3.4:5', '1.2.3.4::', 'g::1', '[::1]',
  ];
  for (const input of invalid) {
    it(`rejects ${JSON.stringify(input)}`, () => assert.equal(parseIp(input), null));
  }

  it('refuses byte arrays that are not 4 or 16 long', () => {
    assert.throws(() => formatIp(new Uint8Array(5)), RangeError);
  });
});

describe('parseCidr and formatCidr', () => {
  it('gives a bare address a full-length prefix, as wg does', () => {
    assert.equal(parseCidr('10.0.0.1')?.cidr, 32);
    assert.equal(parseCidr('fd00::1')?.cidr, 128);
  });
  it('accepts leading zeros in the prefix length, as wg (strtoul) does', () => {
    assert.equal(parseCidr('10.0.0.0/024')?.cidr, 24);
  });
  const bad = ['10.0.0.0/33', 'fd00::/129', '10.0.0.0/', '10.0.0.0/a', '10.0.0.0/-1', '/24', '10.0.0.0/24/1'];
  for (const input of bad) {
    it(`rejects ${input}`, () => assert.equal(parseCidr(input), null));
  }
  it('prints a canonical prefix', () => {
    const c = parseCidr('2001:DB8:0:0::/32');
    assert.ok(c);
    assert.equal(formatCidr(c), '2001:db8::/32');
  });
});

describe('prefix arithmetic', () => {
  it('clears host bits', () => {
    const c = parseCidr('10.0.0.1/24');
    assert.ok(c);
    assert.equal(hasHostBits(c), true);
    assert.equal(formatCidr(maskCidr(c)), '10.0.0.0/24');
    const v6 = parseCidr('fd00::abcd/120');
    assert.ok(v6);
    assert.equal(formatCidr(maskCidr(v6)), 'fd00::ab00/120');
  });
  it('sees no host bits in a network address or a /0 of zeros', () => {
    for (const text of ['10.0.0.0/24', '0.0.0.0/0', '::/0', '10.1.2.3/32', '10.0.0.128/25']) {
      const c = parseCidr(text);
      assert.ok(c);
      assert.equal(hasHostBits(c), false, text);
    }
  });
  const overlaps: [string, string, boolean][] = [
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.1.0.0/16', '10.0.0.0/8', true],
    ['10.0.0.0/24', '10.0.1.0/24', false],
    ['0.0.0.0/0', '192.168.1.1/32', true],
    ['::/0', '0.0.0.0/0', false],
    ['fd00::/64', 'fd00::1/128', true],
    ['fd00::/64', 'fd00:0:0:1::/64', false],
  ];
  for (const [a, b, expected] of overlaps) {
    it(`${expected ? 'finds' : 'finds no'} overlap between ${a} and ${b}`, () => {
      const ca = parseCidr(a);
      const cb = parseCidr(b);
      assert.ok(ca && cb);
      assert.equal(cidrsOverlap(ca, cb), expected);
    });
  }
});

const v6 = (s: string): Uint8Array => {
  const r = parseIpv6(s);
  assert.ok(r, `${s} should parse`);
  return r.bytes;
};

describe('IPv4 addresses, as Go netip reads them', () => {
  it('reads dotted quads', () => {
    assert.deepEqual([...(parseIpv4('192.168.241.1') ?? [])], [192, 168, 241, 1]);
    assert.deepEqual([...(parseIpv4('0.0.0.0') ?? [])], [0, 0, 0, 0]);
  });
  it('rejects leading zeros, big octets, wrong field counts and junk', () => {
    for (const bad of ['01.2.3.4', '1.2.3.256', '1.2.3', '1.2.3.4.5', '1..3.4', ' 1.2.3.4', '1.2.3.4 ', '1.2.3.-4', '1.2.3.0x4', '']) {
      assert.equal(parseIpv4(bad), null, bad);
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
    assert.deepEqual(parseIpv6('fe80::1%eth0')?.zone, 'eth0');
    assert.equal(parseIpv6('fe80::1%'), null);
  });
  it('rejects what Go rejects', () => {
    for (const bad of ['1::2::3', ':::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'g::1', ':1::', '1:::2',
      '1:2:3:4:5:6:7::8', '1:2:3:4:5:6:7:8::', '1.2.3.4::', '::1.2.3', '1:2:3:4:5:6:7:1.2.3.4']) {
      assert.equal(parseIpv6(bad), null, bad);
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
    for (const [input, want] of cases) assert.equal(formatIp(v6(input)), want, input);
  });
});

describe('numeric endpoints, as UAPI endpoint= carries them', () => {
  it('reads IP:port and [IPv6]:port', () => {
    const e4 = parseIpEndpoint('127.0.0.1:51820');
    assert.deepEqual(e4 && { family: e4.family, port: e4.port, zone: e4.zone }, { family: 4, port: 51820, zone: null });
    const e6 = parseIpEndpoint('[fe80::1%eth0]:9');
    assert.deepEqual(e6 && { family: e6.family, port: e6.port, zone: e6.zone }, { family: 6, port: 9, zone: 'eth0' });
    assert.equal(parseIpEndpoint('1.2.3.4:0051820')?.port, 51820); // ParseUint allows leading zeros
  });
  it('rejects names, missing brackets, bad ports and stray brackets', () => {
    for (const bad of ['example.com:51820', '::1:51820', '[1.2.3.4]:1', '[::1]', '[::1]:', '1.2.3.4:65536', '1.2.3.4:-1',
      '1.2.3.4', ':51820', '[::1:51820', '[fe80::1%a/b]:1', '[fe80::1%]:1', '1.2.3.4:+80']) {
      assert.equal(parseIpEndpoint(bad), null, bad);
    }
  });
});
