import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCidr, hasErrors, parseConfig, toWgConfig } from '../../../../shared/config/index.js';
import { A, B, C, D, check, conf, warnings } from './helpers.js';

const IF = ['[Interface]', `PrivateKey = ${A.priv}`];

/** Interface on lines 1-2; peer n starts at line 3 + 3n with PublicKey and AllowedIPs. */
function peers(...allowed: string[]): string {
  const keys = [B.pub, C.pub, D.pub];
  return conf(...IF, ...allowed.flatMap((a, i) => ['[Peer]', `PublicKey = ${keys[i]}`, `AllowedIPs = ${a}`]));
}

interface Case {
  readonly what: string;
  readonly text: string;
  readonly line: number;
  readonly column?: number;
  readonly message: RegExp | string;
}

const cases: Case[] = [
  { what: 'AllowedIPs with host bits set', text: peers('10.0.0.1/24'), line: 5, column: 14, message: 'AllowedIPs 10.0.0.1/24 has host bits set; did you mean 10.0.0.0/24?' },
  { what: 'IPv6 AllowedIPs with host bits set', text: peers('fd00::1/64'), line: 5, message: 'AllowedIPs fd00::1/64 has host bits set; did you mean fd00::/64?' },
  { what: 'AllowedIPs of one peer inside another peer\'s', text: peers('10.0.0.0/16', '10.0.5.0/24'), line: 8, column: 14, message: 'AllowedIPs 10.0.5.0/24 overlaps 10.0.0.0/16 on the peer on line 3; packets go to whichever prefix is more specific.' },
  { what: 'AllowedIPs of one peer around another peer\'s', text: peers('10.0.5.0/24', '10.0.0.0/16'), line: 8, message: 'AllowedIPs 10.0.0.0/16 overlaps 10.0.5.0/24 on the peer on line 3; packets go to whichever prefix is more specific.' },
  { what: 'the same AllowedIPs on two peers', text: peers('10.0.0.2/32', '192.168.0.0/24, 10.0.0.2/32'), line: 8, column: 30, message: 'AllowedIPs 10.0.0.2/32 is also on the peer on line 3; WireGuard gives it to this later peer only.' },
  { what: 'a /0 on several peers', text: peers('0.0.0.0/0', '0.0.0.0/0'), line: 8, message: '0.0.0.0/0 is also on the peer on line 3; only one peer can take all IPv4 traffic, and WireGuard gives it to this later one.' },
  { what: 'an IPv6 /0 on several peers', text: peers('::/0', '::/0'), line: 8, message: /::\/0 is also on the peer on line 3; only one peer can take all IPv6 traffic/ },
  { what: "the Android app's ExcludedApplications", text: conf(...IF, 'ExcludedApplications = com.example.bank'), line: 3, message: 'ExcludedApplications is a setting of the Android app; WireDesk ignores it, and wg-quick would reject it.' },
  { what: "the Android app's IncludedApplications", text: conf(...IF, 'includedapplications = com.example.mail'), line: 3, message: /IncludedApplications is a setting of the Android app/ },
  { what: 'a single-valued key set twice', text: conf(...IF, 'ListenPort = 1', 'ListenPort = 2'), line: 4, message: 'ListenPort is already set on line 3; this later value wins. Remove one of them.' },
  { what: 'a second [Interface] section', text: conf(...IF, '[Interface]', 'ListenPort = 2'), line: 3, message: /second \[Interface\] section merges into the first/ },
  { what: 'spaces inside [ Peer ]', text: conf(...IF, '[ Peer ]', `PublicKey = ${B.pub}`), line: 3, message: /Write \[Peer\] without spaces/ },
  { what: 'an empty wg-quick key', text: conf(...IF, 'DNS ='), line: 3, message: 'DNS is empty, so wg-quick ignores it; remove the line or give it a value.' },
  { what: "a peer holding the interface's own public key", text: conf(...IF, '[Peer]', `PublicKey = ${A.pub}`), line: 4, message: /interface's own public key, so WireGuard ignores this peer/ },
];

describe('validateConfig: warnings', () => {
  for (const c of cases) {
    it(`warns about ${c.what} on line ${c.line}, without failing validation`, () => {
      const all = check(c.text);
      assert.equal(hasErrors(all), false, JSON.stringify(all));
      const found = warnings(c.text);
      assert.equal(found.length, 1, JSON.stringify(found));
      const [d] = found;
      assert.equal(d?.line, c.line);
      if (c.column !== undefined) assert.equal(d?.column, c.column);
      if (typeof c.message === 'string') assert.equal(d?.message, c.message);
      else assert.match(d?.message ?? '', c.message);
    });
  }

  it('does not warn about disjoint AllowedIPs, or IPv4 next to IPv6', () => {
    assert.deepEqual(warnings(peers('10.0.0.2/32, fd00::2/128', '10.0.0.3/32, fd00::3/128', '128.0.0.0/1')), []);
    assert.deepEqual(warnings(peers('0.0.0.0/0', '::/0')), []);
  });

  it('names the earliest peer when a prefix overlaps several', () => {
    const found = warnings(peers('10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24'));
    assert.deepEqual(found.map((d) => [d.line, d.message.match(/on line (\d+)/)?.[1]]), [[8, '3'], [11, '3']]);
  });

  it('still converts a config that only has warnings', () => {
    const wg = toWgConfig(parseConfig(peers('10.0.0.1/24', '10.0.0.0/24')));
    // Host bits are cleared, as WireGuard does when it stores the prefix.
    assert.deepEqual(wg.peers.map((p) => formatCidr(p.allowedIps[0]!)), ['10.0.0.0/24', '10.0.0.0/24']);
  });

  it('does not warn about SaveConfig = false', () => {
    assert.deepEqual(warnings(conf(...IF, 'SaveConfig = false')), []);
  });
});
