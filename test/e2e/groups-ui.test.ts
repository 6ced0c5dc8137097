// End to end, failover groups in the window: the real renderer in Debian's
// Chromium over the loopback bridge, the real app-core, and the helper played
// by the protocol-checked fake (the real helper's failover is
// test/helper/control/failover-group.test.ts). Creating, ordering, refusing
// bad input, the one switch with the member in use and why, in English and
// Japanese, and deleting.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright';
import type { Bridge } from './bridge/bridge-server.js';
import { FakeApp } from './support/fake-app.js';
import { byTest, CHROMIUM, screenshot } from './support/browser.js';

const skip = existsSync(CHROMIUM) ? false : `needs ${CHROMIUM}`;

describe('failover groups in the window', { skip }, () => {
  const app = new FakeApp();
  const { helper } = app;
  let bridge: Bridge;
  let page: Page;
  const send = (name: string, state: 'up' | 'error') => helper.send('tunnel-state', { name, state, reason: null, diagnosis: null, at: Date.now() });

  before(async () => {
    await app.start(['office-a', 'office-b', 'home']);
    bridge = app.bridge;
    page = await app.open();
    await page.waitForSelector(byTest('group-list'));
  });

  after(async () => {
    await app.close();
  });

  it('creates a group in order, and says what is wrong with a bad one', async () => {
    await page.click(byTest('new-group'));
    await page.fill(byTest('group-name'), 'Office');
    await page.selectOption(byTest('group-add'), 'office-b');
    await page.click(byTest('group-save'));
    assert.match(await page.locator(byTest('group-error')).innerText(), /needs at least two tunnels/);
    await page.selectOption(byTest('group-add'), 'office-a');
    await page.getByRole('button', { name: 'Move office-a up' }).click();
    assert.deepEqual(await page.locator(`${byTest('group-members')} li`).allInnerTexts(), ['office-a · primary', 'office-b']);
    await page.fill(byTest('group-holdSeconds'), '0');
    assert.equal(await page.inputValue(byTest('group-holdSeconds')), '1', 'a holding time keeps to what main accepts');
    await page.fill(byTest('group-holdSeconds'), '45');
    await page.click(byTest('group-save'));
    await page.waitForSelector(byTest('group-row-Office'));
    assert.deepEqual(bridge.core.groups.list()[0]?.spec, { name: 'Office', members: ['office-a', 'office-b'], holdSeconds: 45 });
    await page.click(byTest('new-group'));
    assert.deepEqual(await page.locator(`${byTest('group-add')} option`).allInnerTexts(), ['Add a tunnel…', 'home'], 'tunnels in a group are not offered again');
    await page.getByRole('button', { name: 'Back' }).click();
  });

  it('is one switch that says which member runs and why, in English and Japanese', async () => {
    await page.click(byTest('group-toggle-Office'));
    await page.waitForSelector(`${byTest('group-row-Office')}[data-active="office-a"]`);
    assert.deepEqual(helper.upCalls.map((c) => c.name), ['office-a']);
    send('office-a', 'error');
    bridge.core.groups.tick(); // notes when it went bad
    await new Promise((r) => setTimeout(r, 5_100)); // the default failAfter, then the controller's own timer switches
    await page.waitForSelector(`${byTest('group-row-Office')}[data-active="office-b"]`, { timeout: 10_000 });
    assert.equal(await page.locator(byTest('group-reason-Office')).innerText(), 'office-a stopped answering, so office-b took over');
    await screenshot(page, 'groups-failed-over');
    await bridge.core.handlers['settings:set']({ language: 'ja' });
    await page.getByText('フェイルオーバーグループ', { exact: true }).waitFor();
    assert.equal(await page.locator(byTest('group-reason-Office')).innerText(), 'office-a が応答しなくなったため、office-b に切り替えました');
    await bridge.core.handlers['settings:set']({ language: 'en' });
    await page.click(byTest('group-toggle-Office'));
    await page.waitForSelector(`${byTest('group-row-Office')}[data-active=""]`);
    assert.deepEqual(helper.downCalls, ['office-a', 'office-b']);
  });

  it('deletes a group from its editor', async () => {
    await page.click(`${byTest('group-row-Office')} .tunnel-row__main`);
    await page.click(byTest('group-remove'));
    await page.waitForSelector(byTest('group-row-Office'), { state: 'detached' });
    assert.deepEqual(bridge.core.groups.list(), []);
  });
});
