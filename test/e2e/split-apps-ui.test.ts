// End to end, per-app routing in Settings: the real renderer in Debian's
// Chromium over the loopback bridge, the real app-core reading desktop
// entries from a test XDG directory, and the helper played by the
// protocol-checked fake (the real helper's launchApp is
// test/helper/split/split-launch-app.test.ts). Adding apps to both lists,
// starting one, the sentence for a tunnel that is off, Japanese, removing.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright';
import type { Bridge } from './bridge/bridge-server.js';
import { FakeApp } from './support/fake-app.js';
import { byTest, CHROMIUM, screenshot } from './support/browser.js';

const skip = existsSync(CHROMIUM) ? false : `needs ${CHROMIUM}`;

/** Waits until the card's note says exactly `text` (it replaces the previous one when main answers). */
async function noteSays(page: Page, text: string): Promise<void> {
  await page.locator(byTest('split-apps-note')).filter({ hasText: text }).waitFor({ timeout: 10_000 });
  assert.equal(await page.locator(byTest('split-apps-note')).innerText(), text);
}

describe('per-app routing in the window', { skip }, () => {
  const app = new FakeApp();
  const { helper } = app;
  let bridge: Bridge;
  let page: Page;
  const data = mkdtempSync(join(tmpdir(), 'wd-e2e-apps-'));
  const saved = { XDG_DATA_DIRS: process.env.XDG_DATA_DIRS, XDG_DATA_HOME: process.env.XDG_DATA_HOME };

  before(async () => {
    mkdirSync(join(data, 'system', 'applications'), { recursive: true });
    mkdirSync(join(data, 'home'), { recursive: true });
    const desktopApp = (id: string, body: string) => writeFileSync(join(data, 'system', 'applications', id), `[Desktop Entry]\nType=Application\n${body}\n`);
    desktopApp('firefox.desktop', 'Name=Firefox\nExec=firefox %u');
    desktopApp('zoom.desktop', 'Name=Zoom\nExec=zoom');
    process.env.XDG_DATA_DIRS = join(data, 'system');
    process.env.XDG_DATA_HOME = join(data, 'home');
    await app.start(['office']);
    bridge = app.bridge;
    page = await app.open();
    await page.click(byTest('open-settings'));
    await page.waitForSelector(byTest('split-apps-card'));
  });

  after(async () => {
    await app.close();
    Object.assign(process.env, saved);
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    rmSync(data, { recursive: true, force: true });
  });

  it('adds an app outside the tunnel and starts it through the helper', async () => {
    assert.deepEqual(await page.locator(`${byTest('split-outside-app')} option`).allInnerTexts(), ['Add an app…', 'Firefox', 'Zoom']);
    await page.selectOption(byTest('split-outside-app'), 'firefox.desktop');
    await page.click(byTest('split-outside-add'));
    await page.waitForSelector(byTest('split-app-firefox.desktop'));
    await page.click(byTest('split-launch-firefox.desktop'));
    await noteSays(page, 'Started firefox.');
    assert.deepEqual(helper.launchCalls.map((c) => [c.desktopId, c.tunnel]), [['firefox.desktop', null]]);
    assert.deepEqual(await page.locator(`${byTest('split-pinned-app')} option`).allInnerTexts(), ['Add an app…', 'Zoom'], 'an app is in one list only');
  });

  it('pins an app to a tunnel, and says to switch the tunnel on first, in English and Japanese', async () => {
    await page.selectOption(byTest('split-pinned-app'), 'zoom.desktop');
    await page.selectOption(byTest('split-pinned-tunnel'), 'office');
    await page.click(byTest('split-pinned-add'));
    await page.waitForSelector(`${byTest('split-pinned-list')} ${byTest('split-app-zoom.desktop')}`);
    await page.click(byTest('split-launch-zoom.desktop'));
    await noteSays(page, 'Switch office on first: an app can only be started in a tunnel that is on.');
    assert.equal(helper.launchCalls.length, 1, 'nothing was asked of the helper');
    await screenshot(page, 'split-apps');
    await bridge.core.handlers['settings:set']({ language: 'ja' });
    await page.getByText('トンネルを通さないアプリ', { exact: true }).waitFor();
    await page.click(byTest('split-launch-zoom.desktop'));
    await noteSays(page, '先に office をオンにしてください。アプリはオンのトンネルでのみ起動できます。');
    await bridge.core.handlers['settings:set']({ language: 'en' });
    await page.getByText('Apps outside the tunnel', { exact: true }).waitFor();
  });

  it('shows the apps pinned to a tunnel in its detail view', async () => {
    await page.click(`${byTest('tunnel-row-office')} .tunnel-row__main`);
    await page.waitForSelector(byTest('pinned-apps-card'));
    assert.deepEqual(await page.locator(`${byTest('pinned-apps-card')} .split-apps__name`).allInnerTexts(), ['Zoom\noffice']);
    await page.click(byTest('open-settings'));
    await page.waitForSelector(byTest('split-apps-card'));
  });

  it('removes an app, and keeps the lists for the next start', async () => {
    await page.locator(byTest('split-app-firefox.desktop')).getByRole('button', { name: 'Remove' }).click();
    await page.waitForSelector(byTest('split-app-firefox.desktop'), { state: 'detached' });
    const view = await bridge.core.handlers['splitapps:get']();
    assert.deepEqual([view.outside.map((a) => a.id), view.pinned.map((p) => [p.id, p.tunnel])], [[], [['zoom.desktop', 'office']]]);
  });
});
