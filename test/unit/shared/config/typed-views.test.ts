import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConfigError, encodeKey, expandHook, formatCidr, formatDiagnostic, interfaceNameFromFileName, isValidInterfaceName,
  parseConfig, toQuickConfig, toWgConfig,
} from '../../../../shared/config/index.js';
import { A, B, C, conf } from './helpers.js';

describe('toWgConfig and toQuickConfig', () => {
  it('refuse a config with errors and carry every diagnostic', () => {
    const parsed = parseConfig(conf('[Interface]', 'MTU = 1', '[Peer]'));
    assert.throws(() => toWgConfig(parsed), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.deepEqual(e.diagnostics.map((d) => d.line), [1, 2, 3]);
      assert.match(e.message, /^line 1:1: error: .*\(and 2 more\)$/);
      return true;
    });
    assert.throws(() => toQuickConfig(parsed), ConfigError);
  });

  it('give the wg view of a two-peer config', () => {
    const text = conf('[Interface]', `PrivateKey = ${A.priv}`, 'ListenPort = 51820', 'Address = 10.0.0.1/24',
      '[Peer]', `PublicKey = ${B.pub}`, `PresharedKey = ${C.psk}`, 'AllowedIPs = 10.0.0.2/32, fd00::2/128',
      '[Peer]', `PublicKey = ${C.pub}`, 'Endpoint = [2001:db8::1]:51820', 'AllowedIPs = 0.0.0.0/0');
    const wg = toWgConfig(parseConfig(text));
    assert.equal(wg.fwMark, undefined);
    assert.equal(wg.peers.length, 2);
    assert.equal(encodeKey(wg.peers[0]?.publicKey ?? new Uint8Array(32)), B.pub);
    assert.deepEqual(wg.peers[0]?.allowedIps.map(formatCidr), ['10.0.0.2/32', 'fd00::2/128']);
    assert.equal(wg.peers[1]?.presharedKey, undefined);
    assert.deepEqual(wg.peers[1]?.endpoint, { host: '2001:db8::1', port: 51820 });
  });

  it('give the wg-quick view with defaults when keys are absent', () => {
    const quick = toQuickConfig(parseConfig(conf('[Interface]', `PrivateKey = ${A.priv}`)));
    assert.deepEqual(quick, { addresses: [], dns: [], dnsSearch: [], preUp: [], postUp: [], preDown: [], postDown: [], saveConfig: false });
  });

  it('read Table as off, auto, main or a number, and empty MTU as automatic', () => {
    const table = (v: string) => toQuickConfig(parseConfig(conf('[Interface]', `PrivateKey = ${A.priv}`, `Table = ${v}`, 'MTU ='))).table;
    assert.equal(table('off'), 'off');
    assert.equal(table('auto'), 'auto');
    assert.equal(table('main'), 'main');
    assert.equal(table('51820'), 51820);
    assert.equal(toQuickConfig(parseConfig(conf('[Interface]', `PrivateKey = ${A.priv}`, 'MTU ='))).mtu, undefined);
  });

  it('keep interface addresses as written, host bits and all, in canonical form', () => {
    const quick = toQuickConfig(parseConfig(conf('[Interface]', `PrivateKey = ${A.priv}`, 'Address = 10.0.0.2/24, FD00:0:0::2/64')));
    assert.deepEqual(quick.addresses.map(formatCidr), ['10.0.0.2/24', 'fd00::2/64']);
  });

  it('expand %i in hooks as wg-quick does', () => {
    assert.equal(expandHook('iptables -A FORWARD -i %i -j ACCEPT; echo %i', 'wg0'), 'iptables -A FORWARD -i wg0 -j ACCEPT; echo wg0');
  });

  it('format a diagnostic as file:line:column', () => {
    assert.equal(formatDiagnostic({ line: 3, column: 14, severity: 'error', message: 'Bad.' }, 'wg0.conf'), 'wg0.conf:3:14: error: Bad.');
  });
});

describe('interface names from file names', () => {
  const names: [string, string | null][] = [
    ['wg0.conf', 'wg0'],
    ['/etc/wireguard/wg0.conf', 'wg0'],
    ['C:\\Users\\me\\office-vpn.conf', 'office-vpn'],
    ['./a_b=c+d.e-f.conf', 'a_b=c+d.e-f'],
    ['123456789012345.conf', '123456789012345'],
    ['1234567890123456.conf', null],
    ['my vpn.conf', null],
    ['wg0.CONF', null],
    ['wg0', null],
    ['.conf', null],
    ['/etc/wireguard/', null],
  ];
  for (const [path, name] of names) {
    it(`names ${JSON.stringify(path)} ${name === null ? 'nothing' : name}`, () => assert.equal(interfaceNameFromFileName(path), name));
  }
  it("checks names with wg-quick's rule", () => {
    assert.equal(isValidInterfaceName('wg0'), true);
    assert.equal(isValidInterfaceName(''), false);
    assert.equal(isValidInterfaceName('wg/0'), false);
    assert.equal(isValidInterfaceName('ü'), false);
  });
});
