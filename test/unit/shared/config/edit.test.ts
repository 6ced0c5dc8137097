import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addPeer, checkConfig, parseConfig, removePeer, serializeConfig, setInterfaceValue, setPeerValue, toWgConfig,
} from '../../../../shared/config/index.js';
import { A, B, C, D, conf } from './helpers.js';

const BASE = conf(
  '# my tunnel',                            // 1
  '[Interface]',                            // 2
  `PrivateKey = ${A.priv}`,                 // 3
  'Address=10.0.0.2/24   # tunnel address', // 4
  'DNS = 10.0.0.1',                         // 5
  '',                                       // 6
  '# laptop',                               // 7
  '[Peer]',                                 // 8
  `PublicKey = ${B.pub}`,                   // 9
  'AllowedIPs = 10.0.0.3/32',               // 10
  '',                                       // 11
  '# phone',                                // 12
  '[Peer]',                                 // 13
  `PublicKey = ${C.pub}`,                   // 14
  'AllowedIPs = 10.0.0.4/32',               // 15
);

const lines = (text: string) => text.split('\n');

/** Asserts `after` is `before` with exactly the lines at these 0-based indexes replaced. */
function assertReplaced(before: string, after: string, changed: Record<number, string>): void {
  const b = lines(before);
  const a = lines(after);
  assert.equal(a.length, b.length);
  b.forEach((line, i) => assert.equal(a[i], changed[i] ?? line, `line ${i + 1}`));
}

/** Asserts `after` is `before` with `inserted` placed at 0-based index `at`. */
function assertInserted(before: string, after: string, at: number, inserted: string[]): void {
  const b = lines(before);
  assert.deepEqual(lines(after), [...b.slice(0, at), ...inserted, ...b.slice(at)]);
}

