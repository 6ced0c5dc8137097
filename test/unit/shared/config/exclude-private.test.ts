import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  canExcludePrivateIps, excludePrivateForPeers, excludePrivateIps, excludesPrivateIps, includePrivateForPeers, includePrivateIps,
} from '../../../../shared/config/index.js';

// The reference is computed here, independently of the code under test: an
// address is routed when some prefix matches it bit by bit, compared as text
// of binary digits (no ranges, no bigint arithmetic).
function bitsOfAddress(text: string): string {
  if (text.includes('.') && !text.includes(':')) return text.split('.').map((o) => Number(o).toString(2).padStart(8, '0')).join('');
  const [head = '', tail = ''] = text.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = text.includes('::') ? [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => parseInt(g, 16).toString(2).padStart(16, '0')).join('');
}
function matches(prefix: string, address: string): boolean {
  const [net = '', len = '0'] = prefix.split('/');
  const a = bitsOfAddress(address);
  const n = bitsOfAddress(net);
  return a.length === n.length && a.slice(0, Number(len)) === n.slice(0, Number(len));
}
const covered = (list: readonly string[], address: string) => list.some((p) => matches(p, address));

const V4_PRIVATE = ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/3'];
const V6_PRIVATE = ['fc00::/7', 'fe80::/10', 'ff00::/8'];

function v4(bytes: Uint8Array): string { return [...bytes.subarray(0, 4)].join('.'); }
function v6(bytes: Uint8Array): string {
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return g.join(':');
}
/** Random addresses, plus each private range's first and last address and their neighbours. */
function samples(): string[] {
  const out = ['0.0.0.0', '255.255.255.255', '9.255.255.255', '10.0.0.0', '10.255.255.255', '11.0.0.0', '100.63.255.255',
    '100.64.0.0', '100.127.255.255', '100.128.0.0', '169.253.255.255', '169.254.0.0', '169.254.255.255', '169.255.0.0',
    '172.15.255.255', '172.16.0.0', '172.31.255.255', '172.32.0.0', '192.167.255.255', '192.168.0.0', '192.168.255.255',
    '192.169.0.0', '223.255.255.255', '224.0.0.0', '10.8.0.1', '10.8.0.255', '10.8.1.0', '192.168.77.53', '192.168.77.54',
    '::', 'fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fc00::', 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fe00::',
    'fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fe80::', 'febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fec0::', 'ff00::',
    'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fd42::1', 'fd42::1:0', 'fd42::2', '2001:db8::1'];
  for (let i = 0; i < 3000; i++) { const b = randomBytes(16); out.push(v4(b), v6(b)); }
  // Random addresses inside each private range too.
  for (let i = 0; i < 500; i++) {
    const b = randomBytes(16);
    out.push(`10.${b[0]}.${b[1]}.${b[2]}`, `172.${16 + (b[0]! & 15)}.${b[1]}.${b[2]}`, `100.${64 + (b[0]! & 63)}.${b[1]}.${b[2]}`,
      `fd${(b[0]! & 255).toString(16)}::${b[1]!.toString(16)}`, `fe${(0x80 + (b[0]! & 63)).toString(16)}::${b[2]!.toString(16)}`);
  }
  return out;
}
const SAMPLES = samples();

const cases: { name: string; allowed: string[]; addresses: string[]; dns: string[]; families: (4 | 6)[] }[] = [
  { name: 'IPv4 wildcard, no Address or DNS in private space', allowed: ['0.0.0.0/0'], addresses: ['203.0.113.7/32'], dns: ['1.1.1.1'], families: [4] },
  { name: 'IPv4 wildcard, tunnel in 10.8.0.0/24 with DNS 10.8.0.1', allowed: ['0.0.0.0/0'], addresses: ['10.8.0.2/24'], dns: ['10.8.0.1'], families: [4] },
  { name: 'both wildcards, ULA tunnel address and a DNS in 192.168', allowed: ['0.0.0.0/0', '::/0'], addresses: ['10.8.0.2/32', 'fd42::2/64'], dns: ['192.168.77.53', 'fd42::1'], families: [4, 6] },
  { name: 'IPv6 wildcard only, beside a private IPv4 route', allowed: ['10.9.0.0/16', '::/0'], addresses: ['fd42::2/128', 'fe80::1/64'], dns: [], families: [6] },
  { name: 'wildcard plus an explicit private subnet that stays routed', allowed: ['0.0.0.0/0', '192.168.50.0/24'], addresses: ['10.8.0.2/32'], dns: [], families: [4] },
];

