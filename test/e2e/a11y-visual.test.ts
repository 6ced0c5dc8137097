// How the window looks to people who need it to look different: forced
// colours (Windows-style high contrast), reduced motion, 200% text size
// (a 1240×820 window at zoom 2 is 620×410 CSS pixels), and the smallest
// window the app allows. Each saves screenshots under
// test-results/a11y/ for a person to look at, and checks what a machine can:
// the switches and the focus ring keep visible edges under forced colours,
// nothing moves under reduced motion, and no control is clipped, covered or
// behind a sideways scroll at 200% or in the smallest window.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContextOptions, Page } from 'playwright';
import { WINDOW_MIN } from '../../shared/window-size.js';
import { A11yApp, NO_REPLY } from './support/a11y-app.js';
import { byTest, CHROMIUM } from './support/browser.js';
import { layoutProblems } from './support/layout.js';

const skip = existsSync(CHROMIUM) ? false : `needs ${CHROMIUM}`;
const shots = join(process.cwd(), 'test-results', 'a11y');

declare const document: { activeElement: unknown; querySelector(s: string): unknown };
declare function getComputedStyle(el: unknown, pseudo?: string): Record<string, string>;
declare function matchMedia(query: string): { matches: boolean };

/** The views a layout must hold in, each reached from the detail of "office". */
const VIEWS: readonly { name: string; open: (p: Page) => Promise<void>; close: (p: Page) => Promise<void> }[] = [
  { name: 'detail-on', open: async (p) => { await p.click(byTest('tunnel-row-office') + ' .tunnel-row__main'); await p.locator(byTest('throughput-graph')).waitFor(); }, close: async () => undefined },
  { name: 'detail-degraded', open: async (p) => { await p.click(byTest('tunnel-row-lab') + ' .tunnel-row__main'); await p.locator(byTest('diagnosis-banner')).waitFor(); }, close: async () => undefined },
  { name: 'logs', open: async (p) => { await p.click(byTest('tab-logs')); await p.locator(byTest('logs-view')).waitFor(); }, close: (p) => p.click(byTest('tab-overview')) },
  { name: 'editor-error', open: async (p) => {
    await p.click(byTest('edit-button'));
    const input = p.locator(byTest('editor-input'));
    await input.waitFor();
    await input.press('Control+End');
    await input.pressSequentially('\nListenPort = 99999');
    await p.locator(`${byTest('editor-problems')} li[data-severity="error"]`).first().waitFor();
  }, close: (p) => p.click(`${byTest('editor-view')} button:has-text("Cancel")`) },
  { name: 'import-dialog', open: async (p) => { await p.keyboard.press('Control+i'); await p.locator(byTest('import-dialog')).waitFor(); }, close: (p) => p.keyboard.press('Escape') },
  { name: 'delete-dialog', open: async (p) => { await p.click(byTest('remove-button')); await p.locator('dialog[open]').waitFor(); }, close: (p) => p.keyboard.press('Escape') },
  { name: 'settings', open: async (p) => { await p.click(byTest('open-settings')); await p.locator(byTest('settings-view')).waitFor(); }, close: (p) => p.click(byTest('tunnel-row-office') + ' .tunnel-row__main') },
];

