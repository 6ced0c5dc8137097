// The protocol state of one peer: its handshake, keypairs, cookie generator,
// timers, staged packets, endpoint and transfer counters. The engine holds a
// Peer as an opaque handle (for its allowed-IPs trie) and reads its public
// fields; all mutation goes through DeviceCore.
import type { Crypto } from './crypto.js';
import type { Endpoint } from './endpoint.js';
import { KEY_SIZE, MAX_STAGED_PACKETS } from './constants.js';
import { CookieGenerator } from './cookie.js';
import { type DeleteKeypair, Keypairs } from './keypair.js';
import type { SymmetricState } from './noise-ikpsk2.js';
import { PeerTimers } from './timers.js';
import { TAI64N_SIZE, toHex } from './messages.js';

export const HandshakeState = {
  Zeroed: 0,
  InitiationCreated: 1,
  InitiationConsumed: 2,
  ResponseCreated: 3,
  ResponseConsumed: 4,
} as const;
export type HandshakeState = (typeof HandshakeState)[keyof typeof HandshakeState];

/** The in-progress Noise handshake with one peer (wg-go `Handshake`). */
export class Handshake {
  state: HandshakeState = HandshakeState.Zeroed;
  noise: SymmetricState | null = null;
  presharedKey: Uint8Array = new Uint8Array(KEY_SIZE);
  localEphemeral: Uint8Array | null = null;
  /** Our index for this handshake in the index table, null when none. */
  localIndex: number | null = null;
  remoteIndex = 0;
  remoteEphemeral: Uint8Array | null = null;
  /** DH(our static, their static); null when it is zero (a low-order key)
   *  or we have no private key: then no handshake can ever complete. */
  precomputedStaticStatic: Uint8Array | null = null;
  /** Greatest TAI64N accepted from this peer (replay protection). */
  lastTimestamp: Uint8Array = new Uint8Array(TAI64N_SIZE);
  lastInitiationConsumption = -Infinity;
  lastSentHandshake = -Infinity;
  /** An undecryptable response to the current initiation was already reported. */
  invalidResponseReported = false;

  /** Forgets the in-progress handshake (but not replay/flood history). */
  clear(): void {
    this.localEphemeral?.fill(0);
    this.localEphemeral = null;
    this.remoteEphemeral = null;
    this.noise?.chainKey.fill(0);
    this.noise = null;
    this.localIndex = null;
    this.state = HandshakeState.Zeroed;
    this.invalidResponseReported = false;
  }
}

export class Peer {
  /** Hex of the public key: the key of the device's peer map. */
  readonly id: string;
  endpoint: Endpoint | null = null;
  /** Persistent keepalive interval in seconds, 0 when off. */
  persistentKeepaliveInterval = 0;
  readonly handshake = new Handshake();
  readonly keypairs: Keypairs;
  readonly cookieGenerator: CookieGenerator;
  readonly timers = new PeerTimers();
  /** IP packets waiting for a usable keypair, oldest first. A zero-length
   *  entry is a keepalive. */
  staged: Uint8Array[] = [];
  /** UAPI rx_bytes / tx_bytes, counted as wg-go does. */
  rxBytes = 0;
  txBytes = 0;
  /** wg(8)'s "latest handshake": wall-clock ms since the epoch, 0 when none. */
  latestHandshakeMs = 0;
  /** The next datagram should be sent without the cached source address. */
  clearSourceOnSend = false;
  removed = false;

  constructor(crypto: Crypto, readonly publicKey: Uint8Array, deleteKeypair: DeleteKeypair) {
    this.id = toHex(publicKey);
    this.keypairs = new Keypairs(deleteKeypair);
    this.cookieGenerator = new CookieGenerator(crypto, publicKey);
  }

  /** Queues a packet (the caller's copy) for when a keypair is usable,
   *  dropping the oldest beyond MAX_STAGED_PACKETS. */
  stage(packet: Uint8Array): void {
    this.staged.push(packet);
    if (this.staged.length > MAX_STAGED_PACKETS) this.staged.shift();
  }
}
