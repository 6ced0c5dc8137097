// The demo server protocol without a socket: the host the user types, the
// strict reply check (every way a reply can be wrong), and the .conf made
// from a good reply.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkConfig, encodeKey, formatCidr, parseConfig, publicKeyFromPrivate, toQuickConfig, toWgConfig,
} from '../../../../shared/config/index.js';
import { describeDemoFailure, type DemoFailure } from '../../../../shared/demo/demo-failure.js';
import { describeDemoFailureJa } from '../../../../renderer/lib/i18n/demo-failure-ja.js';
import {
  demoConfig, formatTarget, parseDemoHost, parseDemoReply, type DemoTarget,
} from '../../../../shared/demo/demo-protocol.js';

// RFC 7748 §6.1 keys: any valid Curve25519 public key will do for the server.
const SERVER_PK = Buffer.from('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f', 'hex').toString('base64');
const CLIENT_SK = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex').toString('base64');
const TARGET = 'demo.example:42912';

function failureOf(line: string): DemoFailure {
  const r = parseDemoReply(line, TARGET);
  assert.equal(r.ok, false, `"${line}" should be refused`);
  return (r as { failure: DemoFailure }).failure;
}

describe('demo server host', () => {
  const target = (text: string): DemoTarget => {
    const r = parseDemoHost(text);
    assert.ok(r.ok, `"${text}" should be accepted`);
    return r.value;
  };

  it('takes host, host:port, [v6], [v6]:port and a bare IPv6 address; the port defaults to 42912', () => {
    assert.deepEqual(target('demo.wireguard.com'), { host: 'demo.wireguard.com', port: 42912, family: null });
    assert.deepEqual(target('demo.wireguard.com:1234'), { host: 'demo.wireguard.com', port: 1234, family: null });
    assert.deepEqual(target('  192.0.2.7:65535 '), { host: '192.0.2.7', port: 65535, family: 4 });
    assert.deepEqual(target('[2001:db8::1]:42913'), { host: '2001:db8::1', port: 42913, family: 6 });
    assert.deepEqual(target('[2001:db8::1]'), { host: '2001:db8::1', port: 42912, family: 6 });
    assert.deepEqual(target('2001:db8::1'), { host: '2001:db8::1', port: 42912, family: 6 });
    assert.deepEqual(target('localhost'), { host: 'localhost', port: 42912, family: null });
  });

  it('shows IPv6 targets in brackets, as an Endpoint writes them', () => {
    assert.equal(formatTarget(target('[2001:db8::1]:5')), '[2001:db8::1]:5');
    assert.equal(formatTarget(target('2001:db8::1')), '[2001:db8::1]:42912');
    assert.equal(formatTarget(target('demo.wireguard.com')), 'demo.wireguard.com:42912');
  });

  it('refuses everything else as bad-host, naming what was typed', () => {
    const bad = [
      '', '   ', 'host:', 'host:0', 'host:65536', 'host:http', 'host:+1', 'host:012', 'host:1:2',
      '[2001:db8::1', '[2001:db8::1]:', '[2001:db8::1]x', '[192.0.2.1]:5', '[demo.wireguard.com]', '::gg',
      'a b', 'ho\nst', 'ho$t', '-host', '1.2.3', '192.0.2.256', ':42912', 'fe80::1%eth0',
    ];
    for (const text of bad) {
      const r = parseDemoHost(text);
      assert.deepEqual(r, { ok: false, failure: { code: 'bad-host', target: text.trim() } }, JSON.stringify(text));
    }
  });
});

