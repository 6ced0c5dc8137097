import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, matchPeer, parseEngineLine } from '../../../../tunnel-helper/src/helper/tunnels/engine-log.js';
import { redactConfig, redactLine } from '../../../../shared/redact.js';
import { Ring } from '../../../../shared/ring.js';
import { LogBook } from '../../../../tunnel-helper/src/helper/tunnels/log-book.js';

const KEYS = ['IQZQx2XmbEv7AkT0h5LSXyLR8sUqwPT9E2iVmnDpM2g=', 'pWp0D61O/A6zt4BhvWPqBVxcpujTopGz5XPdxuXy0A0=', 'IQZQ6ZKV1vnmUFo9Bv7CR9NxNkUsxv+Tfkj8yI8/M2g='];

describe("the engine's log", () => {
  it('reads the signals the helper diagnoses from', () => {
    const at = (msg: string) => parseEngineLine(`DEBUG: 2026/11/23 18:36:12 (wq1) peer(pWp0…0A0) - ${msg}`);
    assert.equal(at('Sending handshake initiation').signal, 'initiated');
    assert.equal(at('Sending handshake initiation (retry)').signal, 'initiated');
    assert.equal(at('Handshake completed').signal, 'completed');
    assert.equal(at('Received cookie reply: peer is under load').signal, 'cookie');
    assert.equal(at('Handshake did not complete after 20 attempts, giving up').signal, 'gave-up');
    assert.equal(at('Received invalid response message').signal, 'invalid-reply');
    assert.equal(at('Endpoint changed from 192.0.2.1:1 to 192.0.2.2:1').signal, 'endpoint-changed');
    assert.equal(at('Removing all keys').signal, null);
    const e = at('Handshake completed');
    assert.equal(e.level, 'DEBUG');
    assert.equal(e.at, new Date(2026, 10, 23, 18, 36, 12).getTime());
    assert.deepEqual(e.peer, { head: 'pWp0', tail: '0A0' });
    assert.equal(e.message, 'peer(pWp0…0A0) - Handshake completed');
  });

  it('keeps other lines as they are', () => {
    assert.deepEqual(parseEngineLine('hello'), { level: null, at: null, message: 'hello', peer: null, signal: null });
    assert.equal(parseEngineLine('ERROR: 2026/11/23 18:36:12 (wq1) Failed to bind').signal, null);
  });

  it('matches an abbreviated peer to exactly one full key', () => {
    assert.equal(matchPeer({ head: 'pWp0', tail: '0A0' }, KEYS), KEYS[1]);
    assert.equal(matchPeer({ head: 'IQZQ', tail: 'M2g' }, KEYS), null, 'two keys share the abbreviation: refuse to guess');
    assert.equal(matchPeer({ head: 'zzzz', tail: '0A0' }, KEYS), null);
  });

  it('splits appended text into whole lines, holding a partial one back', () => {
    const s = new LineSplitter(10);
    assert.deepEqual(s.push('one\ntw'), ['one']);
    assert.deepEqual(s.push('o\n\nthree\n'), ['two', 'three']);
    assert.deepEqual(s.push('x'.repeat(25)), ['x'.repeat(10)], 'a runaway line is cut, not buffered forever');
  });
});

describe('secrets never reach a log', () => {
  it('hides key values in config and UAPI form, and any known secret', () => {
    assert.equal(redactLine('PrivateKey = mOnx2NdABJyplZzu7ygribv4GCE3DDBfcEL8iD93IHI= # mine'), 'PrivateKey = (hidden) # mine');
    assert.equal(redactLine('presharedkey=abc'), 'presharedkey=(hidden)');
    assert.equal(redactLine(`private_key=${'ab'.repeat(32)}`), 'private_key=(hidden)');
    assert.equal(redactLine('hook printed SECRETSECRETSECRET!', ['SECRETSECRETSECRET']), 'hook printed (hidden)!');
    assert.equal(redactLine('PublicKey = pWp0D61O/A6zt4BhvWPqBVxcpujTopGz5XPdxuXy0A0='), 'PublicKey = pWp0D61O/A6zt4BhvWPqBVxcpujTopGz5XPdxuXy0A0=');
    assert.equal(redactConfig('[Interface]\nPrivateKey = a\n[Peer]\nPresharedKey=b\n'), '[Interface]\nPrivateKey = (hidden)\n[Peer]\nPresharedKey=(hidden)\n');
  });
});

describe('log ring buffers', () => {
  it('keep the newest lines, oldest first', () => {
    const r = new Ring<number>(3);
    for (let i = 1; i <= 5; i++) r.push(i);
    assert.deepEqual(r.last(10), [3, 4, 5]);
    assert.deepEqual(r.last(2), [4, 5]);
    assert.equal(r.size, 3);
  });
  it('keep lines per tunnel and overall', () => {
    const book = new LogBook(2, 3);
    const line = (tunnel: string | null, text: string) => ({ at: 1, tunnel, source: 'helper' as const, text });
    book.add(line('a', '1'));
    book.add(line('b', '2'));
    book.add(line('a', '3'));
    book.add(line(null, '4'));
    book.add(line('a', '5'));
    assert.deepEqual(book.recent('a', 10).map((l) => l.text), ['3', '5']);
    assert.deepEqual(book.recent(undefined, 10).map((l) => l.text), ['3', '4', '5']);
    assert.deepEqual(book.recent('zz', 10), []);
    assert.deepEqual(book.recent(undefined, 10, 2).map((l) => l.text), ['4', '5'], 'capped by size, newest kept');
  });
});
