// On-demand rules end to end, without NetworkManager: the real helper in a
// namespace identifies the network by its default gateway's MAC and subnet
// (rtnetlink), app-core's controller hears it on a real control connection,
// and switches a tunnel to a real wireguard-go peer up and down.
//
//   client ns (helper)  veth A 192.168.240.1/24 ---- 192.168.240.2 peer ns (wireguard-go; gateway A)
//                       veth B 192.168.241.1/24 ---- 192.168.241.2 peer ns (gateway B, another MAC)
//
// Moving the default route from A to B is moving to another network.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createAppCore, type AppCore } from '../../../electron/app-core/app-core.js';
import { connectControl } from '../../../electron/app-core/helper/control-adapter.js';
import { HELPER_VERSION } from '../../../tunnel-helper/src/helper/control/helper.js';

import { hasCommand, isRoot, vethPair, waitFor } from '../../support/netns.js';
import { loaded, recordingPorts } from '../../unit/electron/fakes.js';
import { HelperFixture, OWNER_UID, PEER_V4 } from './fixture.js';

const skip = !isRoot() ? 'needs root' : !hasCommand('wireguard-go') ? 'needs wireguard-go' : false;

describe('on-demand rules follow the gateway', { skip }, () => {
  let fx: HelperFixture;
  let core: AppCore;
  let name: string;
  let macA = '';
  let macB = '';
  const savedAddress = process.env.DBUS_SYSTEM_BUS_ADDRESS;

  before(async () => {
    // No NetworkManager: the helper identifies networks by their gateway.
    process.env.DBUS_SYSTEM_BUS_ADDRESS = 'unix:path=/nonexistent/wiredesk-test-bus';
    fx = new HelperFixture();
    const peer = fx.addPeer(1);
    name = fx.tunnelName(1);
    const b = vethPair(fx.client, '192.168.241.1/24', fx.peer, '192.168.241.2/24');
    macA = fx.peer.exec('cat', [`/sys/class/net/${fx.peerVeth}/address`]).trim();
    macB = fx.peer.exec('cat', [`/sys/class/net/${b.bIf}/address`]).trim();
    fx.client.exec('ip', ['route', 'add', 'default', 'via', PEER_V4]);
    await fx.startHelper();
    const launcher = {
      connect: () => connectControl(fx.socketPath, OWNER_UID),
      appVersion: HELPER_VERSION,
      installed: () => ({ state: 'current', version: HELPER_VERSION }) as const,
      install: () => Promise.reject(new Error('the test runs the helper itself')),
      start: () => Promise.reject(new Error('the test runs the helper itself')),
    };
    core = createAppCore(recordingPorts(launcher));
    core.profiles.write(name, loaded(fx.configFor(peer)));
    assert.ok(await core.helper.attachIfRunning(), 'the app reaches the helper');
  });
  after(() => {
    if (savedAddress === undefined) delete process.env.DBUS_SYSTEM_BUS_ADDRESS;
    else process.env.DBUS_SYSTEM_BUS_ADDRESS = savedAddress;
    core?.helper.current()?.close();
    fx?.destroy();
  });

  const networkKey = async () => (await core.handlers['ondemand:get']()).network?.key;
  const state = () => core.tunnels.stateOf(name);
  const pingThroughTunnel = () => fx.client.status('ping', ['-c', '1', '-W', '3', '10.240.1.2']);
  const moveTo = (gateway: string) => fx.client.exec('ip', ['route', 'replace', 'default', 'via', gateway]);

  it('connects on an untrusted network, disconnects when it is trusted, and connects again on another gateway', async () => {
    const A = `gateway:${macA}@192.168.240.0/24`;
    const B = `gateway:${macB}@192.168.241.0/24`;
    await waitFor(async () => (await networkKey()) === A, 15_000, 'the app to learn network A from the helper');
    assert.equal(state(), 'down', 'no rule yet: nothing switches');

    await core.handlers['ondemand:setRule'](name, { mode: 'untrusted', networks: [] });
    await waitFor(() => state() === 'up', 20_000, 'the rule to bring the tunnel up');
    assert.equal(pingThroughTunnel(), 0, 'traffic flows through the tunnel');
    assert.equal((await core.handlers['ondemand:get']()).byRule[name], 'untrusted-network');
    assert.match(core.tray().items.find((i) => i.id === `tunnel:${name}`)?.label ?? '', /on by an on-demand rule/);

    const trusted = await core.handlers['ondemand:trustCurrent']();
    assert.deepEqual(trusted.trusted, [{ key: A, label: `192.168.240.0/24 · ${macA}` }]);
    await waitFor(() => state() === 'down', 15_000, 'trusting network A to bring the tunnel down');
    assert.deepEqual((await core.helper.current()!.call('listTunnels', {})).tunnels, [], 'the helper runs no tunnel');

    moveTo('192.168.241.2');
    await waitFor(async () => (await networkKey()) === B, 15_000, 'the app to learn network B');
    await waitFor(() => state() === 'up', 20_000, 'network B (untrusted) to bring the tunnel up');
    assert.equal(pingThroughTunnel(), 0, 'traffic flows through the tunnel on network B');

    // Off by hand on B: the rule waits. Back on A (trusted) it stays off; on B again the rule is back.
    await core.handlers['tunnels:setActive'](name, false);
    assert.deepEqual((await core.handlers['ondemand:get']()).suspended, [name]);
    moveTo(PEER_V4);
    await waitFor(async () => (await networkKey()) === A, 15_000, 'back on network A');
    assert.deepEqual((await core.handlers['ondemand:get']()).suspended, [], 'a new network lifts the suspension');
    assert.equal(state(), 'down');
    moveTo('192.168.241.2');
    await waitFor(async () => (await networkKey()) === B, 15_000, 'on network B again');
    await waitFor(() => state() === 'up', 20_000, 'the rule to bring the tunnel up on B again');
    await core.handlers['tunnels:setActive'](name, false);
  });
});
