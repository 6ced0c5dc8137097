// The public view of a profile for lists and the detail page: everything a
// user may see without the private key (which is turned into its public key here).
import {
  entriesOf, lastEntry, parseConfig, publicKeyFromPrivate, type ParsedConfig, type Section,
} from '../../../shared/config/index.js';
import type { PeerInfo, TunnelDetail } from '../../../shared/ipc/types.js';

const list = (section: Section | null | undefined, key: Parameters<typeof entriesOf>[1]): string[] =>
  entriesOf(section, key).flatMap((e) => e.value.split(',')).map((v) => v.trim()).filter((v) => v !== '');

function publicKeyOf(parsed: ParsedConfig): string | null {
  const key = lastEntry(parsed.interface, 'PrivateKey')?.value;
  if (!key) return null;
  try {
    return publicKeyFromPrivate(key);
  } catch {
    return null;
  }
}

function numberOf(section: Section | null | undefined, key: 'MTU' | 'ListenPort' | 'PersistentKeepalive'): number | undefined {
  const v = lastEntry(section, key)?.value;
  if (v === undefined || v === '' || v === 'off') return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

export function describeProfile(name: string, text: string): TunnelDetail {
  const parsed = parseConfig(text);
  const iface = parsed.interface;
  const peers: PeerInfo[] = parsed.peers.map((peer) => {
    const endpoint = lastEntry(peer, 'Endpoint')?.value;
    const keepalive = numberOf(peer, 'PersistentKeepalive');
    return {
      publicKey: lastEntry(peer, 'PublicKey')?.value ?? '',
      ...(endpoint ? { endpoint } : {}),
      allowedIps: list(peer, 'AllowedIPs'),
      ...(keepalive !== undefined ? { persistentKeepalive: keepalive } : {}),
      hasPresharedKey: lastEntry(peer, 'PresharedKey') !== undefined,
    };
  });
  const mtu = numberOf(iface, 'MTU');
  const listenPort = numberOf(iface, 'ListenPort');
  return {
    name,
    publicKey: publicKeyOf(parsed),
    addresses: list(iface, 'Address'),
    dns: list(iface, 'DNS'),
    ...(mtu !== undefined ? { mtu } : {}),
    ...(listenPort !== undefined ? { listenPort } : {}),
    peers,
  };
}
