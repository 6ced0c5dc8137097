import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDecimal } from '../../../../shared/config/decimal.js';

describe('decimal fields', () => {
  it('accepts digits within range only', () => {
    assert.equal(parseDecimal('0080', 65535), 80);
    assert.equal(parseDecimal('65535', 65535), 65535);
    assert.equal(parseDecimal('65536', 65535), null);
    assert.equal(parseDecimal('99999999999999999999999', 0xffffffff), null);
    assert.equal(parseDecimal('000000000000000000000007', 10), 7);
    for (const bad of ['', '+1', '-1', '1 ', '0x10', '1e3', '1.0']) assert.equal(parseDecimal(bad, 1e9), null, bad);
  });
});