describe('excludePrivateIps against an independent reference', () => {
  for (const c of cases) {
    it(`routes exactly the public addresses plus what must stay reachable: ${c.name}`, () => {
      const out = excludePrivateIps(c.allowed, { addresses: c.addresses, dns: c.dns });
      const keep = [...c.addresses, ...c.dns.map((d) => (d.includes(':') ? `${d}/128` : `${d}/32`))]
        .filter((p) => !p.toLowerCase().startsWith('fe80'));
      for (const address of SAMPLES) {
        const family = address.includes(':') ? 6 : 4;
        const whole = family === 4 ? '0.0.0.0/0' : '::/0';
        const rewritten = c.families.includes(family);
        const expected = rewritten
          ? !covered(family === 4 ? V4_PRIVATE : V6_PRIVATE, address) || covered(keep, address) || covered(c.allowed.filter((a) => a !== whole), address)
          : covered(c.allowed, address);
        assert.equal(covered(out, address), expected, `${address} in ${out.join(', ')}`);
      }
      assert.equal(excludesPrivateIps(out), true);
      assert.equal(canExcludePrivateIps(out), true);
    });
  }

  it('writes the fewest prefixes: none inside another, no two that merge into one', () => {
    const out = excludePrivateIps(['0.0.0.0/0', '::/0'], { addresses: [], dns: [] });
    const parts = out.map((p) => { const [net = '', len = '0'] = p.split('/'); return { bits: bitsOfAddress(net), len: Number(len) }; });
    parts.forEach((a, i) => parts.forEach((b, j) => {
      if (i === j || a.bits.length !== b.bits.length) return;
      assert.ok(!(a.len <= b.len && a.bits.slice(0, a.len) === b.bits.slice(0, a.len)), `${out[i]} contains ${out[j]}`);
      assert.ok(!(a.len === b.len && a.bits.slice(0, a.len - 1) === b.bits.slice(0, a.len - 1)), `${out[i]} and ${out[j]} merge`);
    }));
  });

  it('gives the Android app\'s list when only its ranges are excluded', () => {
    // The Android app's 30 prefixes (RFC 1918 and 224/3 excluded) must all be
    // covered by ours save 100.64/10 and 169.254/16, and ours detected within theirs.
    const android = ['0.0.0.0/5', '8.0.0.0/7', '11.0.0.0/8', '12.0.0.0/6', '16.0.0.0/4', '32.0.0.0/3', '64.0.0.0/2', '128.0.0.0/3',
      '160.0.0.0/5', '168.0.0.0/6', '172.0.0.0/12', '172.32.0.0/11', '172.64.0.0/10', '172.128.0.0/9', '173.0.0.0/8', '174.0.0.0/7',
      '176.0.0.0/4', '192.0.0.0/9', '192.128.0.0/11', '192.160.0.0/13', '192.169.0.0/16', '192.170.0.0/15', '192.172.0.0/14',
      '192.176.0.0/12', '192.192.0.0/10', '193.0.0.0/8', '194.0.0.0/7', '196.0.0.0/6', '200.0.0.0/5', '208.0.0.0/4'];
    assert.equal(excludesPrivateIps(android), true, 'a config exported by the Android app shows the toggle on');
    assert.deepEqual(includePrivateIps(android), ['0.0.0.0/0']);
  });
});

describe('the toggle\'s state and round trip', () => {
  const table: [string[], boolean, boolean][] = [
    [['0.0.0.0/0'], true, false],
    [['0.0.0.0/0', '::/0'], true, false],
    [['10.0.0.0/8'], false, false],
    [['0.0.0.0/1', '128.0.0.0/1'], true, false],
    [[], false, false],
    [['0.0.0.0/0', 'fd00::/8'], true, false],
  ];
  for (const [allowed, can, excluding] of table) {
    it(`${allowed.join(', ') || '(none)'}: offered ${can}, on ${excluding}`, () => {
      assert.equal(canExcludePrivateIps(allowed), can);
      assert.equal(excludesPrivateIps(allowed), excluding);
    });
  }

  it('restores the original AllowedIPs exactly, order, spelling and redundant entries included', () => {
    const peers = [['10.8.0.0/24', '0.0.0.0/0', '::/0'], ['192.168.9.0/24'], ['0.0.0.0/0', '0.0.0.0/0']];
    const on = excludePrivateForPeers(peers, { addresses: ['10.8.0.2/24', 'fd42::2/64'], dns: ['10.8.0.1'] });
    assert.deepEqual(on.peers[1], ['192.168.9.0/24'], 'a peer without a wildcard is left alone');
    assert.ok(excludesPrivateIps(on.peers[0]!) && excludesPrivateIps(on.peers[2]!));
    const record = JSON.parse(JSON.stringify(on.record)) as typeof on.record; // as stored and read back after a restart
    assert.deepEqual(includePrivateForPeers(on.peers, record), peers);
  });

  it('without the record, or after an edit, goes back to the wildcard per family', () => {
    const on = excludePrivateForPeers([['0.0.0.0/0', '::/0']], { addresses: [], dns: [] });
    assert.deepEqual(includePrivateForPeers(on.peers, null), [['0.0.0.0/0', '::/0']]);
    const edited = [[...on.peers[0]!, '10.1.0.0/16']];
    assert.deepEqual(includePrivateForPeers(edited, on.record), [['0.0.0.0/0', '::/0']]);
  });

  it('ignores text that is not a prefix without throwing', () => {
    assert.deepEqual(excludePrivateIps(['bogus', '0.0.0.0/0'], { addresses: ['x'], dns: ['y'] }).slice(0, 1), ['bogus']);
  });
});
