// The kill switch rules that keep DNS and the tunnel's own ranges inside the
// tunnel, in both modes: the text of the ruleset, and the order of its rules
// (nft judges them top to bottom, the first accept or drop wins).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCidr, type Cidr } from '../../../../shared/config/index.js';
import { killSwitchRuleset, type KillSwitchPlan } from '../../../../tunnel-helper/src/helper/netconfig/kill-switch.js';
import { killSwitchPlanNow } from '../../../../tunnel-helper/src/helper/netconfig/kill-switch-change.js';
import type { BeginEntry, JournalEntry } from '../../../../tunnel-helper/src/helper/netconfig/journal.js';

const DNS53 = 'meta l4proto { tcp, udp } th dport 53';
const cidrs = (...texts: string[]): Cidr[] => texts.map((t) => parseCidr(t)!);

function plan(over: Partial<KillSwitchPlan> = {}): KillSwitchPlan {
  return {
    ifname: 'wg0', mode: 'on', fwmark: 0,
    endpoints: [{ host: '203.0.113.5', port: 51820 }],
    addresses: cidrs('10.67.0.2/24', 'fd67::2/64'),
    dns: ['10.67.0.53', 'fd67::53'],
    ...over,
  };
}

/** The rules of the egress chain, one per line, in order. */
function rules(p: KillSwitchPlan): string[] {
  return killSwitchRuleset(p).split('\n').filter((l) => l.startsWith('    ')).map((l) => l.trim()).slice(1);
}

function indexOf(list: string[], rule: string): number {
  const i = list.indexOf(rule);
  assert.ok(i >= 0, `missing rule: ${rule}\n${list.join('\n')}`);
  return i;
}

describe('kill switch: DNS only to the tunnel\'s DNS, through the tunnel', () => {
  for (const mode of ['on', 'allow-lan'] as const) {
    it(`${mode}: accepts port 53 to the tunnel's servers on the tunnel only, drops the rest on every interface`, () => {
      const list = rules(plan({ mode }));
      const accept4 = indexOf(list, `oifname "wg0" ip daddr { 10.67.0.53 } ${DNS53} accept`);
      const accept6 = indexOf(list, `oifname "wg0" ip6 daddr { fd67::53 } ${DNS53} accept`);
      const drop = indexOf(list, `${DNS53} drop`);
      const engine = indexOf(list, 'ip daddr 203.0.113.5 udp dport 51820 accept');
      assert.equal(indexOf(list, 'oifname "lo" accept'), 0, 'a local stub resolver stays reachable');
      assert.ok(engine < accept4, 'the engine first: an Endpoint on port 53 keeps working');
      assert.ok(accept4 < drop && accept6 < drop);
      assert.ok(drop < indexOf(list, 'oifname "wg0" accept'), 'other resolvers are not asked even through the tunnel');
      assert.ok(drop < indexOf(list, 'udp sport 68 udp dport 67 accept'), 'before every other exception');
      for (const r of list.slice(0, drop)) {
        if (r.includes('th dport 53')) assert.match(r, /^oifname "wg0" /, 'a DNS accept is bound to the tunnel');
      }
    });
  }

  it('with the engine marked by fwmark, the mark is exempt before the DNS drop', () => {
    const list = rules(plan({ fwmark: 51820 }));
    assert.ok(indexOf(list, 'meta mark 51820 accept') < indexOf(list, `${DNS53} drop`));
  });

  it('servers are written canonically and once', () => {
    const list = rules(plan({ dns: ['10.67.0.53', 'FD67:0:0::53', '10.67.0.53', 'fd67::53'] }));
    indexOf(list, `oifname "wg0" ip daddr { 10.67.0.53 } ${DNS53} accept`);
    indexOf(list, `oifname "wg0" ip6 daddr { fd67::53 } ${DNS53} accept`);
  });

  it('only IPv4 servers: no IPv6 accept, so IPv6 DNS is dropped everywhere', () => {
    const list = rules(plan({ dns: ['10.67.0.53'] }));
    assert.ok(!list.some((r) => r.startsWith('oifname "wg0" ip6 daddr') && r.includes('dport 53')));
    indexOf(list, `${DNS53} drop`);
  });

  it('a tunnel without DNS servers keeps the system resolver, asked through the tunnel only', () => {
    for (const mode of ['on', 'allow-lan'] as const) {
      const list = rules(plan({ mode, dns: [] }));
      const drop = indexOf(list, `oifname != "wg0" ${DNS53} drop`);
      assert.ok(drop < indexOf(list, 'oifname "wg0" accept'));
      assert.ok(!list.includes(`${DNS53} drop`));
      assert.ok(!list.some((r) => r.includes('dport 53 accept')));
    }
  });
});

