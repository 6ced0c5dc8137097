import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { innerMtu } from '../../../../../renderer/features/editor/mtu.js';

describe('MTU advisor', () => {
  it('PPPoE over DSL at 1454 leaves 1394 inside over IPv4, and 20 less over IPv6', () => {
    assert.equal(innerMtu(1454, 4), 1394);
    assert.equal(innerMtu(1454, 6), 1374);
    assert.equal(innerMtu(1500, 6), 1420, "wg-quick's default");
  });
});
