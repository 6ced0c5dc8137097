import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isResponse, messageId, parseQuery, readName, tcpFrame, withId } from '../../../../shared/dns/dns-message.js';

/** A query as a stub resolver sends it: header, one question, QTYPE A, QCLASS IN. */
function query(id: number, labels: string[], flags = 0x0100): Uint8Array {
  const name = labels.flatMap((l) => [l.length, ...Buffer.from(l)]);
  return Uint8Array.from([id >> 8, id & 0xff, flags >> 8, flags & 0xff, 0, 1, 0, 0, 0, 0, 0, 0, ...name, 0, 0, 1, 0, 1]);
}

describe('DNS query parsing for the split DNS forwarder', () => {
  it('reads the id and the first question name, lowercased', () => {
    assert.deepEqual(parseQuery(query(0xbeef, ['X', 'Corp', 'Example'])), { id: 0xbeef, name: 'x.corp.example' });
    assert.deepEqual(parseQuery(query(1, [])), { id: 1, name: '' });
  });

  it('drops malformed messages instead of throwing', () => {
    const good = query(7, ['corp', 'example']);
    const cases: [string, Uint8Array][] = [
      ['empty', new Uint8Array(0)],
      ['header only', good.subarray(0, 12)],
      ['cut inside a label', good.subarray(0, 16)],
      ['no QTYPE/QCLASS', good.subarray(0, good.length - 4)],
      ['a response', query(7, ['corp'], 0x8180)],
      ['no question', Uint8Array.from([...good.subarray(0, 4), 0, 0, ...good.subarray(6)])],
      ['label type 0x40', Uint8Array.from([...good.subarray(0, 12), 0x41, 0, 0, 1, 0, 1])],
      ['pointer to itself', Uint8Array.from([...good.subarray(0, 12), 0xc0, 12, 0, 1, 0, 1])],
      ['pointer forward', Uint8Array.from([...good.subarray(0, 12), 0xc0, 20, 0, 1, 0, 1, 0, 0, 0, 0, 0])],
      ['name over 255 octets', query(1, Array(5).fill('a'.repeat(63)))],
    ];
    for (const [what, msg] of cases) assert.equal(parseQuery(msg), null, what);
    // Random bytes: never a throw.
    for (let i = 0; i < 2000; i++) {
      const msg = Uint8Array.from({ length: i % 80 }, (_, j) => (i * 7919 + j * 104729) & 0xff);
      assert.doesNotThrow(() => parseQuery(msg));
    }
  });

  it('follows backward compression pointers, and keeps odd bytes escaped so they match no domain', () => {
    // "corp.example" at 12, then at 26 "x" + pointer to 12.
    const msg = Uint8Array.from([...query(1, ['corp', 'example']).subarray(0, 26), 1, 0x78, 0xc0, 12]);
    assert.deepEqual(readName(msg, 26), { text: 'x.corp.example', end: 30 });
    const dotted = Uint8Array.from([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 6, 0x63, 0x6f, 0x72, 0x70, 0x2e, 0x78, 0, 0, 1, 0, 1]);
    assert.equal(parseQuery(dotted)?.name, 'corp\\046x');
  });

  it('rewrites ids on a copy, tells responses, and frames for TCP', () => {
    const q = query(0x0102, ['a']);
    const r = withId(q, 0xfffe);
    assert.equal(messageId(r), 0xfffe);
    assert.equal(messageId(q), 0x0102);
    assert.equal(isResponse(q), false);
    assert.equal(isResponse(query(1, ['a'], 0x8180)), true);
    assert.deepEqual([...tcpFrame(Uint8Array.from([9, 8, 7]))], [0, 3, 9, 8, 7]);
  });
});