describe('demo server reply', () => {
  it('accepts OK:key:port:address and returns its parts', () => {
    assert.deepEqual(parseDemoReply(`OK:${SERVER_PK}:12912:192.168.4.7`, TARGET), {
      ok: true, value: { serverPublicKey: SERVER_PK, port: 12912, address: '192.168.4.7' },
    });
    assert.equal(parseDemoReply(`OK:${SERVER_PK}:1:192.168.4.2`, TARGET).ok, true);
    assert.equal(parseDemoReply(`OK:${SERVER_PK}:65535:192.168.4.254`, TARGET).ok, true);
  });

  it('reads ERROR (with or without more text) as the server refusing us', () => {
    assert.deepEqual(failureOf('ERROR'), { code: 'server-error', target: TARGET });
    assert.deepEqual(failureOf('ERROR:peer table full'), { code: 'server-error', target: TARGET });
  });

  it('refuses a line that is not OK with exactly three fields', () => {
    for (const line of ['', 'OK', `OK:${SERVER_PK}`, `OK:${SERVER_PK}:12912`, `OK:${SERVER_PK}:12912:192.168.4.7:x`,
      `ok:${SERVER_PK}:12912:192.168.4.7`, ` OK:${SERVER_PK}:12912:192.168.4.7`, `FAIL:${SERVER_PK}:12912:192.168.4.7`,
      'error', '<html>', 'SSH-2.0-OpenSSH_9.2']) {
      assert.deepEqual(failureOf(line), { code: 'malformed', target: TARGET, part: 'format' }, line);
    }
  });

  it('refuses a server key that is not 44 characters of base64 of 32 bytes, or is all zeros', () => {
    const strayBits = `${SERVER_PK.slice(0, 42)}B=`; // 'B' sets bits beyond the 256th
    const keys = [
      SERVER_PK.slice(0, 43), `${SERVER_PK}A`, `${SERVER_PK.slice(0, 43)}A`, `${SERVER_PK.slice(0, 10)}-${SERVER_PK.slice(11)}`,
      `${SERVER_PK.slice(0, 10)}_${SERVER_PK.slice(11)}`, `${SERVER_PK.slice(0, 10)} ${SERVER_PK.slice(11)}`, strayBits,
      encodeKey(new Uint8Array(32)), Buffer.from(SERVER_PK, 'base64').toString('hex'), '',
    ];
    for (const key of keys) {
      assert.deepEqual(failureOf(`OK:${key}:12912:192.168.4.7`), { code: 'malformed', target: TARGET, part: 'key' }, key);
    }
  });

  it('refuses a port outside 1-65535 or not written as a plain number', () => {
    for (const port of ['0', '65536', '99999', '', '-1', '+1', '012', '1e3', ' 12912', '12912 ', '0x10', '12912.0']) {
      assert.deepEqual(failureOf(`OK:${SERVER_PK}:${port}:192.168.4.7`), { code: 'malformed', target: TARGET, part: 'port' }, port);
    }
  });

  it('refuses an address outside 192.168.4.2-254: the network, the server itself, broadcast, elsewhere, IPv6, CIDR', () => {
    for (const ip of ['192.168.4.0', '192.168.4.1', '192.168.4.255', '192.168.5.7', '10.0.0.7', '192.168.4.07',
      '192.168.4.7/24', '192.168.4', '192.168.4.256', '', ' 192.168.4.7', '192.168.4.7 ', 'fd00::7']) {
      const line = `OK:${SERVER_PK}:12912:${ip}`;
      // An IPv6 address adds colons, so it is already the wrong number of fields.
      const part = ip.includes(':') ? 'format' : 'address';
      assert.deepEqual(failureOf(line), { code: 'malformed', target: TARGET, part }, ip);
    }
  });

  it('has an English and a Japanese sentence for every failure, naming the server', () => {
    const failures: DemoFailure[] = [
      { code: 'bad-host', target: 'a b' }, { code: 'dns', target: TARGET }, { code: 'refused', target: TARGET },
      { code: 'unreachable', target: TARGET }, { code: 'timeout', target: TARGET, seconds: 10 }, { code: 'closed', target: TARGET },
      { code: 'server-error', target: TARGET }, { code: 'network', target: TARGET, detail: 'EPERM' },
      ...(['format', 'key', 'port', 'address', 'too-long'] as const).map((part): DemoFailure => ({ code: 'malformed', target: TARGET, part })),
    ];
    const sentences = failures.map(describeDemoFailure);
    for (const [i, s] of sentences.entries()) {
      assert.match(s, /^\S.*[.]$/, s);
      assert.ok(s.includes(failures[i]!.target), s);
    }
    assert.equal(new Set(sentences).size, sentences.length, 'each failure has its own sentence');
    const ja = failures.map(describeDemoFailureJa);
    for (const [i, s] of ja.entries()) {
      assert.match(s, /。$/, s);
      assert.match(s, /[\u3040-\u30ff]/, `${s} is Japanese`);
      assert.ok(s.includes(failures[i]!.target), s);
    }
    assert.equal(new Set(ja).size, ja.length, 'each failure has its own Japanese sentence');
    assert.match(describeDemoFailure({ code: 'timeout', target: TARGET, seconds: 10 }), /within 10 seconds/);
    assert.match(describeDemoFailure({ code: 'server-error', target: TARGET }), /replied ERROR/);
  });
});

