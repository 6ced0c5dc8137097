// End to end, on-demand rules in the window: the real renderer in Debian's
// Chromium over the loopback bridge, the real app-core and its on-demand
// controller, and the helper played by the protocol-checked fake, which
// reports the network as the real helper's watcher does (the real watcher is
// test/helper/control/on-demand-*.test.ts). A rule is chosen in the detail
// view, the tunnel comes up because the network is untrusted, "Trust this
// network" is clicked, and it goes down again; the tray says when a rule
// holds a tunnel on.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright';
import type { NetworkIdentity } from '../../shared/control/protocol.js';
import type { Bridge } from './bridge/bridge-server.js';
import { FakeApp } from './support/fake-app.js';
import { byTest, CHROMIUM, screenshot } from './support/browser.js';

const skip = existsSync(CHROMIUM) ? false : `needs ${CHROMIUM}`;

const cafe: NetworkIdentity = { key: 'gw:02:00:00:aa:00:01/192.0.2.0/24', source: 'gateway', connectionName: null, ssid: null, gatewayMac: '02:00:00:aa:00:01', subnet: '192.0.2.0/24', at: 1 };
const home: NetworkIdentity = { key: 'gw:02:00:00:bb:00:01/198.51.100.0/24', source: 'gateway', connectionName: null, ssid: null, gatewayMac: '02:00:00:bb:00:01', subnet: '198.51.100.0/24', at: 2 };

describe('on-demand rules in the window', { skip }, () => {
  const app = new FakeApp();
  const { helper } = app;
  let bridge: Bridge;
  let page: Page;
  helper.networkNow = home;
  const upState = (name: string) => helper.send('tunnel-state', { name, state: 'up', reason: null, diagnosis: null, at: Date.now() });
  const trayLabel = () => bridge.core.tray().items.find((i) => i.id === 'tunnel:office')?.label ?? '';

  before(async () => {
    await app.start(['office']);
    bridge = app.bridge;
    assert.equal(await bridge.core.helper.attachIfRunning(), true, 'attached at startup, as electron/main.ts does');
    page = await app.open();
    await page.click(`${byTest('tunnel-row-office')} .tunnel-row__main`);
    await page.waitForSelector(byTest('on-demand-card'));
  });

  after(async () => {
    await app.close();
  });

  it('trusts the network it is on, from the detail view', async () => {
    await page.locator(byTest('current-network')).getByText('Network 198.51.100.0/24 (gateway 02:00:00:bb:00:01)').waitFor();
    await page.click(byTest('trust-network'));
    await page.locator(byTest('current-network')).getByText('Trusted', { exact: true }).waitFor();
    assert.deepEqual((await bridge.core.handlers['ondemand:get']()).trusted.map((k) => k.key), [home.key]);
    assert.equal(await page.locator(byTest('trust-network')).count(), 0, 'a trusted network offers no second "Trust"');
  });

  it('connects on an untrusted network because of the rule, and the tray says so', async () => {
    await page.selectOption(byTest('on-demand-mode'), 'untrusted');
    assert.deepEqual(helper.upCalls.map((c) => c.name), [], 'the trusted network keeps it off');
    helper.networkNow = cafe;
    helper.send('network', cafe);
    await page.locator(byTest('on-demand-reason')).getByText('On because this network is not trusted.').waitFor();
    assert.deepEqual(helper.upCalls.map((c) => c.name), ['office']);
    upState('office');
    await page.waitForSelector(`${byTest('tunnel-row-office')}[data-state="up"]`);
    assert.match(trayLabel(), /office — /, 'the tray marks a tunnel a rule holds on');
    await screenshot(page, 'on-demand-untrusted');
  });

  it('goes off when the user trusts this network too, and the reason follows in Japanese', async () => {
    await page.click(byTest('trust-network'));
    await page.locator(byTest('on-demand-reason')).getByText('Off because this network is trusted.').waitFor();
    assert.deepEqual(helper.downCalls, ['office']);
    assert.deepEqual((await bridge.core.handlers['ondemand:get']()).trusted.map((k) => k.key).sort(), [cafe.key, home.key].sort());
    await bridge.core.handlers['settings:set']({ language: 'ja' });
    await page.locator(byTest('on-demand-reason')).getByText('このネットワークは信頼されているため、オフにしました。').waitFor();
    await bridge.core.handlers['settings:set']({ language: 'en' });
  });
});
