import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkConfig, hasErrors } from '../../../../shared/config/index.js';
import { A, B, conf, errors } from './helpers.js';

const IF = ['[Interface]', `PrivateKey = ${A.priv}`];
const PEER = ['[Peer]', `PublicKey = ${B.pub}`];
/** Interface (lines 1-2), then the given interface lines from line 3. */
const inInterface = (...lines: string[]) => conf(...IF, ...lines);
/** Interface (1-2), peer (3-4), then the given peer lines from line 5. */
const inPeer = (...lines: string[]) => conf(...IF, ...PEER, ...lines);

interface Case {
  readonly what: string;
  readonly text: string;
  readonly line: number;
  readonly column?: number;
  readonly message: RegExp | string;
}

const cases: Case[] = [
  // Keys
  { what: 'a PublicKey one character short', text: conf(...IF, '[Peer]', `PublicKey = ${B.pub.slice(1)}`), line: 4, column: 13, message: 'PublicKey must be 44 characters of base64 (32 bytes); got 43 characters.' },
  { what: 'a PrivateKey with a character outside base64', text: conf('[Interface]', `PrivateKey = ${A.priv.slice(0, 5)}*${A.priv.slice(6)}`), line: 2, column: 14, message: /PrivateKey has a character that is not base64 at position 6: "\*"/ },
  { what: 'a PresharedKey written in hex', text: inPeer(`PresharedKey = ${'ab'.repeat(32)}`), line: 5, message: /PresharedKey looks like hex/ },
  { what: 'a key without its trailing "="', text: inPeer(`PresharedKey = ${A.priv.slice(0, 43)}A`), line: 5, message: /must end with "="/ },
  { what: 'a key whose last character carries stray bits', text: inPeer(`PresharedKey = ${A.priv.slice(0, 42)}B=`), line: 5, message: /does not decode to exactly 32 bytes/ },
  { what: 'an empty PrivateKey', text: conf('[Interface]', 'PrivateKey ='), line: 2, message: 'PrivateKey needs a value.' },
  // Addresses and prefixes
  { what: 'an IPv4 AllowedIPs prefix over 32', text: inPeer('AllowedIPs = 10.0.0.0/8, 10.0.0.0/33'), line: 5, column: 26, message: /"10.0.0.0\/33" has a bad prefix length/ },
  { what: 'an IPv6 AllowedIPs prefix over 128', text: inPeer('AllowedIPs = fd00::/129'), line: 5, message: /bad prefix length/ },
  { what: 'a malformed compressed IPv6 in AllowedIPs', text: inPeer('AllowedIPs = fd00::1::2/128'), line: 5, message: /"fd00::1::2\/128" is not a valid IP address/ },
  { what: 'an IPv4 octet over 255 in AllowedIPs', text: inPeer('AllowedIPs = 10.0.0.256/32'), line: 5, message: /not a valid IP address/ },
  { what: 'an empty AllowedIPs entry (trailing comma)', text: inPeer('AllowedIPs = 10.0.0.0/8,'), line: 5, message: /empty entry; remove the extra comma/ },
  { what: 'an incremental "+" AllowedIPs entry', text: inPeer('AllowedIPs = +10.0.0.0/8'), line: 5, message: /Remove the "\+" before 10.0.0.0\/8/ },
  { what: 'a bad IPv4 Address', text: inInterface('Address = 10.0.0.2/24, 10.0.0/24'), line: 3, column: 24, message: /Address entry "10.0.0\/24" is not a valid IP address/ },
  { what: 'a bad IPv6 Address', text: inInterface('Address = fd00::g/64'), line: 3, message: /Address entry "fd00::g\/64"/ },
  { what: 'an Address prefix over 128', text: inInterface('Address = fd00::2/200'), line: 3, message: /bad prefix length/ },
  { what: 'a DNS server that is not an IP', text: inInterface('DNS = 10.0.0.1, 1.2.3'), line: 3, column: 17, message: 'DNS server "1.2.3" is not a valid IP address.' },
  { what: 'a DNS IPv6 server that does not parse', text: inInterface('DNS = fd00:::53'), line: 3, message: /DNS server "fd00:::53"/ },
  { what: 'a DNS search domain that looks like an option', text: inInterface('DNS = 10.0.0.1, corp.example.com, --interface=eth0'), line: 3, column: 35, message: /DNS search domain "--interface=eth0" is not a valid domain name/ },
  // Numbers
  { what: 'a ListenPort over 65535', text: inInterface('ListenPort = 65536'), line: 3, column: 14, message: 'ListenPort must be a number from 0 to 65535; got "65536".' },
  { what: 'a ListenPort that is not a number', text: inInterface('ListenPort = wireguard'), line: 3, message: /ListenPort must be a number/ },
  { what: 'a FwMark over 32 bits', text: inInterface('FwMark = 0x100000000'), line: 3, message: /FwMark must be off or a number from 0 to 0xffffffff/ },
  { what: 'a FwMark with an upper-case 0X (wg reads it as decimal)', text: inInterface('FwMark = 0X10'), line: 3, message: /FwMark must be/ },
  { what: 'a negative FwMark', text: inInterface('FwMark = -1'), line: 3, message: /FwMark must be/ },
  { what: 'an MTU under 576', text: inInterface('MTU = 575'), line: 3, message: 'MTU must be a number from 576 to 65535; got "575".' },
  { what: 'an MTU over 65535', text: inInterface('MTU = 65536'), line: 3, message: /MTU must be a number from 576 to 65535/ },
  { what: 'a Table that is not off, auto, main or a number', text: inInterface('Table = vpn'), line: 3, message: /Table must be off, auto, main or a routing table number/ },
  { what: 'a Table "Off" in the wrong case (wg-quick compares it literally)', text: inInterface('Table = Off'), line: 3, message: 'Write Table in lower case: "off".' },
  { what: 'Table = 0', text: inInterface('Table = 0'), line: 3, message: /from 1 to 4294967295/ },
  { what: 'SaveConfig that is neither true nor false', text: inInterface('SaveConfig = yes'), line: 3, message: 'SaveConfig must be true or false; got "yes".' },
  { what: 'an empty SaveConfig', text: inInterface('SaveConfig ='), line: 3, message: 'SaveConfig needs a value.' },
  { what: 'a PersistentKeepalive over 65535', text: inPeer('PersistentKeepalive = 65536'), line: 5, message: /PersistentKeepalive must be off or a number of seconds from 0 to 65535/ },
  { what: 'a PersistentKeepalive that is not a number', text: inPeer('PersistentKeepalive = often'), line: 5, message: /PersistentKeepalive must be/ },
  // Endpoints
  { what: 'an Endpoint without a port', text: inPeer('Endpoint = 192.0.2.1'), line: 5, column: 12, message: 'Endpoint needs a port, e.g. 192.0.2.1:51820.' },
  { what: 'a host-name Endpoint without a port', text: inPeer('Endpoint = vpn.example.com'), line: 5, message: 'Endpoint needs a port, e.g. vpn.example.com:51820.' },
  { what: 'an Endpoint with an empty port', text: inPeer('Endpoint = 192.0.2.1:'), line: 5, message: /Endpoint needs a port/ },
  { what: 'a bracketed Endpoint without a port', text: inPeer('Endpoint = [2001:db8::1]'), line: 5, message: /Endpoint needs a port after the address, e.g. \[2001:db8::1\]:51820/ },
  { what: 'an Endpoint port of 0', text: inPeer('Endpoint = 192.0.2.1:0'), line: 5, message: 'Endpoint port must be a number from 1 to 65535; got "0".' },
  { what: 'an Endpoint port over 65535', text: inPeer('Endpoint = 192.0.2.1:65536'), line: 5, message: /Endpoint port must be a number from 1 to 65535/ },
  { what: 'an IPv6 Endpoint without brackets', text: inPeer('Endpoint = 2001:db8::1:51820'), line: 5, message: /Put an IPv6 Endpoint in brackets/ },
  { what: 'brackets around an IPv4 Endpoint', text: inPeer('Endpoint = [192.0.2.1]:51820'), line: 5, message: /brackets must hold an IPv6 address/ },
  { what: 'an unclosed bracket in an Endpoint', text: inPeer('Endpoint = [2001:db8::1:51820'), line: 5, message: /missing its closing "\]"/ },
  { what: 'an Endpoint with an impossible IPv4 address', text: inPeer('Endpoint = 192.0.2.256:51820'), line: 5, message: /192.0.2.256 is not a valid IPv4 address/ },
  { what: 'an Endpoint host with spaces or odd characters', text: inPeer('Endpoint = vpn!example.com:51820'), line: 5, message: /not a valid host name or IP address/ },
  // Structure
  { what: 'a line outside any section', text: conf('# comment first', 'ListenPort = 1', ...IF), line: 2, column: 1, message: 'Put this line under an [Interface] or [Peer] section header.' },
  { what: 'a line with no "="', text: inInterface('ListenPort 51820'), line: 3, column: 1, message: 'Write this as "Key = value"; the line has no "=".' },
  { what: 'a line with no key before "="', text: inInterface('= 51820'), line: 3, message: 'Add a key name before the "=".' },
  { what: 'an unknown section', text: conf(...IF, '[Server]', 'Foo = bar'), line: 3, column: 1, message: 'Unknown section [Server]; a .conf has only [Interface] and [Peer] sections.' },
  { what: 'a malformed section header', text: conf(...IF, '[Peer', `PublicKey = ${B.pub}`), line: 3, message: /Write the section header as \[Interface\] or \[Peer\]/ },
  { what: 'spaces inside [ Interface ]', text: conf('[ Interface ]', `PrivateKey = ${A.priv}`), line: 1, message: /Write \[Interface\] without spaces/ },
  { what: 'an unknown Interface key, with a suggestion', text: inInterface('ListenPrt = 1'), line: 3, message: 'Unknown key "ListenPrt" in [Interface]; did you mean ListenPort?' },
  { what: 'an unknown Peer key', text: inPeer('Comment = laptop'), line: 5, message: /Unknown key "Comment" in \[Peer\]; the keys allowed here are PublicKey, PresharedKey, AllowedIPs, Endpoint, PersistentKeepalive\./ },
  { what: 'a Peer key in [Interface]', text: inInterface('AllowedIPs = 10.0.0.0/8'), line: 3, message: 'AllowedIPs belongs in the [Peer] section, not [Interface].' },
  { what: 'an Interface key in [Peer]', text: inPeer('DNS = 10.0.0.1'), line: 5, message: 'DNS belongs in the [Interface] section, not [Peer].' },
  // Required keys and duplicates
  { what: 'a peer without PublicKey, reported at its [Peer] line', text: conf(...IF, ...PEER, '', '[Peer]', 'AllowedIPs = 10.0.0.3/32'), line: 6, column: 1, message: "This [Peer] has no PublicKey; add the peer's public key." },
  { what: 'a duplicate peer, reported at the second PublicKey line', text: conf(...IF, ...PEER, 'AllowedIPs = 10.0.0.2/32', '', '[Peer]', '# again', `PublicKey = ${B.pub}`), line: 9, column: 13, message: 'This PublicKey is already used by the peer on line 3; merge the two [Peer] sections or remove one.' },
  { what: 'an interface without PrivateKey, reported at [Interface]', text: conf('# fresh', '[Interface]', 'ListenPort = 51820'), line: 2, column: 1, message: '[Interface] has no PrivateKey; add one (wg genkey makes one).' },
  { what: 'a missing [Interface] section, reported at line 1', text: conf('# only peers', ...PEER), line: 1, column: 1, message: 'This file has no [Interface] section; add one with a PrivateKey.' },
];

describe('validateConfig: each error at its exact line', () => {
  for (const c of cases) {
    it(`reports ${c.what} on line ${c.line}`, () => {
      const found = errors(c.text);
      assert.equal(found.length, 1, `expected one error, got: ${JSON.stringify(found)}`);
      const [d] = found;
      assert.equal(d?.line, c.line);
      if (c.column !== undefined) assert.equal(d?.column, c.column);
      if (typeof c.message === 'string') assert.equal(d?.message, c.message);
      else assert.match(d?.message ?? '', c.message);
    });
  }

  it('reports several errors sorted by line', () => {
    const text = conf('stray', '[Interface]', `PrivateKey = ${A.priv}`, 'MTU = 1', '[Peer]', 'AllowedIPs = 10.0.0.0/40');
    const lines = checkConfig(text).map((d) => d.line);
    assert.deepEqual(lines, [1, 4, 5, 6]);
    assert.ok(hasErrors(checkConfig(text)));
  });

  it('ignores the lines of an unknown section after flagging its header once', () => {
    const found = errors(conf(...IF, '[Server]', 'Foo = bar', 'no equals here'));
    assert.deepEqual(found.map((d) => d.line), [3]);
  });
});
