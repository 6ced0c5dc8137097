// What counts as "the network I'm on", from `ip -j` dumps as iproute2 prints
// them, and how the kill switch's allow-lan mode accepts the same prefixes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCidr } from '../../../../shared/config/index.js';
import { lanLinks, onLinkPrefixes, withoutTunnelRanges } from '../../../../tunnel-helper/src/helper/netconfig/lan-prefixes.js';
import { killSwitchRuleset } from '../../../../tunnel-helper/src/helper/netconfig/kill-switch.js';
import { withLanLine } from '../../../../tunnel-helper/src/cli/show-command.js';

const LINKS = JSON.stringify([
  { ifname: 'lo', link_type: 'loopback', flags: ['LOOPBACK', 'UP'] },
  { ifname: 'eth0', link_type: 'ether', flags: ['BROADCAST', 'UP', 'LOWER_UP'] },
  { ifname: 'wlan0', link_type: 'ether', flags: ['BROADCAST'] },
  { ifname: 'tun9', link_type: 'none', flags: ['POINTOPOINT', 'UP'] },
  { ifname: 'wg0', link_type: 'none', flags: ['UP'] },
  { ifname: 'br-lab', link_type: 'ether', flags: ['UP'] },
]);
const ROUTES4 = JSON.stringify([
  { dst: 'default', gateway: '192.168.1.1', dev: 'eth0', flags: [] },
  { dst: '192.168.1.0/24', dev: 'eth0', protocol: 'kernel', scope: 'link', prefsrc: '192.168.1.23', flags: [] },
  { dst: '203.0.113.9', gateway: '192.168.1.1', dev: 'eth0', flags: [] }, // an endpoint's route loophole
  { dst: '198.51.100.7', dev: 'eth0', scope: 'link', flags: [] }, // a host route, on-link
  { dst: '10.0.0.0/8', dev: 'br-lab', scope: 'link', flags: [] },
  { dst: '172.20.0.0/16', dev: 'wlan0', scope: 'link', flags: [] }, // link down
  { dst: '10.67.0.0/24', dev: 'wg0', scope: 'link', flags: [] }, // the tunnel's own
  { dst: '100.64.5.0/24', dev: 'br-lab', scope: 'link', flags: ['linkdown'] },
  { type: 'multicast', dst: '239.0.0.0/8', dev: 'eth0', flags: [] },
  { dst: '10.99.0.0/16', via: { family: 'inet', host: '10.0.0.1' }, dev: 'br-lab', flags: [] },
]);
const ROUTES6 = JSON.stringify([
  { dst: '2001:db8:1::/64', dev: 'eth0', protocol: 'ra', metric: 100, flags: [] },
  { dst: 'fe80::/64', dev: 'eth0', protocol: 'kernel', flags: [] },
  { dst: 'default', gateway: 'fe80::1', dev: 'eth0', flags: [] },
  { dst: 'fd67::/64', dev: 'wg0', flags: [] },
]);

describe('the network I\'m on', () => {
  const links = lanLinks(LINKS, (name) => name === 'wg0');
  it('counts links that are up and carry frames, never a tunnel or loopback', () => {
    assert.deepEqual([...links].sort(), ['br-lab', 'eth0']);
  });
  it('takes the directly connected prefixes only: no default, gateway, host route, multicast, linkdown or link-local', () => {
    assert.deepEqual(onLinkPrefixes(ROUTES4, 4, links), [
      { family: 4, prefix: '192.168.1.0/24', dev: 'eth0' }, { family: 4, prefix: '10.0.0.0/8', dev: 'br-lab' },
    ]);
    assert.deepEqual(onLinkPrefixes(ROUTES6, 6, links), [{ family: 6, prefix: '2001:db8:1::/64', dev: 'eth0' }]);
  });
  it('cuts the tunnel\'s own Address prefix and DNS servers out of a LAN that contains them', () => {
    const lan = withoutTunnelRanges(onLinkPrefixes(ROUTES4, 4, links), ['10.67.0.2/24'], ['10.0.0.53']);
    const covered = (ip: string) => lan.some((r) => {
      const c = parseCidr(r.prefix)!; const a = parseCidr(ip)!;
      const bits = (b: Uint8Array) => [...b].map((x) => x.toString(2).padStart(8, '0')).join('');
      return bits(c.bytes).slice(0, c.cidr) === bits(a.bytes).slice(0, c.cidr);
    });
    assert.equal(covered('10.67.0.9'), false);
    assert.equal(covered('10.0.0.53'), false);
    assert.equal(covered('10.0.0.52'), true);
    assert.equal(covered('10.200.1.1'), true);
    assert.equal(covered('192.168.1.40'), true);
    assert.ok(lan.filter((r) => r.prefix.startsWith('10.')).every((r) => r.dev === 'br-lab'));
  });
  it('survives garbage from ip', () => {
    assert.deepEqual(onLinkPrefixes('not json', 4, links), []);
    assert.deepEqual([...lanLinks('{}', () => false)], []);
  });
});

describe('the kill switch agrees with the LAN bypass', () => {
  const plan = (mode: 'on' | 'allow-lan') => ({
    ifname: 'wg0', mode, fwmark: 51820, endpoints: [], addresses: [parseCidr('10.67.0.2/24')!], dns: [],
    lan: [parseCidr('198.51.100.0/24')!, parseCidr('2001:db8:1::/64')!],
  });
  it('allow-lan accepts the bypassed prefixes, after the drops of the tunnel\'s own ranges', () => {
    const text = killSwitchRuleset(plan('allow-lan'));
    const lanAt = text.indexOf('ip daddr { 198.51.100.0/24 } accept');
    assert.ok(lanAt > 0, text);
    assert.ok(text.indexOf('ip daddr { 10.67.0.0/24 } drop') < lanAt);
    assert.match(text, /ip6 daddr \{ 2001:db8:1::\/64 \} accept/);
  });
  it('strict mode still drops them: blocking wins', () => {
    assert.doesNotMatch(killSwitchRuleset(plan('on')), /198\.51\.100/);
  });
});

describe('wiredesk show', () => {
  const block = 'interface: wg0\n  public key: x\n  listening port: 1\n\npeer: y\n  allowed ips: 0.0.0.0/0\n';
  it('adds the exclude-lan line to the interface, before the peers', () => {
    assert.equal(withLanLine(block, 'wg0', [{ family: 4, prefix: '192.168.1.0/24', dev: 'eth0' }]),
      'interface: wg0\n  public key: x\n  listening port: 1\n  exclude lan: 192.168.1.0/24 (eth0)\n\npeer: y\n  allowed ips: 0.0.0.0/0\n');
    assert.match(withLanLine('interface: wg0\n', 'wg0', []), /exclude lan: \(no LAN subnet right now\)/);
    assert.equal(withLanLine(block, 'wg0', null), block);
  });
});
