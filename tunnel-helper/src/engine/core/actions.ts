// What the core asks its engine to do, and what it tells it. The core never
// performs I/O: every call returns (or appends to) a list of actions, and the
// engine runs them against its TUN device and UDP sockets.
import type { Endpoint } from './endpoint.js';
import type { Peer } from './peer.js';

export type Action =
  /** Send `data` to the peer's endpoint. tx_bytes already counts it.
   *  `clearSource`: forget the cached local source address first (the
   *  handshake is being retried, perhaps because that address went away). */
  | { type: 'send-datagram'; peer: Peer; endpoint: Endpoint; data: Uint8Array; clearSource: boolean }
  /** A cookie reply to the source of a handshake message (not necessarily a peer). */
  | { type: 'send-to-source'; endpoint: Endpoint; data: Uint8Array }
  /** An authenticated inner IP packet. The engine must still check that
   *  allowed-IPs maps `source` (the inner source address) to `peer`. */
  | { type: 'write-tun'; peer: Peer; packet: Uint8Array; source: Uint8Array }
  /** The peer roamed: authenticated traffic now arrives from `endpoint`. */
  | { type: 'endpoint-changed'; peer: Peer; endpoint: Endpoint; previous: Endpoint | null }
  | { type: 'handshake-initiated'; peer: Peer; retry: boolean }
  /** The route or local address toward the peer's endpoint changed: its
   *  sticky source was cleared (and a handshake started if it was in use). */
  | { type: 'path-changed'; peer: Peer }
  /** A new session is usable; `wallMs` is the new latest-handshake time. */
  | { type: 'handshake-completed'; peer: Peer; wallMs: number }
  /** Gave up after MAX_TIMER_HANDSHAKES retries; staged packets were dropped. */
  | { type: 'handshake-failed'; peer: Peer; attempts: number }
  | { type: 'cookie-received'; peer: Peer }
  /** A response to our initiation failed to decrypt: the peer took our
   *  initiation, so its keys for us are right, but the preshared keys differ.
   *  Reported once per initiation, so a flood of forgeries cannot flood logs. */
  | { type: 'handshake-response-invalid'; peer: Peer }
  /** No new handshake for 540 s: all session keys were erased. */
  | { type: 'keys-zeroed'; peer: Peer }
  /** A peer was removed because its public key became our own. */
  | { type: 'peer-removed'; peer: Peer };

export type ActionType = Action['type'];

/** Why an incoming transport packet was not delivered. */
export type DropReason =
  | 'not-transport'   // too short, or not a type-4 message
  | 'unknown-index'   // no keypair under that receiver index
  | 'keypair-expired' // the keypair is older than REJECT_AFTER_TIME
  | 'decrypt-failed'  // authentication failed
  | 'replay'          // counter already seen, too old, or beyond REJECT_AFTER_MESSAGES
  | 'bad-ip-packet';  // authenticated, but not a well-formed IPv4/IPv6 packet

/** Result of `DeviceCore.decryptInPlace`. The core reuses ONE instance for every
 *  call (no allocation per packet): read it before the next call. */
export interface DecryptResult {
  kind: 'data' | 'keepalive' | 'drop';
  /** Set when kind is 'drop'. */
  reason: DropReason | null;
  /** The authenticated peer (also set for 'bad-ip-packet' drops). */
  peer: Peer | null;
  /** The trimmed inner IP packet is buf[offset, offset + length). */
  offset: number;
  length: number;
  ipVersion: 0 | 4 | 6;
  /** The inner source address is buf[sourceOffset, sourceOffset + sourceLength):
   *  the engine checks it against allowed-IPs. */
  sourceOffset: number;
  sourceLength: number;
}
