// The network as NetworkManager names it, over the system bus:
//
//   /org/freedesktop/NetworkManager  PrimaryConnection (o)   the connection with the default route
//     (or, where that property is absent: the first of ActiveConnections marked Default/Default6;
//     VPNs and WireDesk's own tunnels are skipped: they ride on the network, they are not it)
//   that Connection.Active           Id (s), Type (s), SpecificObject (o), Devices (ao)
//   for Type 802-11-wireless         the AccessPoint (SpecificObject, else the device's
//                                    ActiveAccessPoint)'s Ssid (ay)
//
// Every value is type-checked: a wrong type is "no answer", never a crash.
import type { DbusConnection } from './dbus-client.js';
import type { DbusValue } from './dbus-wire.js';

export const NM_NAME = 'org.freedesktop.NetworkManager';
const NM_PATH = '/org/freedesktop/NetworkManager';
const ACTIVE = 'org.freedesktop.NetworkManager.Connection.Active';
const WIRELESS = 'org.freedesktop.NetworkManager.Device.Wireless';
const AP = 'org.freedesktop.NetworkManager.AccessPoint';
export const WIFI_TYPE = '802-11-wireless';
/** IEEE 802.11: an SSID is at most 32 octets. */
const MAX_SSID = 32;

export interface NmIdentity { name: string; ssid: string | null; type: string }

async function get(bus: DbusConnection, path: string, iface: string, prop: string): Promise<DbusValue | null> {
  try {
    const [v] = await bus.call({ destination: NM_NAME, path, interface: 'org.freedesktop.DBus.Properties', member: 'Get', signature: 'ss', body: [iface, prop] });
    return v !== undefined && typeof v === 'object' && 'value' in v ? v.value : null;
  } catch {
    return null;
  }
}

const text = (v: DbusValue | null): string | null => (typeof v === 'string' ? v : null);
const objectPath = (v: DbusValue | null): string | null => (typeof v === 'string' && v.startsWith('/') && v !== '/' ? v : null);
const paths = (v: DbusValue | null): string[] => (Array.isArray(v) ? v.map(objectPath).filter((p): p is string => p !== null) : []);

/** An SSID's octets as text; octets that are not UTF-8 show as U+FFFD. Null for anything but 1-32 bytes. */
export function ssidText(v: DbusValue | null): string | null {
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_SSID || !v.every((b) => typeof b === 'number' && b >= 0 && b <= 255)) return null;
  return new TextDecoder('utf-8', { fatal: false }).decode(Uint8Array.from(v as number[]));
}

/** Connections that ride on another network rather than being one: NetworkManager's VPNs, WireGuard and tun devices. */
const OVERLAY_TYPES = new Set(['vpn', 'wireguard', 'tun']);
const DEVICE = 'org.freedesktop.NetworkManager.Device';

/** Whether this active connection is the network itself, not an overlay (a VPN, or one of WireDesk's own tunnels NetworkManager shows as external). */
async function isUnderlay(bus: DbusConnection, active: string, isTunnel: (ifname: string) => boolean): Promise<boolean> {
  if (OVERLAY_TYPES.has(text(await get(bus, active, ACTIVE, 'Type')) ?? '')) return false;
  if ((await get(bus, active, ACTIVE, 'Vpn')) === true) return false;
  for (const dev of paths(await get(bus, active, ACTIVE, 'Devices'))) {
    const ifname = text(await get(bus, dev, DEVICE, 'Interface'));
    if (ifname && isTunnel(ifname)) return false;
  }
  return true;
}

/** PrimaryConnection, or else the first active connection marked Default/Default6, skipping overlays. */
async function primaryConnection(bus: DbusConnection, isTunnel: (ifname: string) => boolean): Promise<string | null> {
  const candidates: string[] = [];
  const primary = objectPath(await get(bus, NM_PATH, NM_NAME, 'PrimaryConnection'));
  if (primary) candidates.push(primary);
  for (const p of paths(await get(bus, NM_PATH, NM_NAME, 'ActiveConnections'))) {
    if ((await get(bus, p, ACTIVE, 'Default')) === true || (await get(bus, p, ACTIVE, 'Default6')) === true) candidates.push(p);
  }
  for (const c of candidates) if (await isUnderlay(bus, c, isTunnel)) return c;
  return null;
}

/** NetworkManager's current network, or null when it has no primary connection (offline). */
export async function readNmIdentity(bus: DbusConnection, isTunnel: (ifname: string) => boolean = () => false): Promise<NmIdentity | null> {
  const active = await primaryConnection(bus, isTunnel);
  if (!active) return null;
  const name = text(await get(bus, active, ACTIVE, 'Id'));
  if (!name) return null;
  const type = text(await get(bus, active, ACTIVE, 'Type')) ?? '';
  let ssid: string | null = null;
  if (type === WIFI_TYPE) {
    const aps = [objectPath(await get(bus, active, ACTIVE, 'SpecificObject'))];
    for (const dev of paths(await get(bus, active, ACTIVE, 'Devices'))) aps.push(objectPath(await get(bus, dev, WIRELESS, 'ActiveAccessPoint')));
    for (const ap of aps) {
      if (!ap) continue;
      ssid = ssidText(await get(bus, ap, AP, 'Ssid'));
      if (ssid) break;
    }
  }
  return { name: name.slice(0, 256), ssid, type };
}
