// End to end, split DNS in the window: the real renderer in Debian's Chromium
// over the loopback bridge, the real app-core, and the helper played by the
// protocol-checked fake (the real helper's split DNS is
// test/helper/control/split-dns.test.ts). The editor's box says where the
// domains are kept, names each bad line in English and Japanese and blocks
// Save; a saved list reaches the helper with the next up and shows in the
// detail view.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright';
import type { Bridge } from './bridge/bridge-server.js';
import { FakeApp } from './support/fake-app.js';
import { byTest, CHROMIUM, screenshot } from './support/browser.js';

const skip = existsSync(CHROMIUM) ? false : `needs ${CHROMIUM}`;

describe('split DNS in the window', { skip }, () => {
  const app = new FakeApp();
  const { helper } = app;
  let bridge: Bridge;
  let page: Page;

  before(async () => {
    await app.start(['office']);
    bridge = app.bridge;
    page = await app.open();
    await page.waitForSelector(byTest('tunnel-row-office'));
  });

  after(async () => {
    await app.close();
  });

  it('names a bad domain with its line, blocks Save, and saves good ones to the profile', async () => {
    await page.click(`${byTest('tunnel-row-office')} .tunnel-row__main`);
    assert.match(await page.locator(byTest('split-dns-value')).innerText(), /^Off: every query goes to the tunnel’s DNS servers$/);
    await page.click('button:has-text("Edit")');
    assert.match(await page.locator(byTest('split-dns-where')).innerText(), /not in the \.conf/);
    await page.fill(byTest('split-dns-input'), 'corp.example\nbad..name');
    await page.locator(`${byTest('split-dns-problems')} li`).waitFor();
    assert.equal(await page.locator(`${byTest('split-dns-problems')} li`).innerText(),
      'Line 2: “bad..name” is not a domain name: it has an empty part (two dots in a row, or a leading dot).');
    assert.equal(await page.locator(byTest('editor-save')).isDisabled(), true);
    await screenshot(page, 'split-dns-error');
    await bridge.core.handlers['settings:set']({ language: 'ja' });
    await page.getByText('スプリット DNS', { exact: true }).waitFor();
    assert.match(await page.locator(`${byTest('split-dns-problems')} li`).innerText(), /^2 行目: 「bad\.\.name」はドメイン名ではありません/);
    await bridge.core.handlers['settings:set']({ language: 'en' });
    await page.fill(byTest('split-dns-input'), 'corp.example, ~Lab.Internal');
    await page.locator(`${byTest('split-dns-problems')} li`).waitFor({ state: 'detached' });
    await page.click(byTest('editor-save'));
    await page.waitForSelector(byTest('split-dns-card'));
    assert.deepEqual(await bridge.core.handlers['splitdns:get']('office'), ['corp.example', 'lab.internal']);
    assert.match(await page.locator(byTest('split-dns-value')).innerText(), /^corp\.example, lab\.internal \(the rest to the system’s DNS\)$/);
    await bridge.core.handlers['tunnels:setActive']('office', true);
    assert.deepEqual(helper.upCalls.at(-1)?.options?.splitDns, ['corp.example', 'lab.internal']);
  });
});
