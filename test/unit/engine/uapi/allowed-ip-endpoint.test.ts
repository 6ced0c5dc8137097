import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseIp, parseIpEndpoint } from '../../../../shared/config/ip.js';
import { formatEndpoint, formatPrefix, parsePrefix } from '../../../../tunnel-helper/src/engine/uapi/allowed-ip-endpoint.js';

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
  it('prints as wg-go does, without the zone', () => {
    assert.equal(formatEndpoint(parseIpEndpoint('[FD00::1]:51820') ?? assert.fail()), '[fd00::1]:51820');
    assert.equal(formatEndpoint(parseIpEndpoint('[fe80::1%3]:1') ?? assert.fail()), '[fe80::1]:1');
    assert.equal(formatEndpoint(parseIpEndpoint('10.0.0.1:1') ?? assert.fail()), '10.0.0.1:1');
  });
});