describe('demo tunnel config', () => {
  const reply = { serverPublicKey: SERVER_PK, port: 12912, address: '192.168.4.7' };

  it('is the key we sent, the address the server gave, and a route to the demo page only', () => {
    const text = demoConfig({ privateKey: CLIENT_SK, target: { host: 'demo.wireguard.com', port: 42912, family: null }, reply });
    assert.equal(text, [
      '# WireGuard demo server at demo.wireguard.com: a test service, not a private VPN.',
      '# AllowedIPs reaches only its demo page, http://192.168.4.1/. To send',
      '# all IPv4 traffic through the demo server instead, use AllowedIPs = 0.0.0.0/0.',
      '[Interface]',
      `PrivateKey = ${CLIENT_SK}`,
      'Address = 192.168.4.7/24',
      '',
      '[Peer]',
      `PublicKey = ${SERVER_PK}`,
      'Endpoint = demo.wireguard.com:12912',
      'AllowedIPs = 192.168.4.1/32',
      'PersistentKeepalive = 25',
      '',
    ].join('\n'));
    assert.deepEqual(checkConfig(text), [], 'no errors and no warnings');
    const wg = toWgConfig(parseConfig(text));
    assert.equal(encodeKey(wg.privateKey!), CLIENT_SK);
    assert.equal(encodeKey(wg.peers[0]!.publicKey), SERVER_PK);
    assert.deepEqual(wg.peers[0]!.allowedIps.map(formatCidr), ['192.168.4.1/32']);
    assert.equal(wg.peers[0]!.persistentKeepalive, 25);
    const quick = toQuickConfig(parseConfig(text));
    assert.deepEqual(quick.addresses.map(formatCidr), ['192.168.4.7/24']);
    assert.deepEqual(quick.dns, [], 'no DNS: the resolvers are not routed through the demo tunnel');
    assert.notEqual(publicKeyFromPrivate(CLIENT_SK), SERVER_PK);
  });

  it('keeps the host the user chose and the port the server gave, in brackets for IPv6', () => {
    const v6 = demoConfig({ privateKey: CLIENT_SK, target: { host: '2001:db8::1', port: 42913, family: 6 }, reply });
    assert.match(v6, /^Endpoint = \[2001:db8::1\]:12912$/m);
    assert.deepEqual(toWgConfig(parseConfig(v6)).peers[0]!.endpoint, { host: '2001:db8::1', port: 12912 });
    const v4 = demoConfig({ privateKey: CLIENT_SK, target: { host: '192.0.2.7', port: 5, family: 4 }, reply: { ...reply, port: 51820 } });
    assert.match(v4, /^Endpoint = 192\.0\.2\.7:51820$/m);
    assert.deepEqual(checkConfig(v6), []);
  });
});