describe('edit helpers change only the touched lines', () => {
  it('changes a value in place, keeping the key spelling, spacing and comment', () => {
    const edited = setInterfaceValue(parseConfig(BASE), 'Address', '10.9.0.2/24');
    assertReplaced(BASE, serializeConfig(edited), { 3: 'Address=10.9.0.2/24   # tunnel address' });
    assert.deepEqual(checkConfig(serializeConfig(edited)), []);
  });

  it('leaves the original ParsedConfig untouched', () => {
    const parsed = parseConfig(BASE);
    setInterfaceValue(parsed, 'DNS', '1.1.1.1');
    removePeer(parsed, 0);
    assert.equal(serializeConfig(parsed), BASE);
  });

  it('adds a missing key after the last line of [Interface]', () => {
    const edited = serializeConfig(setInterfaceValue(parseConfig(BASE), 'ListenPort', '51820'));
    assertInserted(BASE, edited, 5, ['ListenPort = 51820']);
  });

  it('removes every line of a key set to null', () => {
    const text = conf('[Interface]', `PrivateKey = ${A.priv}`, 'DNS = 1.1.1.1', 'ListenPort = 1', 'DNS = 8.8.8.8');
    const edited = serializeConfig(setInterfaceValue(parseConfig(text), 'DNS', null));
    assert.equal(edited, conf('[Interface]', `PrivateKey = ${A.priv}`, 'ListenPort = 1'));
  });

  it('writes a list on the first line of the key and drops its repeats', () => {
    const text = conf('[Interface]', `PrivateKey = ${A.priv}`, 'Address = 10.0.0.2/24', 'MTU = 1420', 'Address = fd00::2/64');
    const edited = serializeConfig(setInterfaceValue(parseConfig(text), 'Address', ['10.1.0.2/24', 'fd01::2/64']));
    assert.equal(edited, conf('[Interface]', `PrivateKey = ${A.priv}`, 'Address = 10.1.0.2/24, fd01::2/64', 'MTU = 1420'));
  });

  it('writes one line per hook command, keeping "#" inside commands', () => {
    const text = conf('[Interface]', `PrivateKey = ${A.priv}`, 'PostUp = echo old # note');
    const edited = serializeConfig(setInterfaceValue(parseConfig(text), 'PostUp', ['echo one # first', 'echo two']));
    assert.equal(edited, conf('[Interface]', `PrivateKey = ${A.priv}`, 'PostUp = echo one # first', 'PostUp = echo two'));
  });

  it('changes a value of the second peer only', () => {
    const edited = serializeConfig(setPeerValue(parseConfig(BASE), 1, 'AllowedIPs', ['10.0.0.4/32', 'fd00::4/128']));
    assertReplaced(BASE, edited, { 14: 'AllowedIPs = 10.0.0.4/32, fd00::4/128' });
  });

  it('adds a key to a peer right after its last key, before the next peer\'s comment', () => {
    const edited = serializeConfig(setPeerValue(parseConfig(BASE), 0, 'PersistentKeepalive', '25'));
    assertInserted(BASE, edited, 10, ['PersistentKeepalive = 25']);
  });

  it('keeps CRLF line endings for edited and new lines', () => {
    const crlf = BASE.replace(/\n/g, '\r\n');
    const edited = serializeConfig(setPeerValue(setInterfaceValue(parseConfig(crlf), 'DNS', '9.9.9.9'), 1, 'Endpoint', '192.0.2.1:51820'));
    assert.equal(edited, `${BASE.replace('DNS = 10.0.0.1', 'DNS = 9.9.9.9')}Endpoint = 192.0.2.1:51820\n`.replace(/\n/g, '\r\n'));
  });

  it('keeps a BOM', () => {
    const edited = serializeConfig(setInterfaceValue(parseConfig(`\uFEFF${BASE}`), 'DNS', '9.9.9.9'));
    assert.ok(edited.startsWith('\uFEFF# my tunnel\n'));
  });

  it('appends a peer at the end, separated by a blank line', () => {
    const edited = addPeer(parseConfig(BASE), { PublicKey: D.pub, AllowedIPs: ['10.0.0.5/32', 'fd00::5/128'], Endpoint: '[2001:db8::5]:51820' });
    const text = serializeConfig(edited);
    assert.equal(text, `${BASE}\n[Peer]\nPublicKey = ${D.pub}\nAllowedIPs = 10.0.0.5/32, fd00::5/128\nEndpoint = [2001:db8::5]:51820\n`);
    assert.equal(edited.peers.length, 3);
    assert.deepEqual(toWgConfig(edited).peers[2]?.endpoint, { host: '2001:db8::5', port: 51820 });
  });

  it('appends a peer to a file without a final newline, touching only that newline', () => {
    const text = BASE.slice(0, -1);
    const edited = serializeConfig(addPeer(parseConfig(text), { PublicKey: D.pub }));
    assert.equal(edited, `${BASE}\n[Peer]\nPublicKey = ${D.pub}\n`);
  });

  it('removes a peer with the comment above it, leaving the rest as it was', () => {
    const edited = serializeConfig(removePeer(parseConfig(BASE), 0));
    const b = lines(BASE);
    assert.deepEqual(lines(edited), [...b.slice(0, 6), ...b.slice(11)]);
    assert.deepEqual(checkConfig(edited), []);
  });

  it('removes the last peer together with the blank lines before it', () => {
    const edited = serializeConfig(removePeer(parseConfig(BASE), 1));
    assert.equal(edited, `${lines(BASE).slice(0, 10).join('\n')}\n`);
  });

  it('adds an [Interface] at the top when the file has none', () => {
    const text = conf('[Peer]', `PublicKey = ${B.pub}`);
    const edited = serializeConfig(setInterfaceValue(parseConfig(text), 'PrivateKey', A.priv));
    assert.equal(edited, conf('[Interface]', `PrivateKey = ${A.priv}`, '', '[Peer]', `PublicKey = ${B.pub}`));
  });

  it('gives a value to an empty key with a space after "="', () => {
    const text = conf('[Interface]', `PrivateKey = ${A.priv}`, 'DNS =# none yet');
    assert.equal(serializeConfig(setInterfaceValue(parseConfig(text), 'DNS', '1.1.1.1')), conf('[Interface]', `PrivateKey = ${A.priv}`, 'DNS = 1.1.1.1 # none yet'));
  });

  it('refuses values that would break the file, and peers that do not exist', () => {
    const parsed = parseConfig(BASE);
    assert.throws(() => setInterfaceValue(parsed, 'DNS', '1.1.1.1 # x'), /cannot contain "#"/);
    assert.throws(() => setInterfaceValue(parsed, 'PostUp', 'a\nb'), /line break/);
    assert.throws(() => setInterfaceValue(parsed, 'MTU', ['1', '2']), /one value/);
    assert.throws(() => setPeerValue(parsed, 2, 'Endpoint', '192.0.2.1:1'), RangeError);
    assert.throws(() => removePeer(parsed, -1), RangeError);
  });
});
