// `wg show` output, character for character as wireguard-tools' show.c prints
// it when stdout is not a terminal (no colours). Pure, so the app reuses it:
//
//   interface: wg0
//     public key: <base64>            only with a private key
//     private key: (hidden)
//     listening port: 51820           omitted when 0
//     fwmark: 0xca6c                  omitted when 0
//                                     blank line, if there are peers
//   peer: <base64>                    peers sorted by latest handshake, newest first
//     preshared key: (hidden)         only when one is set
//     endpoint: 192.0.2.1:51820       [v6]:port
//     allowed ips: 10.0.0.2/32, ...   or (none)
//     latest handshake: 1 minute, 6 seconds ago     omitted when never
//     transfer: 2.67 KiB received, 4.32 KiB sent    omitted when both are 0
//     persistent keepalive: every 25 seconds        omitted when off
import { encodeKey, inetNtop, isZeroKey, parseIp, publicKeyBytes } from '../../../../shared/config/index.js';
import type { DeviceState, PeerState } from '../../engine/uapi/device-api.js';
import { formatBytes, formatDuration, formatHandshakeAge } from '../../../../shared/config/wg-units.js';

export { formatBytes, formatDuration, formatHandshakeAge } from '../../../../shared/config/wg-units.js';

/** show.c peer_cmp: newest handshake first, peers that never had one last; stable otherwise. */
export function sortPeers(peers: readonly PeerState[]): PeerState[] {
  const never = (p: PeerState) => p.lastHandshakeSec === 0 && p.lastHandshakeNsec === 0;
  return [...peers].sort((a, b) => {
    if (never(a) !== never(b)) return never(a) ? 1 : -1;
    return (b.lastHandshakeSec - a.lastHandshakeSec) || (b.lastHandshakeNsec - a.lastHandshakeNsec);
  });
}

/** An allowed IP or endpoint address re-printed as wg does (glibc inet_ntop). */
function canonicalIp(text: string): string {
  const ip = parseIp(text);
  return ip ? inetNtop(ip) : text;
}

export function formatAllowedIp(prefix: string): string {
  const slash = prefix.lastIndexOf('/');
  return slash < 0 ? canonicalIp(prefix) : `${canonicalIp(prefix.slice(0, slash))}/${prefix.slice(slash + 1)}`;
}

export function formatShowEndpoint(endpoint: string): string {
  const m = /^\[([^\]]+)\]:([0-9]+)$/.exec(endpoint);
  if (m) {
    const host = canonicalIp(m[1]!.replace(/%.*$/, ''));
    return host.includes(':') ? `[${host}]:${m[2]}` : `${host}:${m[2]}`;
  }
  return endpoint;
}

export interface ShowOptions {
  /** WG_HIDE_KEYS=never: print the private and preshared keys. */
  showKeys?: boolean;
}

/** One interface as `wg show IFNAME` prints it; `nowSec` is the current Unix time in seconds. */
export function formatShow(state: DeviceState, ifname: string, nowSec: number, opts: ShowOptions = {}): string {
  const hidden = (key: Uint8Array) => (opts.showKeys ? encodeKey(key) : '(hidden)');
  const out: string[] = [`interface: ${ifname}`];
  const priv = state.privateKey !== null && !isZeroKey(state.privateKey) ? state.privateKey : null;
  if (priv) {
    out.push(`  public key: ${encodeKey(publicKeyBytes(priv))}`);
    out.push(`  private key: ${hidden(priv)}`);
  }
  if (state.listenPort) out.push(`  listening port: ${state.listenPort}`);
  if (state.fwmark) out.push(`  fwmark: 0x${(state.fwmark >>> 0).toString(16)}`);
  const peers = sortPeers(state.peers);
  if (peers.length > 0) out.push('');
  peers.forEach((peer, i) => {
    out.push(`peer: ${encodeKey(peer.publicKey)}`);
    if (peer.presharedKey !== null && !isZeroKey(peer.presharedKey)) out.push(`  preshared key: ${hidden(peer.presharedKey)}`);
    if (peer.endpoint !== null) out.push(`  endpoint: ${formatShowEndpoint(peer.endpoint)}`);
    out.push(`  allowed ips: ${peer.allowedIps.length > 0 ? peer.allowedIps.map(formatAllowedIp).join(', ') : '(none)'}`);
    if (peer.lastHandshakeSec) out.push(`  latest handshake: ${formatHandshakeAge(Math.floor(nowSec) - peer.lastHandshakeSec)}`);
    if (peer.rxBytes || peer.txBytes) out.push(`  transfer: ${formatBytes(peer.rxBytes)} received, ${formatBytes(peer.txBytes)} sent`);
    if (peer.persistentKeepaliveInterval) out.push(`  persistent keepalive: every ${formatDuration(peer.persistentKeepaliveInterval)}`);
    if (i < peers.length - 1) out.push('');
  });
  return `${out.join('\n')}\n`;
}

/** Several interfaces as `wg show` prints them: separated by a blank line. */
export function formatShowAll(devices: readonly { ifname: string; state: DeviceState }[], nowSec: number, opts: ShowOptions = {}): string {
  return devices.map((d) => formatShow(d.state, d.ifname, nowSec, opts)).join('\n');
}
