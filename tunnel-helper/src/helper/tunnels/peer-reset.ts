// The UAPI `set` bodies the helper uses to bring a tunnel back, for any
// engine that speaks wg(8)'s protocol (ours, wireguard-go):
//
//   re-handshake  remove the peer and add it again, same settings: its session
//                 keys go, so the next packet must handshake. No UAPI key says
//                 "forget the keys" (re-setting the same private key is a no-op
//                 in wireguard-go), and after sleep the engine's monotonic clock
//                 still thinks stale keys are fresh. Its counters restart at 0.
//   kick          persistent keepalive 0 -> 25 -> back: one keepalive now, which
//                 with no keys is a handshake initiation.
//   re-bind       listen_port 0, then the port again: both engines close and
//                 reopen their sockets (ours skips a set to the same port).
//   move          endpoint=ADDRESS for one peer, nothing else touched.
import { keyToHex } from '../../../../shared/config/keys.js';
import type { PeerState } from '../../engine/uapi/device-api.js';

const hasKey = (k: Uint8Array | null): k is Uint8Array => k !== null && k.some((b) => b !== 0);

export function reHandshakeBody(p: PeerState): string {
  const key = `public_key=${keyToHex(p.publicKey)}\n`;
  return key + 'remove=true\n' + key +
    (hasKey(p.presharedKey) ? `preshared_key=${keyToHex(p.presharedKey)}\n` : '') +
    (p.endpoint ? `endpoint=${p.endpoint}\n` : '') +
    'replace_allowed_ips=true\n' + p.allowedIps.map((ip) => `allowed_ip=${ip}\n`).join('');
}

/** Set bodies, in order, that send one keepalive now and leave the interval as it was. */
export function kickBodies(p: PeerState): string[] {
  const key = `public_key=${keyToHex(p.publicKey)}\nupdate_only=true\n`;
  if (p.persistentKeepaliveInterval !== 0) return [`${key}persistent_keepalive_interval=${p.persistentKeepaliveInterval}\n`];
  return [`${key}persistent_keepalive_interval=25\n`, `${key}persistent_keepalive_interval=0\n`];
}

export function rebindBodies(listenPort: number): string[] {
  return listenPort === 0 ? ['listen_port=0\n'] : ['listen_port=0\n', `listen_port=${listenPort}\n`];
}

export function moveBody(publicKey: Uint8Array, endpoint: string): string {
  return `public_key=${keyToHex(publicKey)}\nupdate_only=true\nendpoint=${endpoint}\n`;
}
