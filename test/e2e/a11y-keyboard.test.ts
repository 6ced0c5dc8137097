// The keyboard alone, as someone who cannot use a mouse works: import a
// file, switch a tunnel on and off, edit it, go to an error from the problems
// list and fix it, save, export, and delete with confirmation, with Ctrl+I,
// Ctrl+N, Ctrl+F, Delete and Escape. Only page.keyboard is used, the page
// counts every pointer event (there must be none), and each step asserts
// where focus is.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FileChooser, Page } from 'playwright';
import { sampleConfig } from '../unit/electron/fakes.js';
import { A11yApp } from './support/a11y-app.js';
import { byTest, CHROMIUM } from './support/browser.js';

// In-page code (page.evaluate) runs in the DOM; this program has no DOM types, so the few names it uses are declared here.
interface El {
  readonly id: string;
  readonly tagName: string;
  readonly outerHTML: string;
  readonly value: string;
  readonly selectionStart: number;
  getAttribute(name: string): string | null;
  matches(selector: string): boolean;
  closest(selector: string): El | null;
}
declare const document: { readonly activeElement: El | null };
declare const window: { addEventListener(type: string, f: () => void, capture: boolean): void };
declare function getComputedStyle(el: El): { outlineStyle: string; outlineWidth: string };

const skip = existsSync(CHROMIUM) ? false : `needs ${CHROMIUM}`;

