// End to end, the routing options in the window: the real renderer in
// Debian's Chromium over the loopback bridge, the real app-core, the helper
// played by the protocol-checked fake (the real helper's side is
// test/helper/control/exclude-lan.test.ts). "Exclude private IPs" rewrites
// AllowedIPs in the editor and restores them exactly after a save and reopen;
// "Exclude the network I'm on" goes to the helper with the next up and shows
// what the helper bypasses, in English and Japanese.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright';
import { loaded, sampleConfig } from '../unit/electron/fakes.js';
import { waitFor } from '../support/netns.js';
import type { Bridge } from './bridge/bridge-server.js';
import { FakeApp } from './support/fake-app.js';
import { byTest, CHROMIUM, screenshot } from './support/browser.js';

const skip = existsSync(CHROMIUM) ? false : `needs ${CHROMIUM}`;
const FULL = sampleConfig().replace('AllowedIPs = 10.0.0.0/24', 'AllowedIPs = 0.0.0.0/0,::/0');

describe('routing options in the window', { skip }, () => {
  const app = new FakeApp();
  const { helper } = app;
  let bridge: Bridge;
  let page: Page;
  (helper as { status: unknown }).status = async () => ({
    tunnels: [{ name: 'full', state: 'up', reason: null, diagnosis: null, killSwitch: 'off', since: 1, mtu: 1420, hooksSkipped: [], peers: [], excludeLan: true, lanBypass: ['192.168.1.0/24'] }],
  });

  before(async () => {
    await app.start({ full: loaded(FULL) });
    bridge = app.bridge;
    page = await app.open();
    await page.waitForSelector(byTest('tunnel-row-full'));
  });

  after(async () => {
    await app.close();
  });

  it('excludes private IPs in the editor, and turning it off restores the AllowedIPs exactly', async () => {
    await page.click(`${byTest('tunnel-row-full')} .tunnel-row__main`);
    await page.click('button:has-text("Edit")');
    const toggle = page.locator(byTest('exclude-private-toggle'));
    assert.equal(await toggle.getAttribute('aria-checked'), 'false');
    await toggle.click();
    const text = await page.inputValue(byTest('editor-input'));
    const allowed = /^AllowedIPs = (.*)$/m.exec(text)?.[1] ?? '';
    assert.doesNotMatch(allowed, /0\.0\.0\.0\/0|::\/0|(^|, )192\.168\.0\.0\/16/);
    assert.match(allowed, /^0\.0\.0\.0\/5, /, 'public IPv4 from the start of the space');
    assert.match(allowed, /10\.0\.0\.0\/24/, 'the tunnel\'s own prefix stays in');
    await screenshot(page, 'editor-exclude-private');
    await page.click(byTest('editor-save'));
    await page.waitForSelector(byTest('tunnel-detail'));
    assert.match(bridge.core.profiles.read('full'), /^AllowedIPs = 0\.0\.0\.0\/5, /m, 'the .conf holds plain AllowedIPs');

    await page.click('button:has-text("Edit")');
    await page.waitForSelector(`${byTest('exclude-private-toggle')}[aria-checked="true"]`);
    await page.click(byTest('exclude-private-toggle'));
    assert.match(await page.inputValue(byTest('editor-input')), /^AllowedIPs = 0\.0\.0\.0\/0,::\/0$/m);
    await page.click(byTest('editor-save'));
    await page.waitForSelector(byTest('tunnel-detail'));
    assert.equal(bridge.core.profiles.read('full'), FULL, 'the file is byte for byte what it was');
  });

  it('excludes the network I\'m on: sent with the next up, with the subnets shown, in English and Japanese', async () => {
    const toggle = page.locator(byTest('exclude-lan-toggle'));
    await toggle.click();
    await page.waitForSelector(`${byTest('exclude-lan-toggle')}[aria-checked="true"]`);
    assert.match(await page.locator(byTest('lan-bypass-card')).innerText(), /Applies whenever this tunnel is on/);
    await page.click(byTest('detail-toggle'));
    await waitFor(() => helper.upCalls.length > 0, 10_000, 'the up call');
    assert.equal(helper.upCalls.at(-1)?.options?.excludeLan, true);
    helper.send('tunnel-state', { name: 'full', state: 'up', reason: null, diagnosis: null, at: Date.now() });
    await page.locator(byTest('lan-bypass-prefixes')).getByText('192.168.1.0/24').waitFor();
    await bridge.core.handlers['settings:set']({ language: 'ja' });
    await page.getByText('接続中のネットワークを除外').first().waitFor();
    await screenshot(page, 'detail-exclude-lan-ja');
    await bridge.core.handlers['settings:set']({ language: 'en' });
  });
});
