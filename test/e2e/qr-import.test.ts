// End to end, import from a picture of a QR code: the real renderer bundle in
// Debian's Chromium over the loopback bridge, the real app-core and its QR
// reader (ZXing in WebAssembly, loaded from node_modules). The QR code the
// export dialog draws is photographed by Chromium as a JPEG and imported
// through the import dialog's file chooser; a PNG is pasted as a copied
// screenshot would be; a blurred picture and a URL's QR code get their
// sentences, in English and in Japanese. No helper runs, so no root is needed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright';
import { qrFor } from '../../electron/app-core/transfer/export-files.js';
import { hasCommand } from '../support/netns.js';
import { boxBlur, drawQr, encodePng } from '../support/qr-picture.js';
import { sampleConfig } from '../unit/electron/fakes.js';
import type { Bridge } from './bridge/bridge-server.js';
import { FakeApp } from './support/fake-app.js';
import { byTest, CHROMIUM, screenshot } from './support/browser.js';

const skip = existsSync(CHROMIUM) ? false : `needs ${CHROMIUM}`;

/**
 * Runs in the page: what Chromium hands the page when a copied picture is
 * pasted, a paste event carrying a PNG file. Written without DOM types
 * (this file compiles for Node), and passed to the page as source.
 */
function pastePng(base64: string): void {
  const w = globalThis as unknown as {
    atob(s: string): string;
    DataTransfer: new () => { items: { add(f: unknown): void } };
    File: new (parts: unknown[], name: string, o: { type: string }) => unknown;
    ClipboardEvent: new (type: string, o: object) => unknown;
    document: { activeElement: { dispatchEvent(e: unknown): void } | null; body: { dispatchEvent(e: unknown): void } };
  };
  const bytes = Uint8Array.from(w.atob(base64), (c) => c.charCodeAt(0));
  const data = new w.DataTransfer();
  data.items.add(new w.File([bytes], 'image.png', { type: 'image/png' }));
  (w.document.activeElement ?? w.document.body).dispatchEvent(new w.ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
}

describe('import from a picture of a QR code, end to end', { skip }, () => {
  const app = new FakeApp({ running: false });
  let bridge: Bridge;
  let page: Page;
  const dir = mkdtempSync(join(tmpdir(), 'wiredesk-qr-e2e-'));
  const file = (name: string, bytes: Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, bytes);
    return p;
  };
  const chooseFiles = async (paths: string[]) => {
    await page.click(byTest('open-import'));
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click(byTest('choose-files'))]);
    await chooser.setFiles(paths);
  };
  const summary = () => page.locator(byTest('import-summary'));
  const readConfig = async (name: string) => bridge.core.handlers['tunnels:readConfig'](name);

  before(async () => {
    await app.start(['office']);
    bridge = app.bridge;
    page = await app.open();
    await page.locator(byTest('tunnel-row-office')).waitFor();
  });

  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a JPEG photo of the exported QR code through the file chooser as the identical config', async () => {
    await page.click(`${byTest('tunnel-row-office')} .tunnel-row__main`);
    await page.click(byTest('export-button'));
    await page.click(byTest('export-consent'));
    await page.click(byTest('export-qr'));
    const qr = page.locator(byTest('qr-code'));
    await qr.waitFor();
    const jpeg = await qr.screenshot({ type: 'jpeg', quality: 75 });
    assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff], 'Chromium wrote a JPEG');
    await page.keyboard.press('Escape');
    await qr.waitFor({ state: 'detached' });

    await chooseFiles([file('phone.jpg', jpeg)]);
    await page.locator(byTest('tunnel-row-phone')).waitFor();
    assert.equal(await summary().innerText(), 'Imported 1 of 1');
    assert.equal(await readConfig('phone'), await readConfig('office'));
  });

  it('the JPEG is one an independent decoder (zbarimg) reads too', { skip: !hasCommand('zbarimg') && 'needs zbarimg (zbar-tools)' }, async () => {
    // The detail view now shows "phone", the same config: photograph its code again.
    await page.click(byTest('export-button'));
    await page.click(byTest('export-consent'));
    await page.click(byTest('export-qr'));
    const path = file('again.jpg', await page.locator(byTest('qr-code')).screenshot({ type: 'jpeg', quality: 75 }));
    await page.keyboard.press('Escape');
    const zbar = spawnSync('zbarimg', ['--quiet', '--raw', '--nodbus', '-Sbinary', path]);
    assert.deepEqual(zbar.stdout, Buffer.from(sampleConfig()), zbar.stderr.toString());
  });

  it('imports a QR code image pasted into the import dialog, under the name typed there', async () => {
    await page.click(byTest('open-import'));
    await page.getByLabel('Name for the pasted tunnel').fill('laptop');
    assert.match(await page.locator(byTest('qr-import-hint')).innerText(), /can also be pasted here \(Ctrl\+V\)/);
    await screenshot(page, 'qr-import-dialog');
    const png = Buffer.from(encodePng(drawQr(qrFor(sampleConfig()), 5))).toString('base64');
    await page.evaluate(`${pastePng.toString()}(${JSON.stringify(png)})`);
    await page.locator(byTest('tunnel-row-laptop')).waitFor();
    assert.equal(await readConfig('laptop'), sampleConfig());
  });

  it('says a blurred picture has no readable QR code, and what a URL\'s QR code holds; nothing is imported', async () => {
    const before = bridge.core.profiles.list();
    const blurred = file('blurred.png', encodePng(boxBlur(drawQr(qrFor(sampleConfig()), 6), 6)));
    const link = file('link.png', encodePng(drawQr(qrFor('https://example.com/welcome'), 6)));
    await chooseFiles([blurred, link]);
    await summary().locator('text=Imported 0 of 2').waitFor();
    const failures = await page.locator(byTest('import-failure')).allInnerTexts();
    assert.deepEqual(failures, [
      'blurred.png: No readable QR code was found in the image. Use a sharper picture taken straight on, with the whole code and a white border around it.',
      'link.png: The QR code does not hold a WireGuard configuration; it holds "https://example.com/welcome".',
    ]);
    assert.deepEqual(bridge.core.profiles.list(), before);
    await screenshot(page, 'qr-import-failures');

    // In Japanese, the summary on screen is worded again from the same problems.
    await bridge.core.handlers['settings:set']({ language: 'ja' });
    await page.waitForSelector('html[lang="ja"]');
    await summary().locator('text=2 件中 0 件をインポートしました').waitFor();
    assert.deepEqual(await page.locator(byTest('import-failure')).allInnerTexts(), [
      'blurred.png: 画像から読み取れる QR コードが見つかりません。コード全体と周りの白い余白が写った、ピントの合った画像を正面から撮り直してください。',
      'link.png: この QR コードは WireGuard の設定ではありません。内容:「https://example.com/welcome」',
    ]);
    await screenshot(page, 'qr-import-failures-ja');
  });
});
