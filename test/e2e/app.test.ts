// End to end: the real renderer bundle in Debian's Chromium, the real
// app-core behind the loopback bridge, the real wiredesk-helper and engine in
// a namespace, and a wireguard-go peer in another. Specs run in order and
// share one app, as a user's session would.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { zipSync } from 'fflate';
import type { Browser, Page } from 'playwright';
import { reversingBox } from '../unit/electron/fakes.js';
import { hasCommand, isRoot, waitFor } from '../support/netns.js';
import { startBridge, type Bridge } from './bridge/bridge-server.js';
import { byTest, CHROMIUM, launchChromium, openApp, screenshot } from './support/browser.js';
import { Lab } from './support/lab.js';

const root = process.cwd();
const missing = [!isRoot() && 'root', !existsSync(CHROMIUM) && CHROMIUM, !hasCommand('wireguard-go') && 'wireguard-go', !hasCommand('wg') && 'wg']
  .filter(Boolean);
const until = (check: () => Promise<boolean>, what: string) => waitFor(check, 15_000, what);
const skip = missing.length ? `needs ${missing.join(', ')}` : false;

describe('WireDesk end to end (Chromium + bridge + helper + wireguard-go)', { skip }, () => {
  let lab: Lab;
  let bridge: Bridge;
  let browser: Browser;
  let page: Page;
  let launcher: ReturnType<Lab['launcher']>;
  const row = (name: string) => page.locator(byTest(`tunnel-row-${name}`));
  const stateOf = (name: string) => row(name).getAttribute('data-state');
  const waitState = (name: string, state: string, timeout = 30_000) =>
    page.waitForSelector(`${byTest(`tunnel-row-${name}`)}[data-state="${state}"]`, { timeout });
  const file = (name: string, text: string | Uint8Array) => {
    const p = join(lab.dir, name);
    writeFileSync(p, text);
    return p;
  };
  const chooseFiles = async (paths: string[]) => {
    await page.click(byTest('open-import'));
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click(byTest('choose-files'))]);
    await chooser.setFiles(paths);
  };

  before(async () => {
    lab = new Lab(root);
    await lab.startPeer();
    launcher = lab.launcher();
    bridge = await startBridge({
      root,
      ports: {
        userDataDir: join(lab.dir, 'userdata'),
        appInfo: { version: '0.1.0', platform: 'linux', systemLocale: 'en-US' },
        secretBox: reversingBox(),
        launcher,
        dialogs: { saveFile: async (_t, name) => join(lab.dir, `saved-${name}`) },
        clipboard: { writeText: () => undefined },
        notifier: { show: () => undefined },
        autostart: { set: () => undefined },
        showWindow: () => undefined,
        quit: () => undefined,
      },
    });
    browser = await launchChromium();
    page = await openApp(browser, bridge.url);
    await page.waitForSelector(byTest('empty-state'));
    await screenshot(page, '01-empty');
  });

  after(async () => {
    await browser?.close();
    await bridge?.close();
    await lab?.destroy();
  });

  it('(1) imports a .conf through the file chooser, and a .zip with one bad file, naming its line', async () => {
    await chooseFiles([file('office.conf', lab.clientConfig())]);
    await row('office').waitFor();
    await page.waitForSelector(`${byTest('import-summary')} >> text=Imported 1 of 1`);

    const good = lab.clientConfig();
    const bad = good.replace(/^PublicKey = .*$/m, 'PublicKey = not-a-key'); // line 8
    await chooseFiles([file('more.zip', zipSync({ 'home.conf': new TextEncoder().encode(good), 'lab.conf': new TextEncoder().encode(good), 'broken.conf': new TextEncoder().encode(bad) }))]);
    const summary = page.locator(byTest('import-summary'));
    await summary.locator('text=Imported 2 of 3').waitFor();
    assert.match(await page.locator(byTest('import-failure')).innerText(), /^broken\.conf:8: error: PublicKey/);
    await row('home').waitFor();
    await row('lab').waitFor();
    assert.equal(await page.locator(`${byTest('tunnel-list')} li`).count(), 3);
    await page.click(`${byTest('tunnel-row-office')} .tunnel-row__main`);
    await page.waitForSelector(`${byTest('interface-public-key')}`);
    await screenshot(page, '02-imported');
    await page.click('.toast button[aria-label="Close"]');
  });

  it('(1b) imports .conf files dropped anywhere on the window, with the same summary', async () => {
    const good = lab.clientConfig();
    const bad = good.replace(/^Endpoint = (.*):\d+$/m, 'Endpoint = $1'); // the port is missing
    assert.notEqual(bad, good);
    // Runs in the page, where DataTransfer and File are the DOM's.
    const dataTransfer = await page.evaluateHandle(([g, b]) => {
      const dom = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: string[], name: string, options: { type: string }) => unknown;
      };
      const dt = new dom.DataTransfer();
      dt.items.add(new dom.File([g], 'dropped.conf', { type: 'text/plain' }));
      dt.items.add(new dom.File([b], 'bad-drop.conf', { type: 'text/plain' }));
      return dt;
    }, [good, bad] as const);
    await page.dispatchEvent('.shell', 'dragover', { dataTransfer });
    await page.locator('.dropzone').waitFor();
    await page.dispatchEvent('.shell', 'drop', { dataTransfer });
    await page.locator(`${byTest('import-summary')} >> text=Imported 1 of 2`).waitFor();
    assert.match(await page.locator(byTest('import-failure')).innerText(), /^bad-drop\.conf:\d+: error: .*Endpoint/);
    await row('dropped').waitFor();
    assert.equal(await page.locator(`${byTest('tunnel-list')} li`).count(), 4);
    assert.equal(await page.locator('.dropzone').count(), 0, 'the drop zone goes away after the drop');
    await page.click('.toast button[aria-label="Close"]');
  });

  it('(2) shows an editor error at the right line as you type, and blocks Save', async () => {
    await page.click(`${byTest('tunnel-row-home')} .tunnel-row__main`);
    await page.click('button:has-text("Edit")');
    const input = page.locator(byTest('editor-input'));
    await input.waitFor();
    const lines = (await input.inputValue()).split('\n').length;
    await input.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('ListenPort = 99999');
    const problem = page.locator(`${byTest('editor-problems')} li[data-line="${lines}"][data-severity="error"]`);
    await problem.waitFor();
    assert.match(await problem.innerText(), /ListenPort/);
    assert.match((await page.locator(`.editor__gutter [data-line="${lines}"]`).getAttribute('class')) ?? '', /gutter--error/);
    assert.equal(await page.locator(byTest('editor-save')).isDisabled(), true);
    await screenshot(page, '03-editor-error');
    for (let i = 0; i < 'ListenPort = 99999'.length; i++) await page.keyboard.press('Backspace');
    await page.waitForSelector(`${byTest('editor-problems')} li[data-severity="error"]`, { state: 'detached' });
    assert.equal(await page.locator(byTest('editor-save')).isDisabled(), false);
    await page.click('button:has-text("Cancel")');
  });

  it('(3) a toggle goes connecting, and up only after the handshake', async () => {
    await page.click(`${byTest('tunnel-row-office')} .tunnel-row__main`);
    await page.click(byTest('toggle-office'));
    await waitState('office', 'connecting', 5_000);
    assert.equal(launcher.launches, 1, 'the helper is launched on the first switch-on');
    // The peer ignores us: handshakes go out, none completes, so no "up".
    await page.waitForSelector(`${byTest('handshake-entry')}.timeline__item--initiated`, { timeout: 20_000 });
    assert.equal(await stateOf('office'), 'connecting');
    assert.equal(await page.locator(`${byTest('handshake-entry')}.timeline__item--completed`).count(), 0);
    lab.acceptApp();
    await waitState('office', 'up', 30_000);
    await page.waitForSelector(`${byTest('handshake-entry')}.timeline__item--completed`);
    assert.doesNotMatch(await page.locator(byTest('peer-card')).innerText(), /none yet/);
  });

  it('(4) pings through the tunnel raise the counters and the graph', async () => {
    const transfer = page.locator(byTest('peer-transfer'));
    const rxBefore = Number(await transfer.getAttribute('data-rx'));
    lab.pingFromApp(15, 1200);
    const graph = page.locator(byTest('throughput-graph'));
    await until(async () => Number(await transfer.getAttribute('data-rx')) > rxBefore + 15 * 1200, 'the received counter to grow');
    await until(async () => Number(await graph.getAttribute('data-peak')) > 1000 && Number(await graph.getAttribute('data-points')) > 1, 'the graph to rise');
    lab.pingFromApp(10, 1200);
    await screenshot(page, '04-tunnel-up');
  });

  it('(5) the peer moving shows a roaming entry', async () => {
    lab.movePeer(51821);
    lab.pingFromPeer(3);
    const entry = page.locator(byTest('roaming-entry')).filter({ hasText: ':51821' });
    await entry.first().waitFor({ timeout: 15_000 });
    assert.match(await entry.first().innerText(), /10\.213\.0\.2:51820 → 10\.213\.0\.2:51821/);
    assert.match(await page.locator(byTest('peer-endpoint')).innerText(), /:51821/);
  });

  it('(6) the peer stopping shows degraded with its diagnosis', async () => {
    lab.stopPeer();
    await page.click(byTest('toggle-office'));
    await waitState('office', 'down', 20_000);
    await page.click(byTest('toggle-office'));
    await waitState('office', 'degraded', 40_000);
    const banner = page.locator(byTest('diagnosis-banner'));
    await banner.waitFor();
    assert.equal(await banner.getAttribute('data-code'), 'no-reply');
    assert.match(await banner.innerText(), /reply|UDP|endpoint/i);
    await screenshot(page, '05-degraded');
  });

  it('(7) toggles through the tray menu model', async () => {
    assert.equal(bridge.core.tray().icon, 'degraded');
    await bridge.core.clickTrayItem('tunnel:office');
    await waitState('office', 'down', 20_000);
    assert.equal(bridge.core.tray().icon, 'off');
    await bridge.core.clickTrayItem('tunnel:lab');
    await waitState('lab', 'connecting', 5_000);
    assert.equal(bridge.core.tray().items.find((i) => i.id === 'tunnel:lab')?.checked, true);
    await bridge.core.clickTrayItem('tunnel:lab');
    await waitState('lab', 'down', 20_000);
    assert.equal(bridge.core.tray().items.find((i) => i.id === 'tunnel:lab')?.checked, false);
  });

  it('(8) exports a QR code after the private-key warning that a real decoder reads as the exported .conf, byte for byte',
    { skip: hasCommand('zbarimg') ? false : 'needs zbarimg (zbar-tools; scripts/install-test-deps.sh)' }, async () => {
      await page.click(`${byTest('tunnel-row-office')} .tunnel-row__main`);
      await page.click(byTest('export-button'));
      await page.locator(byTest('private-key-warning')).waitFor();
      assert.equal(await page.locator(byTest('export-qr')).count(), 0, 'nothing is offered before consent');
      await page.click(byTest('export-consent'));
      // The .conf export first (the save dialog answers lab.dir/saved-office.conf): the QR must hold exactly that.
      await page.click(`${byTest('export-dialog')} button:has-text("Save as .conf")`);
      await page.locator(`${byTest('export-dialog')} [role="status"]:has-text("Saved.")`).waitFor();
      const exported = readFileSync(join(lab.dir, 'saved-office.conf'));
      assert.match(exported.toString('utf8'), /^PrivateKey = \S+$/m, 'the export is the whole config, private key included');
      assert.deepEqual(exported, readFileSync(join(lab.dir, 'office.conf')), 'the export is the .conf that was imported');
      await page.click(byTest('export-qr'));
      const qr = page.locator(byTest('qr-code'));
      await qr.waitFor();
      // Scan what the user sees: a screenshot of the rendered element, decoded by zbar. -Sbinary
      // gives the symbol's bytes as they are (no charset guessing, no newline added).
      const png = join(lab.dir, 'qr.png');
      await qr.screenshot({ path: png });
      const decoded = execFileSync('zbarimg', ['--raw', '-q', '--nodbus', '-Sbinary', png], { timeout: 30_000 });
      assert.ok(decoded.equals(exported),
        `the QR decodes to ${decoded.length} bytes that differ from the ${exported.length}-byte export:\n${decoded.toString('latin1')}`);
      await screenshot(page, '06-qr');
      await page.keyboard.press('Escape');
      await qr.waitFor({ state: 'detached' });
    });

  it('(9) switches to Japanese', async () => {
    await page.click(byTest('open-settings'));
    await page.selectOption(byTest('language-select'), 'ja');
    await page.waitForSelector('html[lang="ja"]');
    await page.locator('h1:has-text("設定")').waitFor();
    await screenshot(page, '07-settings-ja');
    await page.click('button[aria-label="戻る"]');
    await page.click(`${byTest('tunnel-row-office')} .tunnel-row__main`);
    await page.locator(`${byTest('state-badge')}:has-text("オフ")`).waitFor();
    assert.match(await page.locator(byTest('throughput-graph')).innerText(), /スループット/);
    await screenshot(page, '08-detail-ja');
  });
});