describe('forced colours, reduced motion, 200% text and the smallest window', { skip }, () => {
  const app = new A11yApp();

  before(async () => {
    mkdirSync(shots, { recursive: true });
    await app.start(['office', 'home', 'lab']);
    // office is up with traffic, lab degraded, home off: every state on screen at once.
    const page = await app.open();
    await page.click(byTest('toggle-office'));
    await page.click(byTest('toggle-lab'));
    await page.waitForSelector(`${byTest('tunnel-row-lab')}[data-state="connecting"]`);
    app.state('office', 'up');
    app.state('lab', 'degraded', NO_REPLY);
    for (let i = 0; i < 5; i++) {
      app.tick('office', 80_000 * (i + 1));
      await page.waitForTimeout(100);
    }
    await page.context().close();
  });
  after(() => app.close());

  const open = async (options: BrowserContextOptions) => {
    const page = await app.open(options);
    page.setDefaultTimeout(10_000);
    await page.waitForSelector(`${byTest('tunnel-row-office')}[data-state="up"]`);
    return page;
  };

  /** Visits every view, saving `<prefix>-<view>.png` and collecting what `check` finds. */
  const tour = async (page: Page, prefix: string, check: (p: Page) => Promise<string[]>) => {
    const found: string[] = [];
    for (const v of VIEWS) {
      await v.open(page);
      await page.screenshot({ path: join(shots, `${prefix}-${v.name}.png`), fullPage: true });
      found.push(...(await check(page)).map((f) => `${v.name}: ${f}`));
      await v.close(page);
    }
    return found;
  };

  for (const scheme of ['dark', 'light'] as const) {
    it(`keeps switches, states and the focus ring visible under forced colours (${scheme})`, async () => {
      const page = await open({ forcedColors: 'active', colorScheme: scheme });
      assert.equal(await page.evaluate(() => matchMedia('(forced-colors: active)').matches), true);
      await page.keyboard.press('Tab');
      const ring = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement);
        return { style: s.outlineStyle, width: parseFloat(s.outlineWidth ?? '0') };
      });
      assert.deepEqual(ring, { style: 'solid', width: 3 }, 'the focus ring is an outline, which forced colours keep');
      const edges = await page.evaluate(() => ['[data-testid="toggle-home"]', '[data-testid="toggle-office"]'].map((sel) => {
        const s = getComputedStyle(document.querySelector(sel));
        return { border: s.borderTopStyle, width: parseFloat(s.borderTopWidth ?? '0'), bg: s.backgroundColor };
      }));
      assert.ok(edges.every((e) => e.border !== 'none' && e.width >= 2), `each switch has an edge: ${JSON.stringify(edges)}`);
      assert.notEqual(edges[0]!.bg, edges[1]!.bg, 'on and off switches differ by more than the thumb position');
      await tour(page, `forced-colors-${scheme}`, async () => []);
      await page.context().close();
    });
  }

  it('stops animations and transitions under reduced motion', async () => {
    const page = await open({ reducedMotion: 'reduce' });
    await page.click(byTest('toggle-home'));
    await page.waitForSelector(`${byTest('tunnel-row-home')}[data-state="connecting"]`);
    const motion = await page.evaluate(() => {
      const dot = getComputedStyle(document.querySelector('[data-testid="tunnel-row-home"] .state-dot'));
      const toggle = getComputedStyle(document.querySelector('[data-testid="toggle-home"]'));
      return { animation: dot.animationName, transition: toggle.transitionDuration };
    });
    assert.deepEqual(motion, { animation: 'none', transition: '0s' });
    await page.click(byTest('toggle-home'));
    await page.waitForSelector(`${byTest('tunnel-row-home')}[data-state="down"]`);
    await page.context().close();
  });

  it('holds at 200% text size: nothing clipped, covered or scrolled sideways', async () => {
    const page = await open({ viewport: { width: 620, height: 410 }, deviceScaleFactor: 2 });
    const found = await tour(page, 'zoom-200', async (p) => (await layoutProblems(p)).map((x) => `${x.what}: ${x.where}`));
    assert.deepEqual(found, []);
    await page.context().close();
  });

  it(`fits the smallest window (${WINDOW_MIN.width}×${WINDOW_MIN.height})`, async () => {
    const page = await open({ viewport: { width: WINDOW_MIN.width, height: WINDOW_MIN.height } });
    const found = await tour(page, 'min-window', async (p) => (await layoutProblems(p)).map((x) => `${x.what}: ${x.where}`));
    assert.deepEqual(found, []);
    await page.context().close();
  });
});
