// End to end, first run: the real renderer in Debian's Chromium over the
// loopback bridge, with no tunnels yet. The window offers Import, Create and
// "Try the WireGuard demo server"; the demo dialog, pointed at a stand-in
// demo server on 127.0.0.1 that speaks the real protocol, creates a tunnel
// that appears in the list. No helper runs (nothing is switched on), so no
// root is needed.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright';
import { decodeKey, publicKeyFromPrivate } from '../../shared/config/index.js';
import { startFakeDemoServer, type FakeDemoServer } from '../support/fake-demo-server.js';
import type { Bridge } from './bridge/bridge-server.js';
import { FakeApp } from './support/fake-app.js';
import { byTest, CHROMIUM, screenshot } from './support/browser.js';

const SERVER_PK = Buffer.from('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f', 'hex').toString('base64');
const skip = existsSync(CHROMIUM) ? false : `needs ${CHROMIUM}`;

describe('first run: import, create, or try the demo server', { skip }, () => {
  const app = new FakeApp({ running: false });
  let bridge: Bridge;
  let page: Page;
  let demo: FakeDemoServer;
  let refusing: FakeDemoServer;
  const button = (name: string) => page.getByRole('button', { name, exact: true });

  before(async () => {
    demo = await startFakeDemoServer((line) => (decodeKey(line) ? `OK:${SERVER_PK}:12912:192.168.4.33\n` : 'ERROR\n'));
    refusing = await startFakeDemoServer(() => 'ERROR\n');
    await app.start([]);
    bridge = app.bridge;
    page = await app.open();
    await page.waitForSelector(byTest('empty-state'));
  });

  after(async () => {
    await app.close();
    await demo?.close();
    await refusing?.close();
  });

  it('offers the three choices as real buttons, each named and described', async () => {
    const choices = [
      ['Import a tunnel', /\.conf or \.zip file/],
      ['Create a tunnel', /freshly generated key/],
      ['Try the WireGuard demo server', /demo server in one step/],
    ] as const;
    for (const [name, description] of choices) {
      const b = button(name);
      assert.equal(await b.count(), 1, `one button named "${name}"`);
      assert.equal(await b.evaluate((el) => el.tagName), 'BUTTON');
      const describedBy = await b.getAttribute('aria-describedby');
      assert.match(await page.locator(`[id="${describedBy}"]`).innerText(), description);
    }
    assert.equal(await page.getByRole('list', { name: 'Ways to add your first tunnel' }).getByRole('button').count(), 3);
    await screenshot(page, '00-first-run');
  });

  it('Import opens the import dialog; Create opens the editor with a fresh key', async () => {
    await button('Import a tunnel').click();
    await page.locator(byTest('import-dialog')).waitFor();
    await page.keyboard.press('Escape');
    await page.locator(byTest('import-dialog')).waitFor({ state: 'detached' });

    await button('Create a tunnel').click();
    const key = page.locator(byTest('editor-public-key'));
    await key.waitFor();
    assert.ok(decodeKey(await key.innerText()), 'the new tunnel has a key pair already');
    await button('Cancel').click();
    await page.locator(byTest('empty-state')).waitFor();
  });

  it('the demo dialog has a labelled host field, demo.wireguard.com by default, and words an ERROR reply', async () => {
    await button('Try the WireGuard demo server').click();
    const dialog = page.getByRole('dialog', { name: 'Try the WireGuard demo server' });
    await dialog.waitFor();
    const host = dialog.getByLabel('Demo server', { exact: true });
    assert.equal(await host.inputValue(), 'demo.wireguard.com');
    assert.match(await page.locator(`[id="${await host.getAttribute('aria-describedby')}"]`).innerText(), /42912/);
    await screenshot(page, '00-demo-dialog');

    await host.fill(`127.0.0.1:${refusing.port}`);
    await dialog.getByRole('button', { name: 'Create demo tunnel' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    assert.equal(await alert.innerText(), `The demo server 127.0.0.1:${refusing.port} replied ERROR: it could not add this computer as a peer. Try again later.`);
    assert.equal(refusing.received.length, 1);
    assert.deepEqual(bridge.core.profiles.list(), [], 'nothing is saved after an ERROR');

    await host.fill('demo.wireguard.com:0');
    await dialog.getByRole('button', { name: 'Create demo tunnel' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'is not a demo server address' }).waitFor();
    assert.equal(await host.getAttribute('aria-invalid'), 'true');
  });

  it('creates the demo tunnel from the server\'s reply, and it appears in the list', async () => {
    const dialog = page.getByRole('dialog', { name: 'Try the WireGuard demo server' });
    await dialog.getByLabel('Demo server', { exact: true }).fill(`127.0.0.1:${demo.port}`);
    await dialog.getByRole('button', { name: 'Create demo tunnel' }).click();
    await page.locator(byTest('tunnel-row-demo')).waitFor();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.locator(`${byTest('tunnel-list')} li`).count(), 1);
    assert.equal(await page.locator(byTest('empty-state')).count(), 0, 'the first-run choices give way to the tunnel');

    const text = bridge.core.profiles.read('demo');
    const privateKey = /^PrivateKey = (\S+)$/m.exec(text)?.[1] ?? '';
    assert.equal(demo.received.length, 1);
    assert.equal(publicKeyFromPrivate(privateKey), demo.received[0], 'the server got the public half of the stored key');
    assert.match(text, /^Address = 192\.168\.4\.33\/24$/m);
    assert.match(text, /^Endpoint = 127\.0\.0\.1:12912$/m);
    assert.match(text, /^AllowedIPs = 192\.168\.4\.1\/32$/m);
    await page.locator(byTest('interface-public-key')).filter({ hasText: demo.received[0]! }).waitFor();
    await screenshot(page, '00-demo-created');
  });
});
