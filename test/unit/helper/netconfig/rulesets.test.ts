// The nftables text netconfig generates: the kill switch and wg-quick's
// policy-routing tables, and how interface names become table names.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { killSwitchRuleset, parseKillSwitch } from '../../../../tunnel-helper/src/helper/netconfig/kill-switch.js';
import {
  deleteTableRuleset, killSwitchTableName, nftName, policyRoutingRuleset, routeTableName,
} from '../../../../tunnel-helper/src/helper/netconfig/nft-rules.js';

describe('nft table names', () => {
  it('keep ordinary interface names and escape the characters nft refuses, one-to-one', () => {
    assert.equal(killSwitchTableName('wg0'), 'wiredesk-wg0');
    assert.equal(routeTableName('office.vpn-1'), 'wiredesk-route-office.vpn-1');
    assert.equal(nftName('x-', 'a=b+c_d'), 'x-a_3db_2bc_5fd');
    assert.notEqual(nftName('x-', 'a_3d'), nftName('x-', 'a='));
  });
});

describe('kill switch ruleset', () => {
  const base = { ifname: 'wg0', endpoints: [{ host: '203.0.113.5', port: 51820 }, { host: '2001:db8::1', port: 443 }], addresses: [], dns: [] };

  it('replaces the table atomically and drops everything but the tunnel, loopback, DHCP and NDP', () => {
    const text = killSwitchRuleset({ ...base, mode: 'on', fwmark: 0 });
    assert.ok(text.startsWith('table inet wiredesk-wg0 {}\ndelete table inet wiredesk-wg0\ntable inet wiredesk-wg0 {\n'));
    for (const rule of [
      'type filter hook postrouting priority 300; policy accept;',
      'oifname "lo" accept',
      'oifname "wg0" accept',
      'udp sport 68 udp dport 67 accept',
      'meta nfproto ipv6 udp sport 546 udp dport 547 accept',
      'icmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert, mld2-listener-report } accept',
    ]) assert.ok(text.includes(`    ${rule}\n`), rule);
    assert.match(text, /\n {4}counter drop\n {2}\}\n\}\n$/);
    assert.doesNotMatch(text, /192\.168\.0\.0\/16/);
  });

  it('exempts the endpoints by address and port when the engine has no fwmark', () => {
    const text = killSwitchRuleset({ ...base, mode: 'on', fwmark: 0 });
    assert.ok(text.includes('    ip daddr 203.0.113.5 udp dport 51820 accept\n'));
    assert.ok(text.includes('    ip6 daddr 2001:db8::1 udp dport 443 accept\n'));
    assert.doesNotMatch(text, /meta mark \d+ accept/, 'no engine mark (the split-tunneling mark is another rule)');
  });

  it('exempts the engine by its fwmark when it has one (roaming endpoints stay reachable)', () => {
    const text = killSwitchRuleset({ ...base, mode: 'on', fwmark: 51820 });
    assert.ok(text.includes('    meta mark 51820 accept\n'));
    assert.doesNotMatch(text, /daddr 203\.0\.113\.5/);
  });

  it('allow-lan adds private, link-local and multicast destinations before the drop', () => {
    const text = killSwitchRuleset({ ...base, mode: 'allow-lan', fwmark: 0 });
    const lan4 = text.indexOf('ip daddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 224.0.0.0/4, 255.255.255.255 } accept');
    const lan6 = text.indexOf('ip6 daddr { fe80::/10, fc00::/7, ff00::/8 } accept');
    assert.ok(lan4 > 0 && lan6 > lan4 && text.indexOf('counter drop') > lan6);
  });

  it('parses the three modes only', () => {
    assert.equal(parseKillSwitch('allow-lan'), 'allow-lan');
    assert.equal(parseKillSwitch('On'), null);
  });
});

describe("wg-quick's policy-routing ruleset", () => {
  it('has the preraw, premangle and postmangle chains, one preraw drop per tunnel address', () => {
    assert.equal(policyRoutingRuleset('wg0', 4, 51820, ['10.0.0.2', '10.0.0.3']), [
      'add table ip wiredesk-route-wg0',
      'add chain ip wiredesk-route-wg0 preraw { type filter hook prerouting priority -300; }',
      'add chain ip wiredesk-route-wg0 premangle { type filter hook prerouting priority -150; }',
      'add chain ip wiredesk-route-wg0 postmangle { type filter hook postrouting priority -150; }',
      'add rule ip wiredesk-route-wg0 preraw iifname != "wg0" ip daddr 10.0.0.2 fib saddr type != local drop',
      'add rule ip wiredesk-route-wg0 preraw iifname != "wg0" ip daddr 10.0.0.3 fib saddr type != local drop',
      'add rule ip wiredesk-route-wg0 postmangle meta l4proto udp mark 51820 ct mark set mark',
      'add rule ip wiredesk-route-wg0 premangle meta l4proto udp meta mark set ct mark',
      '',
    ].join('\n'));
    assert.match(policyRoutingRuleset('wg0', 6, 51821, ['fd00::2']), /^add rule ip6 wiredesk-route-wg0 preraw iifname != "wg0" ip6 daddr fd00::2 fib/m);
  });

  it('deletes a table without failing when it is already gone', () => {
    assert.equal(deleteTableRuleset('inet', 'wiredesk-wg0'), 'add table inet wiredesk-wg0\ndelete table inet wiredesk-wg0\n');
  });
});