describe('kill switch: the tunnel\'s addresses and DNS servers only through the tunnel', () => {
  it('allow-lan: the Address prefixes and DNS servers are dropped off the tunnel before the LAN accepts', () => {
    const list = rules(plan({ mode: 'allow-lan', dns: ['10.67.0.53', '10.68.0.53', 'fd67::53', '2001:db8::53'] }));
    const tunnel = indexOf(list, 'oifname "wg0" accept');
    // 10.67.0.53 and fd67::53 lie inside the prefixes (nft refuses overlapping set elements).
    const drop4 = indexOf(list, 'ip daddr { 10.67.0.0/24, 10.68.0.53 } drop');
    const drop6 = indexOf(list, 'ip6 daddr { fd67::/64, 2001:db8::53 } drop');
    const lan4 = list.findIndex((r) => r.startsWith('ip daddr { 10.0.0.0/8'));
    const lan6 = list.findIndex((r) => r.startsWith('ip6 daddr { fe80::/10'));
    assert.ok(tunnel < drop4 && tunnel < drop6, 'after the tunnel accept: they only leave through the tunnel');
    assert.ok(lan4 > drop4 && lan6 > drop6 && lan4 > drop6, 'before any LAN accept');
    assert.equal(list.at(-1), 'counter drop');
  });

  it('on: the same drops are there (nothing to open them, but the table says so in both modes)', () => {
    const list = rules(plan({ mode: 'on' }));
    assert.ok(indexOf(list, 'ip daddr { 10.67.0.0/24 } drop') > indexOf(list, 'oifname "wg0" accept'));
    indexOf(list, 'ip6 daddr { fd67::/64 } drop');
    assert.ok(!list.some((r) => r.includes('10.0.0.0/8')));
  });

  it('host bits are cleared, contained and repeated prefixes merged, IPv6 link-local left out', () => {
    const list = rules(plan({
      addresses: cidrs('192.168.201.2/24', '192.168.201.3/32', '10.9.8.7/32', '192.168.201.2/24', 'fe80::2/64', 'fd77::2/64'),
      dns: [],
    }));
    indexOf(list, 'ip daddr { 192.168.201.0/24, 10.9.8.7 } drop');
    indexOf(list, 'ip6 daddr { fd77::/64 } drop');
    assert.ok(!list.some((r) => r.includes('fe80::/64')));
  });

  it('a tunnel with neither addresses nor DNS gets no range drop', () => {
    const list = rules(plan({ addresses: [], dns: [] }));
    assert.ok(!list.some((r) => /^ip6? daddr \{.*\} drop$/.test(r)));
  });

  describe('changed in place, rebuilt from the journal and the engine', () => {
    const begin: BeginEntry = {
      op: 'begin', version: 1, ifname: 'wg0', netns: 'net:[1]', pid: 1, pidStart: '1', startedAt: '', killSwitch: 'on',
      saveConfig: false, dns: ['10.67.0.53'], dnsSearch: [], mtuFromConfig: false, hooks: { preUp: [], postUp: [], preDown: [], postDown: [] },
    };
    const entries = (b: BeginEntry): JournalEntry[] => [
      b, { op: 'address', family: 4, address: '10.67.0.2/24' },
      { op: 'lan-bypass', table: '52820', priority: 5300, routes: [{ family: 4, prefix: '192.168.7.0/24', dev: 'eth0' }] },
    ];
    const device = { fwmark: 51820, peers: [{ endpoint: '[2001:db8::5]:443' }, { endpoint: null }] } as unknown as Parameters<typeof killSwitchPlanNow>[3];

    it('takes the engine\'s fwmark and current endpoints, and the journaled addresses and LAN prefixes', () => {
      const p = killSwitchPlanNow('wg0', 'allow-lan', entries(begin), device);
      assert.equal(p.fwmark, 51820);
      assert.deepEqual(p.endpoints, [{ host: '2001:db8::5', port: 443 }]);
      assert.deepEqual(p.addresses.map((c) => c.cidr), [24]);
      assert.deepEqual(p.lan?.map((c) => c.cidr), [24]);
      assert.deepEqual(p.dns, ['10.67.0.53']);
    });

    it('keeps the system servers a split-DNS tunnel was brought up with (resolv.conf names the forwarder by then)', () => {
      const split = { ...begin, splitDns: ['corp.example'], killSwitchDns: ['10.67.0.53', '192.0.2.53'] };
      assert.deepEqual(killSwitchPlanNow('wg0', 'on', entries(split), device).dns, ['10.67.0.53', '192.0.2.53']);
      assert.ok(rules(killSwitchPlanNow('wg0', 'on', entries(split), device)).some((r) => r.includes('192.0.2.53')));
    });
  });
});
