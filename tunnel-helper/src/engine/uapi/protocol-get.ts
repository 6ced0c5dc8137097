// The `get=1` reply, byte for byte as wireguard-go 0.0.20220316 writes it
// (device/uapi.go IpcGetOperation), and its reading on the client side as
// wireguard-tools does (ipc-uapi.h userspace_get_device).
//
//   private_key=<hex>          omitted when unset or zero
//   listen_port=<n>            omitted when 0
//   fwmark=<n>                 omitted when 0
//   then for each peer:
//   public_key=<hex>
//   preshared_key=<hex>        64 zeros when none
//   protocol_version=1
//   endpoint=<ip:port>         omitted when none
//   last_handshake_time_sec=<n>
//   last_handshake_time_nsec=<n>
//   tx_bytes=<n>
//   rx_bytes=<n>
//   persistent_keepalive_interval=<n>
//   allowed_ip=<cidr>          one line each
//   errno=0
//   <blank line>

import type { DeviceState, PeerState } from './device-api.js';
import { Errno, UapiError } from './errors.js';
import { parsePrefix } from './allowed-ip-endpoint.js';
import { parseIpEndpoint } from '../../../../shared/config/ip.js';
import { isZeroKey, keyFromHex, keyToHex } from '../../../../shared/config/keys.js';

const ZERO_KEY_HEX = '0'.repeat(64);

/** The complete reply to `get=1`, terminator included. */
export function formatGet(state: DeviceState): string {
  const out: string[] = [];
  if (state.privateKey !== null && !isZeroKey(state.privateKey)) {
    out.push(`private_key=${keyToHex(state.privateKey)}`);
  }
  if (state.listenPort !== 0) out.push(`listen_port=${state.listenPort}`);
  if (state.fwmark !== 0) out.push(`fwmark=${state.fwmark}`);
  for (const peer of state.peers) formatPeer(peer, out);
  out.push('errno=0', '', '');
  return out.join('\n');
}

function formatPeer(peer: PeerState, out: string[]): void {
  out.push(`public_key=${keyToHex(peer.publicKey)}`);
  out.push(`preshared_key=${peer.presharedKey ? keyToHex(peer.presharedKey) : ZERO_KEY_HEX}`);
  out.push('protocol_version=1');
  if (peer.endpoint !== null) out.push(`endpoint=${peer.endpoint}`);
  out.push(`last_handshake_time_sec=${peer.lastHandshakeSec}`);
  out.push(`last_handshake_time_nsec=${peer.lastHandshakeNsec}`);
  out.push(`tx_bytes=${peer.txBytes}`);
  out.push(`rx_bytes=${peer.rxBytes}`);
  out.push(`persistent_keepalive_interval=${peer.persistentKeepaliveInterval}`);
  for (const prefix of peer.allowedIps) out.push(`allowed_ip=${prefix}`);
}

/**
 * Reads a `get=1` reply into a DeviceState. Like wg(8) it ignores keys it
 * does not know; it throws UapiError with the reply's errno when that is not
 * 0, and EPROTO when the reply is malformed or has no `errno=` line.
 */
export function parseGet(reply: string): DeviceState {
  const state: DeviceState = { privateKey: null, listenPort: 0, fwmark: 0, peers: [] };
  let peer: PeerState | null = null;
  let errno: number | null = null;
  const lines = reply.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line === '') {
      if (i === lines.length - 1) break; // no blank line before the end of the text
      if (errno === null) throw bad('the reply has no errno line');
      if (errno !== 0) throw new UapiError(Math.abs(errno), `the device answered errno=${errno}`);
      return state;
    }
    const eq = line.indexOf('=');
    if (eq === -1) throw bad(`malformed line ${JSON.stringify(line)}`);
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'errno') errno = integer(value, -0x80000000, 0x7fffffff);
    else if (key === 'public_key') state.peers.push((peer = newPeer(hexKey(value))));
    else if (peer === null) readDeviceLine(state, key, value);
    else readPeerLine(peer, key, value);
  }
  throw bad('the reply ended before its blank line');
}

function readDeviceLine(state: DeviceState, key: string, value: string): void {
  if (key === 'private_key') state.privateKey = hexKey(value);
  else if (key === 'listen_port') state.listenPort = integer(value, 0, 0xffff);
  else if (key === 'fwmark') state.fwmark = integer(value, 0, 0xffffffff);
}

function readPeerLine(peer: PeerState, key: string, value: string): void {
  switch (key) {
    case 'preshared_key': {
      const psk = hexKey(value);
      peer.presharedKey = isZeroKey(psk) ? null : psk;
      break;
    }
    case 'endpoint':
      if (!parseIpEndpoint(value)) throw bad(`bad endpoint ${JSON.stringify(value)}`);
      peer.endpoint = value;
      break;
    case 'last_handshake_time_sec': peer.lastHandshakeSec = integer(value, 0, Number.MAX_SAFE_INTEGER); break;
    case 'last_handshake_time_nsec': peer.lastHandshakeNsec = integer(value, 0, 999_999_999); break;
    case 'tx_bytes': peer.txBytes = counter(value); break;
    case 'rx_bytes': peer.rxBytes = counter(value); break;
    case 'persistent_keepalive_interval': peer.persistentKeepaliveInterval = integer(value, 0, 0xffff); break;
    case 'allowed_ip':
      if (!parsePrefix(value)) throw bad(`bad allowed_ip ${JSON.stringify(value)}`);
      peer.allowedIps.push(value);
      break;
  }
}

function newPeer(publicKey: Uint8Array): PeerState {
  return {
    publicKey, presharedKey: null, endpoint: null, lastHandshakeSec: 0, lastHandshakeNsec: 0,
    rxBytes: 0n, txBytes: 0n, persistentKeepaliveInterval: 0, allowedIps: [],
  };
}

function hexKey(value: string): Uint8Array {
  const key = keyFromHex(value);
  if (!key) throw bad(`bad key of ${value.length} characters`); // never echo key material
  return key;
}

function integer(value: string, min: number, max: number): number {
  const n = /^-?[0-9]{1,16}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw bad(`bad number ${JSON.stringify(value)}`);
  return n;
}

function counter(value: string): bigint {
  if (!/^[0-9]{1,20}$/.test(value) || BigInt(value) > 0xffffffffffffffffn) {
    throw bad(`bad counter ${JSON.stringify(value)}`);
  }
  return BigInt(value);
}

function bad(what: string): UapiError {
  return new UapiError(Errno.EPROTO, `malformed get reply: ${what}`);
}
