import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBytes, formatHandshakeAge, formatRate } from '../../../../shared/config/wg-units.js';

// show.c's own cases (bytes(), ago(), pretty_time()) are in
// test/unit/netconfig/show-format.test.ts, where `wiredesk show` uses them.
describe('wg show units in the app', () => {
  it('prints bytes as wg does', () => {
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(2734), '2.67 KiB');
    assert.equal(formatBytes(5 * 1024 * 1024), '5.00 MiB');
    assert.equal(formatBytes(3 * 1024 ** 3), '3.00 GiB');
  });

  it('rounds a rate and reads what is not a count yet as 0 B', () => {
    assert.equal(formatRate(1023.4), '1023 B/s');
    assert.equal(formatRate(NaN), '0 B/s');
    assert.equal(formatRate(-5), '0 B/s');
    assert.equal(formatBytes(-5n), '0 B');
  });

  it('prints handshake ages as wg does, and in Japanese', () => {
    assert.equal(formatHandshakeAge(66), '1 minute, 6 seconds ago');
    assert.equal(formatHandshakeAge(3600 + 1), '1 hour, 1 second ago');
    assert.equal(formatHandshakeAge(0), 'Now');
    assert.equal(formatHandshakeAge(66, 'ja'), '1分6秒前');
    assert.equal(formatHandshakeAge(0, 'ja'), 'たった今');
  });
});

describe('a handshake in the future (the clock went backward)', () => {
  it("prints wg's warning, never a negative age", () => {
    assert.equal(formatHandshakeAge(-5), '(System clock wound backward; connection problems may ensue.)');
    assert.equal(formatHandshakeAge(-365 * 86400), '(System clock wound backward; connection problems may ensue.)');
    assert.equal(formatHandshakeAge(-5, 'ja'), '（システム時計が巻き戻りました。接続に問題が起きるかもしれません。）');
  });

  it('counts whole seconds as C does: less than a second ahead is still "Now"', () => {
    assert.equal(formatHandshakeAge(-0.5), 'Now');
    assert.equal(formatHandshakeAge(0.9), 'Now');
    assert.equal(formatHandshakeAge(-1), '(System clock wound backward; connection problems may ensue.)');
    assert.equal(formatHandshakeAge(66.7), '1 minute, 6 seconds ago');
  });
});
