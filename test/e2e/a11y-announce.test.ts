// What a screen reader hears when a tunnel changes state: one polite live
// region says "office is on", "office degraded: <the diagnosis' first
// sentence>", "office is off", once each; counter ticks, which re-render the
// row, the tiles and the graph every second, never change it. The graph's
// text alternative carries the current rates and the last minute's peak.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright';
import { A11yApp, NO_REPLY } from './support/a11y-app.js';
import { byTest, CHROMIUM } from './support/browser.js';

// In-page code (waitForFunction) runs in the DOM; this program has no DOM types.
declare const document: { querySelector(selector: string): { textContent: string | null } | null };

const skip = existsSync(CHROMIUM) ? false : `needs ${CHROMIUM}`;

describe('state changes are announced once, counter ticks never', { skip }, () => {
  const app = new A11yApp();
  let page: Page;
  const region = () => page.locator(byTest('live-region'));
  const said = async () => (await region().innerText()).replace(/\u200b/g, '').trim();
  const count = async () => Number(await region().getAttribute('data-count'));
  const hears = (text: string) => page.waitForFunction(
    (t) => document.querySelector('[data-testid="live-region"]')?.textContent?.replace(/\u200b/g, '').trim() === t, text);
  /** Three ticks, and proof that the page drew them (the row's rate text changed). */
  const ticks = async () => {
    const before = await page.locator(byTest('row-rates')).innerText().catch(() => '');
    for (let i = 0; i < 3; i++) {
      app.tick('office', 100_000 * (i + 1));
      await page.waitForTimeout(120);
    }
    await page.waitForFunction((b) => (document.querySelector('[data-testid="row-rates"]')?.textContent ?? '') !== b, before);
  };

  before(async () => {
    await app.start(['office']);
    page = await app.open();
    page.setDefaultTimeout(10_000);
    await page.locator(byTest('tunnel-detail')).waitFor();
  });
  after(() => app.close());

  it('is one polite, atomic status region, silent when the window opens', async () => {
    assert.equal(await region().getAttribute('role'), 'status');
    assert.equal(await region().getAttribute('aria-live'), 'polite');
    assert.equal(await region().getAttribute('aria-atomic'), 'true');
    assert.equal(await said(), '');
    assert.equal(await page.locator('[role="alert"]').count(), 0, 'no assertive region competes with it');
  });

  it('says "office is on" once, and ticks do not change it', async () => {
    await page.click(byTest('toggle-office'));
    await hears('office is connecting');
    app.state('office', 'up');
    await hears('office is on');
    const n = await count();
    await ticks();
    assert.equal(await said(), 'office is on');
    assert.equal(await count(), n, 'no announcement on a tick');
  });

  it('gives the graph a text alternative: current rates and the last minute\'s peak', async () => {
    const text = await page.locator(byTest('graph-summary')).innerText();
    assert.match(text, /^Now: [\d.]+ [KMG]?i?B\/s received, [\d.]+ [KMG]?i?B\/s sent\. Peak over the last minute: [\d.]+ [KMG]?i?B\/s received, [\d.]+ [KMG]?i?B\/s sent\.$/);
    assert.doesNotMatch(text, /Peak over the last minute: 0 B\/s received/, 'the ticks gave a peak');
    const svg = page.locator(`${byTest('throughput-graph')} svg[role="img"]`);
    assert.equal(await page.locator(`[id="${await svg.getAttribute('aria-describedby')}"]`).innerText(), text);
  });

  it('says "office degraded: <diagnosis>", and ticks do not change it', async () => {
    app.state('office', 'degraded', NO_REPLY);
    await hears('office degraded: No reply from 203.0.113.5:51820: 148 bytes of handshake attempts were sent in the last 15 seconds and nothing came back.');
    const n = await count();
    await ticks();
    assert.equal(await count(), n);
    assert.equal(await page.locator(byTest('diagnosis-banner')).getAttribute('role'), null, 'the banner does not announce it a second time');
  });

  it('says "office is off"', async () => {
    await page.click(byTest('toggle-office'));
    await hears('office is off');
  });

  it('speaks Japanese in Japanese, and a language switch is not news', async () => {
    const n = await count();
    await app.language('ja', page);
    await page.locator(byTest('state-badge')).filter({ hasText: 'オフ' }).waitFor();
    assert.equal(await count(), n);
    await page.click(byTest('toggle-office'));
    app.state('office', 'up');
    await hears('office はオンです');
    assert.equal(await page.getAttribute(byTest('toggle-office'), 'aria-label'), 'office をオフにする');
    assert.match(await page.locator(byTest('state-badge')).innerText(), /office の状態:\s*オン/);
  });
});
