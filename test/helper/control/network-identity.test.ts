// The helper tells the app which network the computer is on. With
// NetworkManager on the system bus (a private dbus-daemon with
// python3-dbusmock's NetworkManager template), that is the Wi-Fi's SSID and
// the connection's name, and a new active connection is a new network. When
// NetworkManager leaves, the helper falls back to the default gateway's MAC
// and subnet, read over rtnetlink in the helper's namespace.
import { execFileSync } from 'node:child_process';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { HelperClient } from '../../../electron/app-core/helper/control-client.js';
import type { NetworkIdentity } from '../../../shared/control/protocol.js';
import { hasCommand, isRoot, waitFor } from '../../support/netns.js';
import { HelperFixture, PEER_V4, collect } from './fixture.js';
import { NetworkManagerMock } from './network-manager-mock.js';
import { TestSystemBus } from './system-bus.js';

function hasDbusmock(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import dbusmock.templates.networkmanager'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const skip = !isRoot() ? 'needs root' : !hasCommand('dbus-daemon') ? 'needs dbus-daemon' : !hasDbusmock() ? 'needs python3-dbusmock' : false;
const ACTIVE = 'org.freedesktop.NetworkManager.Connection.Active';

describe('network identity over a real system bus with NetworkManager', { skip }, () => {
  let fx: HelperFixture;
  let bus: TestSystemBus;
  let nm: NetworkManagerMock;
  let app: HelperClient;
  const savedAddress = process.env.DBUS_SYSTEM_BUS_ADDRESS;

  before(async () => {
    bus = new TestSystemBus();
    await bus.start();
    nm = new NetworkManagerMock(bus.address);
    await nm.start();
    process.env.DBUS_SYSTEM_BUS_ADDRESS = bus.address; // the helper inherits it
    fx = new HelperFixture();
    fx.client.exec('ip', ['route', 'add', 'default', 'via', PEER_V4]);
    await fx.startHelper();
    app = await fx.connect();
  });
  after(() => {
    if (savedAddress === undefined) delete process.env.DBUS_SYSTEM_BUS_ADDRESS;
    else process.env.DBUS_SYSTEM_BUS_ADDRESS = savedAddress;
    fx?.destroy();
    nm?.destroy();
    bus?.destroy();
  });

  it('reports the SSID and connection name, follows a new active connection, and falls back to the gateway without NetworkManager', async () => {
    const events = collect<NetworkIdentity>((cb) => app.on('network', cb));
    const wlan = await nm.addWiFiDevice('wlan0', 'wlan0');
    const cafeAp = await nm.addAccessPoint(wlan, 'ap_cafe', 'Café ☕', '00:11:22:33:44:55');
    const cafe = await nm.addWiFiConnection(wlan, 'conn_cafe', 'Café ☕');
    const cafeActive = await nm.addActiveConnection([wlan], cafe, cafeAp, 'ac_cafe');
    // The template names the connection after the SSID; a user's may differ.
    await nm.setProperty(cafeActive, ACTIVE, 'Id', { signature: 's', value: 'Café upstairs' });

    // No PrimaryConnection yet: the helper takes the active connection marked Default.
    await waitFor(() => events.items.some((n) => n.ssid === 'Café ☕'), 15_000, 'the helper to report the café');
    const first = await app.call('network', {});
    assert.deepEqual({ ...first, at: 0 }, {
      key: 'wifi:Café ☕', source: 'networkmanager', connectionName: 'Café upstairs', ssid: 'Café ☕', gatewayMac: null, subnet: null, at: 0,
    });

    const officeAp = await nm.addAccessPoint(wlan, 'ap_office', 'Office', '00:11:22:33:44:66');
    const office = await nm.addWiFiConnection(wlan, 'conn_office', 'Office');
    const officeActive = await nm.addActiveConnection([wlan], office, officeAp, 'ac_office');
    // Both are marked Default now; PrimaryConnection says which one has the default route.
    await nm.addManagerProperty('org.freedesktop.NetworkManager', 'PrimaryConnection', { signature: 'o', value: officeActive });
    await waitFor(() => events.items.some((n) => n.key === 'wifi:Office'), 15_000, 'the helper to follow PrimaryConnection');
    await nm.removeActiveConnection(wlan, cafeActive);
    await waitFor(() => events.items.some((n) => n.key === 'wifi:Office'), 15_000, 'the helper to report the office');
    assert.equal((await app.call('network', {})).connectionName, 'Office');
    // Before the café there may be the gateway (NetworkManager had no connection yet); after it, one event per network.
    const keys = events.items.map((n) => n.key);
    assert.deepEqual(keys.slice(keys.indexOf('wifi:Café ☕')), ['wifi:Café ☕', 'wifi:Office'], 'one event per network, none repeated');

    // A VPN that takes the default route rides on the network; it is not the network.
    const vpn = await nm.addActiveConnection([wlan], office, officeAp, 'ac_vpn');
    await nm.setProperty(vpn, ACTIVE, 'Type', { signature: 's', value: 'vpn' });
    await nm.setProperty(vpn, ACTIVE, 'Id', { signature: 's', value: 'Corporate VPN' });
    await nm.setProperty('/org/freedesktop/NetworkManager', 'org.freedesktop.NetworkManager', 'PrimaryConnection', { signature: 'o', value: vpn });
    await nm.setProperty(officeActive, ACTIVE, 'Id', { signature: 's', value: 'Office 2F' });
    await waitFor(() => events.items.some((n) => n.connectionName === 'Office 2F'), 15_000, 'the helper to read after the VPN became primary');
    assert.ok(!events.items.some((n) => n.connectionName === 'Corporate VPN'), 'the VPN is never reported as the network');
    assert.equal((await app.call('network', {})).key, 'wifi:Office');

    const seenBefore = events.items.length;
    nm.stop();
    const peerMac = fx.peer.exec('cat', [`/sys/class/net/${fx.peerVeth}/address`]).trim();
    await waitFor(() => events.items.slice(seenBefore).some((n) => n.source === 'gateway'), 15_000, 'the helper to fall back to the gateway');
    const gw = await app.call('network', {});
    assert.equal(gw.key, `gateway:${peerMac}@192.168.240.0/24`);
    assert.deepEqual([gw.gatewayMac, gw.subnet, gw.ssid, gw.connectionName], [peerMac, '192.168.240.0/24', null, null]);
    events.stop();
  });
});
