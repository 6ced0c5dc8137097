// The Electron shell itself, through Playwright's Electron launcher, where an
// Electron binary exists (ELECTRON_PATH, or node_modules/electron/dist as a
// normal `npm install` leaves it). CI installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1,
// so there this tier says it was skipped and why. It drives the real main.ts,
// preload and sandboxed renderer through the specs that need no root helper;
// the helper-backed specs (3-7) run in app.test.ts over the bridge.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright';
import { byTest, screenshot } from './support/browser.js';

const root = process.cwd();
const bundled = join(root, 'node_modules/electron/dist/electron');
const binary = process.env.ELECTRON_PATH || (existsSync(bundled) ? bundled : null);
const why = 'no Electron binary: set ELECTRON_PATH, or install without ELECTRON_SKIP_BINARY_DOWNLOAD=1';
if (!binary) console.log(`\n== e2e/electron: SKIPPED: ${why}\n`);

const CONF = `[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\nAddress = 10.9.0.2/32\n\n[Peer]\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\nEndpoint = 192.0.2.1:51820\nAllowedIPs = 0.0.0.0/0\n`;

describe('WireDesk in Electron', { skip: binary ? false : why }, () => {
  let app: ElectronApplication;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'wiredesk-electron-'));

  before(async () => {
    app = await electron.launch({
      executablePath: binary!,
      args: [root, '--no-sandbox'],
      env: { ...process.env, WIREDESK_USER_DATA: join(dir, 'userdata') },
    });
    page = await app.firstWindow();
    await page.waitForSelector(byTest('empty-state'));
  });

  after(async () => {
    await app?.close();
  });

  it('the renderer is sandboxed: window.ipc only, no Node', async () => {
    assert.deepEqual(await page.evaluate('[typeof window.ipc, typeof require, typeof process]'), ['object', 'undefined', 'undefined']);
  });

  it('(1) imports a .conf through the file chooser', async () => {
    const path = join(dir, 'office.conf');
    writeFileSync(path, CONF);
    await page.click(byTest('open-import'));
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click(byTest('choose-files'))]);
    await chooser.setFiles([path]);
    await page.waitForSelector(byTest('tunnel-row-office'));
    await screenshot(page, 'electron-imported');
  });

  it('(2) shows an editor error at the right line as you type', async () => {
    await page.click('button:has-text("Edit")');
    await page.click(byTest('editor-input'));
    await page.keyboard.press('Control+End');
    await page.keyboard.type('MTU = 70000');
    await page.waitForSelector(`${byTest('editor-problems')} li[data-line="7"][data-severity="error"]`);
    await page.click('button:has-text("Cancel")');
  });

  it('(8) exports a QR code after the private-key warning', async () => {
    await page.click(byTest('export-button'));
    await page.click(byTest('export-consent'));
    await page.click(byTest('export-qr'));
    await page.waitForSelector(byTest('qr-code'));
    await page.keyboard.press('Escape');
  });

  it('(9) switches to Japanese', async () => {
    await page.click(byTest('open-settings'));
    await page.selectOption(byTest('language-select'), 'ja');
    await page.waitForSelector('html[lang="ja"]');
  });
});
