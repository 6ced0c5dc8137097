import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAppCore } from '../../../../electron/app-core/app-core.js';
import type { NetworkIdentity } from '../../../../shared/control/protocol.js';
import { FakeHelper, fakeLauncher, loaded, recordingPorts, sampleConfig } from '../fakes.js';

const wifi = (ssid: string): NetworkIdentity => ({ key: `wifi:${ssid}`, source: 'networkmanager', connectionName: `${ssid} conn`, ssid, gatewayMac: null, subnet: null, at: 1 });
const settle = () => new Promise((r) => setImmediate(r));

async function setup(network: NetworkIdentity) {
  const helper = new FakeHelper();
  helper.networkNow = network;
  const ports = recordingPorts(fakeLauncher(helper, { running: true }));
  const core = createAppCore(ports);
  core.profiles.write('office', loaded(sampleConfig()));
  await core.helper.attachIfRunning();
  await settle();
  return { helper, ports, core };
}

describe('on-demand controller (app-core over the protocol\'s handlers)', () => {
  it('switches a tunnel on when its rule meets an untrusted network, and off on a trusted one', async () => {
    const { helper, core } = await setup(wifi('Cafe'));
    await core.handlers['ondemand:setRule']('office', { mode: 'untrusted', networks: [] });
    assert.deepEqual(helper.upCalls.map((c) => c.name), ['office']);
    assert.equal((await core.handlers['ondemand:get']()).byRule.office, 'untrusted-network');
    assert.match(core.tray().items.find((i) => i.id === 'tunnel:office')?.label ?? '', /on by an on-demand rule/);

    helper.send('network', wifi('Home'));
    await settle();
    assert.deepEqual(helper.downCalls, [], 'Home is not trusted yet');
    const view = await core.handlers['ondemand:trustCurrent']();
    assert.deepEqual(view.trusted, [{ key: 'wifi:Home', label: 'Home' }]);
    assert.deepEqual(helper.downCalls, ['office'], 'trusting the current network applies at once');
    const after = await core.handlers['ondemand:get']();
    assert.equal(after.byRule.office, undefined);
    assert.equal(after.offByRule.office, 'trusted-network', 'the window says why the rule switched it off');
  });

  it('a tunnel switched off by hand stays off until the network changes', async () => {
    const { helper, core } = await setup(wifi('Cafe'));
    await core.handlers['ondemand:setRule']('office', { mode: 'untrusted', networks: [] });
    await core.handlers['tunnels:setActive']('office', false);
    assert.deepEqual((await core.handlers['ondemand:get']()).suspended, ['office']);
    assert.deepEqual((await core.handlers['ondemand:get']()).offByRule, {}, 'off by hand is not off because of the rule');
    helper.send('network', { ...wifi('Cafe'), at: 9 });
    await settle();
    assert.equal(helper.upCalls.length, 1, 'the same network again does not lift the suspension');
    helper.send('network', wifi('Airport'));
    await settle();
    assert.equal(helper.upCalls.length, 2, 'a new network does');
    assert.deepEqual((await core.handlers['ondemand:get']()).suspended, []);
  });

  it('keeps rules and trusted networks across restarts, and drops a removed tunnel\'s rule', async () => {
    const { ports, core } = await setup(wifi('Home'));
    await core.handlers['ondemand:trustCurrent']();
    await core.handlers['ondemand:setRule']('office', { mode: 'listed', networks: [{ key: 'wifi:Office', label: 'Office' }] });
    const again = createAppCore(ports);
    assert.deepEqual((await again.handlers['ondemand:get']()).trusted.map((n) => n.key), ['wifi:Home']);
    assert.equal((await again.handlers['ondemand:get']()).rules.office?.mode, 'listed');
    await again.handlers['ondemand:untrust']('wifi:Home');
    await again.handlers['tunnels:remove']('office');
    assert.deepEqual(await createAppCore(ports).handlers['ondemand:get'](), { network: null, trusted: [], rules: {}, byRule: {}, offByRule: {}, suspended: [] });
  });
});
