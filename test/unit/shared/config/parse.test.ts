import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  encodeKey, entriesOf, formatCidr, parseConfig, toQuickConfig, toWgConfig,
} from '../../../../shared/config/index.js';
import { A, B, C, check, conf, errors, validConf } from './helpers.js';

describe('parseConfig: reading lines as wg and wg-quick do', () => {
  it('records each key with its line number and columns', () => {
    const p = parseConfig(validConf('AllowedIPs = 10.0.0.0/24'));
    assert.equal(p.interface?.line, 1);
    assert.deepEqual(p.interface?.entries.map((e) => [e.name, e.line]), [['PrivateKey', 2]]);
    const allowed = entriesOf(p.peers[0], 'AllowedIPs')[0];
    assert.equal(allowed?.line, 6);
    assert.equal(allowed?.keyColumn, 1);
    assert.equal(allowed?.valueColumn, 14);
    assert.equal(allowed?.value, '10.0.0.0/24');
  });

  it('treats key and section names case-insensitively', () => {
    const p = parseConfig(conf('[INTERFACE]', `privatekey = ${A.priv}`, 'LISTENPORT = 1', '[peer]', `PUBLICKEY = ${B.pub}`, 'allowedips = 10.0.0.0/8'));
    assert.deepEqual(check(conf('[INTERFACE]', `privatekey = ${A.priv}`, '[peer]', `PUBLICKEY = ${B.pub}`)), []);
    assert.deepEqual(p.interface?.entries.map((e) => e.name), ['PrivateKey', 'ListenPort']);
    assert.deepEqual(p.peers[0]?.entries.map((e) => e.name), ['PublicKey', 'AllowedIPs']);
    assert.equal(p.peers[0]?.entries[0]?.key, 'PUBLICKEY');
  });

  it('reads the odd casing some servers issue (AllowedIps, PersistentKeepAlive)', () => {
    const text = validConf('AllowedIps = 10.9.0.0/16', 'PersistentKeepAlive = 21');
    assert.deepEqual(check(text), []);
    const wg = toWgConfig(parseConfig(text));
    assert.equal(wg.peers[0]?.persistentKeepalive, 21);
    assert.deepEqual(wg.peers[0]?.allowedIps.map(formatCidr), ['10.9.0.0/16']);
  });

  it('ignores comments and blank lines, and cuts a comment off a value', () => {
    const text = conf('# top', '', '[Interface] # me', `PrivateKey = ${A.priv} # secret`, '  # indented comment', '', '[Peer]', `PublicKey = ${B.pub}#tight`, 'AllowedIPs = 10.0.0.0/8 # lan');
    assert.deepEqual(check(text), []);
    const p = parseConfig(text);
    assert.equal(p.interface?.line, 3);
    assert.equal(p.peers[0]?.entries[0]?.value, B.pub);
    assert.equal(p.peers[0]?.entries[1]?.value, '10.0.0.0/8');
  });

  it('accepts tabs and stray whitespace around keys, "=" and values', () => {
    const text = conf('  [Interface]\t', `\tPrivateKey\t=\t${A.priv}   `, 'ListenPort=51820', '\t [Peer]', `   PublicKey    =${B.pub}`, 'AllowedIPs =  10.0.0.0/8 ,  fd00::/8\t');
    assert.deepEqual(check(text), []);
    const wg = toWgConfig(parseConfig(text));
    assert.equal(wg.listenPort, 51820);
    assert.equal(encodeKey(wg.peers[0]?.publicKey ?? new Uint8Array(32)), B.pub);
    assert.deepEqual(wg.peers[0]?.allowedIps.map(formatCidr), ['10.0.0.0/8', 'fd00::/8']);
  });

  it('accepts CRLF line endings and a UTF-8 BOM', () => {
    const text = `\uFEFF${validConf('AllowedIPs = 10.0.0.0/24', 'Endpoint = 192.0.2.1:51820').replace(/\n/g, '\r\n')}`;
    const p = parseConfig(text);
    assert.equal(p.bom, true);
    assert.deepEqual(check(text), []);
    assert.equal(p.interface?.line, 1);
    assert.deepEqual(toWgConfig(p).peers[0]?.endpoint, { host: '192.0.2.1', port: 51820 });
  });

  it('accepts spaces inside wg key names and values, since wg removes them all', () => {
    const text = conf('[Interface]', `Private Key = ${A.priv.slice(0, 20)} ${A.priv.slice(20)}`, '[Peer]', `PublicKey = ${B.pub}`);
    assert.deepEqual(check(text), []);
  });

  it('appends repeated AllowedIPs, Address and DNS lines', () => {
    const text = conf('[Interface]', `PrivateKey = ${A.priv}`, 'Address = 10.0.0.2/24', 'Address = fd00::2/64', 'DNS = 10.0.0.1', 'DNS = fd00::1',
      '[Peer]', `PublicKey = ${B.pub}`, 'AllowedIPs = 10.0.0.0/24', 'AllowedIPs = 10.1.0.0/16', 'AllowedIPs = fd00::/64');
    const p = parseConfig(text);
    assert.deepEqual(toWgConfig(p).peers[0]?.allowedIps.map(formatCidr), ['10.0.0.0/24', '10.1.0.0/16', 'fd00::/64']);
    const quick = toQuickConfig(p);
    assert.deepEqual(quick.addresses.map(formatCidr), ['10.0.0.2/24', 'fd00::2/64']);
    assert.deepEqual(quick.dns, ['10.0.0.1', 'fd00::1']);
  });

  it('splits comma lists with spaces, and wg-quick lists on spaces too', () => {
    const text = conf('[Interface]', `PrivateKey = ${A.priv}`, 'Address = 10.0.0.2/24 , 10.0.1.2/24 10.0.2.2', 'DNS = 1.1.1.1,8.8.8.8  9.9.9.9');
    const quick = toQuickConfig(parseConfig(text));
    assert.deepEqual(quick.addresses.map(formatCidr), ['10.0.0.2/24', '10.0.1.2/24', '10.0.2.2/32']);
    assert.deepEqual(quick.dns, ['1.1.1.1', '8.8.8.8', '9.9.9.9']);
  });

  it('turns DNS entries that are not IPs into search domains', () => {
    const text = conf('[Interface]', `PrivateKey = ${A.priv}`, 'DNS = 10.0.0.1, corp.example.com, fd00::53, lab');
    const quick = toQuickConfig(parseConfig(text));
    assert.deepEqual(quick.dns, ['10.0.0.1', 'fd00::53']);
    assert.deepEqual(quick.dnsSearch, ['corp.example.com', 'lab']);
  });

  it('reads every Interface key', () => {
    const text = conf('[Interface]', `PrivateKey = ${A.priv}`, 'ListenPort = 51820', 'FwMark = 0xca6c', 'Address = 10.0.0.2/24', 'DNS = 10.0.0.1',
      'MTU = 1420', 'Table = 1234', 'PreUp = echo pre-up', 'PostUp = echo post-up', 'PreDown = echo pre-down', 'PostDown = echo post-down', 'SaveConfig = false');
    const p = parseConfig(text);
    assert.deepEqual(errors(text), []);
    const wg = toWgConfig(p);
    assert.equal(encodeKey(wg.privateKey ?? new Uint8Array(32)), A.priv);
    assert.equal(wg.listenPort, 51820);
    assert.equal(wg.fwMark, 0xca6c);
    const quick = toQuickConfig(p);
    assert.equal(quick.mtu, 1420);
    assert.equal(quick.table, 1234);
    assert.deepEqual([quick.preUp, quick.postUp, quick.preDown, quick.postDown], [['echo pre-up'], ['echo post-up'], ['echo pre-down'], ['echo post-down']]);
    assert.equal(quick.saveConfig, false);
  });

  it('reads every Peer key', () => {
    const text = validConf(`PresharedKey = ${C.psk}`, 'AllowedIPs = 10.0.0.0/24', 'Endpoint = 192.0.2.1:51820', 'PersistentKeepalive = 25');
    const peer = toWgConfig(parseConfig(text)).peers[0];
    assert.equal(encodeKey(peer?.presharedKey ?? new Uint8Array(32)), C.psk);
    assert.deepEqual(peer?.endpoint, { host: '192.0.2.1', port: 51820 });
    assert.equal(peer?.persistentKeepalive, 25);
  });

  const endpoints: [string, string, number][] = [
    ['203.0.113.5:51820', '203.0.113.5', 51820],
    ['[2001:db8::1]:51820', '2001:db8::1', 51820],
    ['[fe80::1%eth0]:1', 'fe80::1%eth0', 1],
    ['vpn.example.com:443', 'vpn.example.com', 443],
    ['does-not-exist.invalid:51820', 'does-not-exist.invalid', 51820],
    ['localhost:65535', 'localhost', 65535],
  ];
  for (const [value, host, port] of endpoints) {
    it(`reads Endpoint ${value} without resolving it`, () => {
      const text = validConf(`Endpoint = ${value}`);
      assert.deepEqual(errors(text), []);
      assert.deepEqual(toWgConfig(parseConfig(text)).peers[0]?.endpoint, { host, port });
    });
  }

  it('reads PersistentKeepalive = off as 0, and leaves it unset when absent', () => {
    assert.equal(toWgConfig(parseConfig(validConf('PersistentKeepalive = off'))).peers[0]?.persistentKeepalive, 0);
    assert.equal(toWgConfig(parseConfig(validConf('PersistentKeepalive = OFF'))).peers[0]?.persistentKeepalive, 0);
    assert.equal(toWgConfig(parseConfig(validConf())).peers[0]?.persistentKeepalive, undefined);
  });

  it('reads FwMark in decimal, 0x hex, and off', () => {
    const mark = (v: string) => toWgConfig(parseConfig(conf('[Interface]', `PrivateKey = ${A.priv}`, `FwMark = ${v}`))).fwMark;
    assert.equal(mark('51820'), 51820);
    assert.equal(mark('0xffffffff'), 0xffffffff);
    assert.equal(mark('off'), 0);
    assert.equal(mark('0'), 0);
  });

  it('keeps the raw text of hooks, "#" included, as wg-quick does', () => {
    const text = conf('[Interface]', `PrivateKey = ${A.priv}`, 'PostUp = iptables -A FORWARD -i %i -j ACCEPT # allow forwarding ', 'PostUp = echo "a#b" ; echo done');
    const quick = toQuickConfig(parseConfig(text));
    assert.deepEqual(quick.postUp, ['iptables -A FORWARD -i %i -j ACCEPT # allow forwarding', 'echo "a#b" ; echo done']);
  });

  it('lets the last value of a repeated single-valued key win, as wg does', () => {
    const text = conf('[Interface]', `PrivateKey = ${A.priv}`, 'ListenPort = 1000', 'ListenPort = 2000');
    assert.equal(toWgConfig(parseConfig(text)).listenPort, 2000);
  });

  it('merges a second [Interface] section into the first, as wg does', () => {
    const text = conf('[Interface]', `PrivateKey = ${A.priv}`, '[Peer]', `PublicKey = ${B.pub}`, '[Interface]', 'ListenPort = 4000');
    const p = parseConfig(text);
    assert.equal(p.interface?.line, 1);
    assert.equal(toWgConfig(p).listenPort, 4000);
    assert.equal(p.peers.length, 1);
  });

  it('accepts a [Peer] before the [Interface]', () => {
    const text = conf('[Peer]', `PublicKey = ${B.pub}`, '[Interface]', `PrivateKey = ${A.priv}`);
    assert.deepEqual(check(text), []);
    assert.equal(toWgConfig(parseConfig(text)).peers.length, 1);
  });

  it('treats an empty file as one without an [Interface]', () => {
    const p = parseConfig('');
    assert.equal(p.lines.length, 0);
    assert.equal(p.interface, null);
    assert.deepEqual(check('').map((d) => d.line), [1]);
  });
});