describe('everything from the keyboard, focus where it should be', { skip }, () => {
  const app = new A11yApp();
  let page: Page;

  /** What has focus: its test id, else its id, else its tag. */
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return el ? (el.getAttribute('data-testid') ?? (el.id ? `#${el.id}` : el.tagName.toLowerCase())) : 'none';
  });
  /** Presses Tab (or Shift+Tab) until `target` has focus; returns the stops on the way, which say the order. */
  const tabTo = async (target: string, back = false, max = 40) => {
    const stops: string[] = [];
    for (let i = 0; i < max; i++) {
      await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
      const now = await focused();
      stops.push(now);
      if (now === target) return stops;
    }
    assert.fail(`${target} was not reached with ${back ? 'Shift+Tab' : 'Tab'}; focus went ${stops.join(' → ')}`);
  };
  const focusRingShown = () => page.evaluate(() => {
    const el = document.activeElement;
    if (!el || !el.matches(':focus-visible')) return false;
    const s = getComputedStyle(el);
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  });

  let chooser: Promise<FileChooser>;

  before(async () => {
    await app.start([]);
    page = await app.open();
    page.setDefaultTimeout(10_000);
    // Listening from the start turns file-chooser interception on before any key is pressed
    // (waitForEvent next to a key press can lose the race and let a real chooser open).
    chooser = new Promise((resolve) => page.once('filechooser', resolve));
    await page.evaluate(() => 0);
    await page.waitForSelector(byTest('empty-state'));
    await page.evaluate(() => {
      const w = window as unknown as { pointerEvents: number };
      w.pointerEvents = 0;
      for (const type of ['pointerdown', 'mousedown', 'mouseup', 'wheel']) window.addEventListener(type, () => { w.pointerEvents++; }, true);
    });
  });
  after(() => app.close());

  it('imports a file: Tab to Import, Enter, Enter on Choose files; focus returns to Import', async () => {
    const stops = await tabTo('open-import');
    assert.deepEqual(stops, ['open-import'], 'Import is the first stop in the window');
    assert.equal(await focusRingShown(), true, 'a visible focus ring');
    await page.keyboard.press('Enter');
    await page.locator(byTest('import-dialog')).waitFor();
    assert.equal(await focused(), 'choose-files', 'the dialog starts on its first control');
    const file = join(app.dir, 'office.conf');
    writeFileSync(file, sampleConfig());
    await page.keyboard.press('Enter');
    await (await chooser).setFiles(file);
    await page.locator(byTest('tunnel-row-office')).waitFor();
    await page.locator(byTest('import-dialog')).waitFor({ state: 'detached' });
    assert.equal(await focused(), 'open-import', 'focus goes back to the button that opened the dialog');
  });

  it('switches the tunnel on and off with Space on its switch', async () => {
    const stops = await tabTo('toggle-office');
    assert.deepEqual(stops.slice(-3), ['tunnel-filter', 'button', 'toggle-office'], 'filter, the row, then its switch');
    await page.keyboard.press('Space');
    await page.waitForSelector(`${byTest('tunnel-row-office')}[data-state="connecting"]`);
    app.state('office', 'up');
    await page.waitForSelector(`${byTest('tunnel-row-office')}[data-state="up"]`);
    assert.equal(await focused(), 'toggle-office');
    assert.equal(await page.getAttribute(byTest('toggle-office'), 'aria-checked'), 'true');
    await page.keyboard.press('Space');
    await page.waitForSelector(`${byTest('tunnel-row-office')}[data-state="down"]`);
    assert.equal(await focused(), 'toggle-office', 'focus stays on the switch');
    assert.equal(await page.getAttribute(byTest('toggle-office'), 'aria-label'), 'Switch office on');
  });

  it('edits, goes to the error from the problems list, fixes it and saves', async () => {
    await tabTo('edit-button');
    await page.keyboard.press('Enter');
    await page.locator(byTest('editor-view')).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'editor-title');
    await tabTo('editor-input');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nListenPort = 99999');
    const lines = (await page.inputValue(byTest('editor-input'))).split('\n').length;
    await page.locator(`${byTest('editor-problems')} li[data-line="${lines}"][data-severity="error"]`).waitFor();
    assert.equal(await page.locator(byTest('editor-save')).isDisabled(), true);
    await page.keyboard.press('Control+Home'); // the caret leaves the bad line, so going there is seen
    await tabTo('problem-go');
    assert.match(await page.locator(`${byTest('editor-problems')} li[data-line="${lines}"]`).innerText(), /ListenPort/);
    await page.keyboard.press('Enter');
    assert.equal(await focused(), 'editor-input', 'Enter on a problem puts the caret in the editor');
    const caretLine = await page.$eval(byTest('editor-input'), (t) => (t as unknown as El).value.slice(0, (t as unknown as El).selectionStart).split('\n').length);
    assert.equal(caretLine, lines, 'at the error line');
    await page.keyboard.press('Backspace'); // the line is selected: this removes it
    await page.keyboard.press('Backspace');
    await page.waitForSelector(`${byTest('editor-problems')} li[data-severity="error"]`, { state: 'detached' });
    await tabTo('editor-save', true);
    await page.keyboard.press('Enter');
    await page.locator(byTest('tunnel-detail')).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'detail-title');
    assert.doesNotMatch(app.bridge.core.profiles.read('office'), /ListenPort/);
  });

  it('exports the .conf after the warning; Escape closes and focus returns to Export', async () => {
    await tabTo('export-button');
    await page.keyboard.press('Enter');
    await page.locator(byTest('private-key-warning')).waitFor();
    await tabTo('export-consent');
    await page.keyboard.press('Enter');
    await page.locator(byTest('export-qr')).waitFor();
    assert.match(await page.evaluate(() => document.activeElement?.outerHTML ?? ''), /^<button[^>]*>.*Save as \.conf/, 'the first choice has focus after Continue');
    await page.keyboard.press('Enter');
    await page.locator(`${byTest('export-dialog')} [role="status"]:has-text("Saved.")`).waitFor();
    assert.equal(readFileSync(join(app.dir, 'saved-office.conf'), 'utf8'), app.bridge.core.profiles.read('office'));
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => !!document.activeElement?.closest('dialog')), true, 'Tab stays inside the dialog');
    await page.keyboard.press('Escape');
    await page.locator(byTest('export-dialog')).waitFor({ state: 'detached' });
    assert.equal(await focused(), 'export-button');
  });

  it('Ctrl+F filters, Ctrl+N opens a new tunnel, Ctrl+I opens import', async () => {
    await page.keyboard.press('Control+f');
    assert.equal(await focused(), 'tunnel-filter');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+n');
    await page.waitForFunction(() => document.activeElement?.id === 'editor-title');
    await page.keyboard.press('Control+i');
    await page.locator(byTest('import-dialog')).waitFor();
    assert.equal(await focused(), 'choose-files');
    assert.equal(await focusRingShown(), true, 'a dialog opened by a shortcut shows its focus ring');
    await page.keyboard.press('Escape');
    await page.locator(byTest('import-dialog')).waitFor({ state: 'detached' });
    assert.equal(await focused(), '#editor-title', 'focus returns where it was');
    await tabTo('button', true); // Back
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'detail-title');
  });

  it('the tabs and the graph range are one Tab stop each, moved with the arrow keys', async () => {
    await tabTo('tab-overview');
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(), 'tab-logs');
    await page.locator(byTest('logs-view')).waitFor();
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'log-filter', 'from the selected tab, Tab goes into its panel');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Home');
    assert.equal(await focused(), 'tab-overview');
    const range = page.locator(`${byTest('graph-range')} [role="radio"]`);
    await range.first().waitFor();
    for (let i = 0; i < 5 && (await page.evaluate(() => document.activeElement?.getAttribute('role'))) !== 'radio'; i++) await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-checked') ?? ''), 'true', 'Tab reaches the chosen range');
    await page.keyboard.press('ArrowRight');
    assert.deepEqual(await range.evaluateAll((els) => els.map((e) => e.getAttribute('aria-checked'))), ['false', 'true']);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-checked') ?? ''), 'true', 'focus follows the choice');
    await page.keyboard.press('ArrowLeft');
  });

  it('Delete asks first; Escape keeps the tunnel, confirming removes it', async () => {
    await tabTo('export-button');
    await page.keyboard.press('Delete');
    const dialog = page.getByRole('dialog', { name: 'Delete' });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Delete the tunnel "office"/);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await focused(), 'export-button');
    assert.deepEqual(app.bridge.core.profiles.list(), ['office']);
    await page.keyboard.press('Delete');
    await dialog.waitFor();
    await page.keyboard.press('Tab'); // Cancel → Delete
    await page.keyboard.press('Enter');
    await page.locator(byTest('empty-state')).waitFor();
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual(app.bridge.core.profiles.list(), []);
    assert.equal(await focused(), '#main', 'with its opener gone, focus lands on the main region');
  });

  it('used no pointer at all', async () => {
    assert.equal(await page.evaluate(() => (window as unknown as { pointerEvents: number }).pointerEvents), 0);
  });
});
