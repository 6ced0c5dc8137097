// axe-core (WCAG 2.0/2.1 A and AA, and best practice) in every view of the
// window, in light and dark and in English and Japanese: one row per view
// below says how to get there from the row before. Any violation fails the
// view's test, with each rule, element and reason printed.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright';
import { loaded, sampleConfig } from '../unit/electron/fakes.js';
import { axeViolations, formatViolations } from './support/axe.js';
import { A11yApp, NO_REPLY } from './support/a11y-app.js';
import { byTest, CHROMIUM } from './support/browser.js';

const skip = existsSync(CHROMIUM) ? false : `needs ${CHROMIUM}`;

interface View {
  readonly name: string;
  /** From the view before this one to this one; resolves once it is on screen. */
  readonly go: (page: Page, app: A11yApp) => Promise<void>;
}

const shown = (page: Page, id: string) => page.locator(byTest(id)).first().waitFor();
const escape = async (page: Page, id: string) => {
  await page.keyboard.press('Escape');
  await page.locator(byTest(id)).waitFor({ state: 'detached' });
};

const views: readonly View[] = [
  { name: 'empty (first run)', go: (p) => shown(p, 'empty-state') },
  { name: 'demo dialog', go: async (p) => { await p.click(byTest('first-run-demo')); await shown(p, 'demo-dialog'); } },
  { name: 'import dialog (files)', go: async (p) => { await escape(p, 'demo-dialog'); await p.click(byTest('first-run-import')); await shown(p, 'import-dialog'); } },
  { name: 'import dialog (paste)', go: async (p) => { await p.fill(byTest('paste-text'), sampleConfig()); } },
  { name: 'import summary (one imported, one failed)', go: async (p, app) => {
    const good = join(app.dir, 'office.conf');
    const bad = join(app.dir, 'broken.conf');
    writeFileSync(good, sampleConfig());
    writeFileSync(bad, sampleConfig().replace(/^PublicKey = .*$/m, 'PublicKey = not-a-key'));
    const [chooser] = await Promise.all([p.waitForEvent('filechooser'), p.click(byTest('choose-files'))]);
    await chooser.setFiles([good, bad]);
    await shown(p, 'import-summary');
    await shown(p, 'tunnel-row-office');
  } },
  { name: 'list and detail, off', go: async (p) => { await p.click('.toast button'); await shown(p, 'tunnel-detail'); } },
  { name: 'detail, on, with live counters', go: async (p, app) => {
    await p.click(byTest('toggle-office'));
    await p.waitForSelector(`${byTest('tunnel-row-office')}[data-state="connecting"]`);
    app.state('office', 'up');
    for (let i = 0; i < 4; i++) { app.tick('office'); await p.waitForTimeout(50); }
    await p.waitForSelector(`${byTest('tunnel-row-office')}[data-state="up"]`);
    await p.waitForSelector(`${byTest('throughput-graph')}:not([data-points="0"])`);
  } },
  { name: 'detail, degraded, with its diagnosis', go: async (p, app) => { app.state('office', 'degraded', NO_REPLY); await shown(p, 'diagnosis-banner'); } },
  { name: 'on-demand rule: listed networks', go: async (p) => { await p.selectOption(byTest('on-demand-mode'), 'listed'); await p.locator('.on-demand__listed').waitFor(); } },
  { name: 'detail, error (could not switch on)', go: async (p, app) => {
    app.state('office', 'error', { code: 'setup-failed', message: 'The tunnel could not be switched on.' });
    await p.waitForSelector(`${byTest('tunnel-row-office')}[data-state="error"]`);
  } },
  { name: 'logs tab', go: async (p) => { await p.click(byTest('tab-logs')); await shown(p, 'logs-view'); } },
  { name: 'editor with errors', go: async (p) => {
    await p.click(byTest('tab-overview'));
    await p.click(byTest('edit-button'));
    const input = p.locator(byTest('editor-input'));
    await input.waitFor();
    await input.press('Control+End');
    await input.pressSequentially('ListenPort = 99999\nMTU = 10');
    await p.locator(`${byTest('editor-problems')} li[data-severity="error"]`).first().waitFor();
  } },
  { name: 'new tunnel editor', go: async (p) => { await p.click(`${byTest('editor-view')} button:has-text("Cancel")`); await p.click(byTest('new-tunnel')); await shown(p, 'mtu-advisor'); } },
  { name: 'export: the private-key warning', go: async (p) => {
    await p.click(`${byTest('editor-view')} button:has-text("Cancel")`);
    await p.click(byTest('export-button'));
    await shown(p, 'private-key-warning');
  } },
  { name: 'export: the choices', go: async (p) => { await p.click(byTest('export-consent')); await shown(p, 'export-qr'); } },
  { name: 'export: QR code', go: async (p) => { await p.click(byTest('export-qr')); await shown(p, 'qr-code'); } },
  { name: 'export all', go: async (p) => { await escape(p, 'export-dialog'); await p.click('.sidebar__foot button >> nth=0'); await shown(p, 'export-dialog'); } },
  { name: 'confirm delete', go: async (p) => { await escape(p, 'export-dialog'); await p.click(byTest('remove-button')); await p.locator('dialog[open]').waitFor(); } },
  { name: 'second tunnel, groups in the sidebar, filter', go: async (p, app) => {
    await p.keyboard.press('Escape');
    app.bridge.core.profiles.write('home', loaded(sampleConfig()));
    app.bridge.core.tunnels.profilesChanged();
    await shown(p, 'group-list');
    await p.fill(byTest('tunnel-filter'), 'off');
  } },
  { name: 'filter with no match', go: async (p) => { await p.fill(byTest('tunnel-filter'), 'zzz'); await p.locator('.sidebar__none').waitFor(); } },
  { name: 'group editor', go: async (p) => { await p.fill(byTest('tunnel-filter'), ''); await p.click(byTest('new-group')); await shown(p, 'group-editor'); await p.selectOption(byTest('group-add'), 'home'); } },
  { name: 'settings', go: async (p) => { await p.click(byTest('open-settings')); await shown(p, 'settings-view'); } },
];

describe('axe-core finds nothing in any view, light and dark, English and Japanese', { skip }, () => {
  const app = new A11yApp();
  let page: Page;

  before(async () => {
    await app.start([]);
    page = await app.open();
    page.setDefaultTimeout(10_000);
  });
  after(() => app.close());

  for (const view of views) {
    it(view.name, async () => {
      await view.go(page, app);
      const report: string[] = [];
      for (const lang of ['en', 'ja'] as const) {
        await app.language(lang, page);
        for (const scheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
          await page.waitForSelector(`html[data-theme="${scheme}"]`, { state: 'attached' });
          const found = await axeViolations(page);
          if (found.length) report.push(formatViolations(`${view.name} [${lang}, ${scheme}]`, found));
        }
      }
      await app.language('en', page);
      assert.equal(report.length, 0, `\n${report.join('\n\n')}`);
    });
  }
});
