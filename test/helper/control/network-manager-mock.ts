// python3-dbusmock's NetworkManager template on a test's private system bus
// (system-bus.ts), driven through its org.freedesktop.DBus.Mock methods:
// Wi-Fi devices, access points, connections and active connections.
import { spawn, type ChildProcess } from 'node:child_process';
import { DbusConnection } from '../../../tunnel-helper/src/helper/system/dbus-client.js';
import type { DbusValue } from '../../../tunnel-helper/src/helper/system/dbus-wire.js';
import { waitFor } from '../../support/netns.js';

const NM = 'org.freedesktop.NetworkManager';
const NM_PATH = '/org/freedesktop/NetworkManager';
/** NMDeviceState ACTIVATED and NMActiveConnectionState ACTIVATED. */
const DEVICE_ACTIVATED = 100;
const CONNECTION_ACTIVATED = 2;

export class NetworkManagerMock {
  private child: ChildProcess | null = null;
  private conn: DbusConnection | null = null;

  constructor(private readonly busAddress: string) {}

  async start(): Promise<void> {
    this.conn = await DbusConnection.open(this.busAddress);
    const child = spawn('/usr/bin/python3', ['-m', 'dbusmock', '--system', '--template', 'networkmanager'], {
      env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: this.busAddress }, stdio: 'ignore',
    });
    this.child = child;
    await waitFor(async () => (await this.conn!.nameHasOwner(NM)) || child.exitCode !== null, 20_000, 'the NetworkManager mock');
    if (child.exitCode !== null) throw new Error('python3-dbusmock exited');
  }

  private async mock(member: string, signature: string, body: DbusValue[]): Promise<string> {
    const [r] = await this.conn!.call({ destination: NM, path: NM_PATH, interface: 'org.freedesktop.DBus.Mock', member, signature, body });
    return typeof r === 'string' ? r : '';
  }

  addWiFiDevice(name: string, ifname: string): Promise<string> {
    return this.mock('AddWiFiDevice', 'ssi', [name, ifname, DEVICE_ACTIVATED]);
  }

  /** An access point: infrastructure mode, 2.4 GHz, WPA-PSK (NM_802_11_AP_SEC_KEY_MGMT_PSK). */
  addAccessPoint(device: string, name: string, ssid: string, bssid: string): Promise<string> {
    return this.mock('AddAccessPoint', 'ssssuuuyu', [device, name, ssid, bssid, 2, 2412, 54000, 80, 0x100]);
  }

  /** A saved connection for `ssid`; the template names it after the SSID. */
  addWiFiConnection(device: string, name: string, ssid: string): Promise<string> {
    return this.mock('AddWiFiConnection', 'ssss', [device, name, ssid, 'wpa-psk']);
  }

  addActiveConnection(devices: string[], connection: string, accessPoint: string, name: string): Promise<string> {
    return this.mock('AddActiveConnection', 'assssu', [devices, connection, accessPoint, name, CONNECTION_ACTIVATED]);
  }

  removeActiveConnection(device: string, active: string): Promise<string> {
    return this.mock('RemoveActiveConnection', 'ss', [device, active]);
  }

  /** Sets a property and emits PropertiesChanged, as NetworkManager does. */
  setProperty(path: string, iface: string, name: string, value: { signature: string; value: DbusValue }): Promise<string> {
    return this.mock('SetProperty', 'sssv', [path, iface, name, value]);
  }

  /** Adds a property the template lacks (PrimaryConnection): dbusmock's AddProperty on the manager object. */
  addManagerProperty(iface: string, name: string, value: { signature: string; value: DbusValue }): Promise<string> {
    return this.mock('AddProperty', 'ssv', [iface, name, value]);
  }

  /** NetworkManager leaves the bus (stopped, or never installed). */
  stop(): void {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
    this.child = null;
  }

  destroy(): void {
    this.stop();
    this.conn?.close();
  }
}
