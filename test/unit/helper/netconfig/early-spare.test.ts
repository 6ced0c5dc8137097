// The launcher's engine is handed over in WIREDESK_EARLY_SPARE; a value
// that is not the launcher's (or names fds that are not open) gives no
// spare, so up starts its engine itself, and never reaches a child process.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { earlySpareFromEnv, spareOutputHolder } from '../../../../tunnel-helper/src/helper/netconfig/spare-process.js';

describe("the launcher's early spare", () => {
  for (const value of ['', 'garbage', '123 4 5', '123 4 4 /run/x', '123 1 5 /run/x', '123 900 901 /run/x', '123 4 5 relative']) {
    it(`is refused from ${JSON.stringify(value)}, and the variable is removed`, () => {
      process.env.WIREDESK_EARLY_SPARE = value;
      assert.equal(earlySpareFromEnv('/opt/wiredesk/tunnel-helper/bin/wiredesk-tunnel'), null);
      assert.equal(process.env.WIREDESK_EARLY_SPARE, undefined);
    });
  }

  it("names its output after its holder, so a dead holder's file is found", () => {
    assert.equal(spareOutputHolder('.spare-4242-early.engine-output'), 4242);
    assert.equal(spareOutputHolder('.spare-4242-3.engine-output'), 4242);
    assert.equal(spareOutputHolder('wg0.engine-output'), null);
  });
});
