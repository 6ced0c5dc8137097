// The state one WireGuard interface shares between its peers: our static
// identity, the cookie checker, the receiver index table, the handshake rate
// limiter and the MTU (the shared half of wg-go's Device). DeviceCore owns one; the protocol functions in
// noise-handshake.ts, send.ts, receive.ts and timer-expiry.ts operate on it.
import type { Crypto, TransportCipher } from './crypto.js';
import { CookieChecker } from './cookie.js';
import { IndexTable } from './index-table.js';
import type { Keypair } from './keypair.js';
import type { Peer } from './peer.js';
import { RateLimiter } from './ratelimiter.js';
import { Jitter } from './timers.js';

export interface StaticIdentity {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** What a receiver index names: a handshake in progress (keypair null) or a keypair. */
export interface IndexEntry {
  readonly peer: Peer;
  readonly keypair: Keypair | null;
}

export class DeviceContext {
  identity: StaticIdentity | null = null;
  readonly cookieChecker: CookieChecker;
  readonly indexTable: IndexTable<IndexEntry>;
  readonly rateLimiter = new RateLimiter();
  readonly jitter: Jitter;
  /** Peers by the hex of their public key. */
  readonly peers = new Map<string, Peer>();

  constructor(
    readonly crypto: Crypto,
    readonly cipher: TransportCipher,
    public mtu: number,
  ) {
    this.cookieChecker = new CookieChecker(crypto);
    this.jitter = new Jitter(crypto);
    this.indexTable = new IndexTable(() => {
      const b = crypto.randomBytes(4);
      return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
    });
  }

  /** Frees a keypair's index and erases its keys. */
  readonly deleteKeypair = (kp: Keypair): void => {
    this.indexTable.delete(kp.localIndex);
    kp.zero();
  };

  /** Forgets a peer's in-progress handshake, freeing its index. */
  clearHandshake(peer: Peer): void {
    const hs = peer.handshake;
    if (hs.localIndex !== null) this.indexTable.delete(hs.localIndex);
    hs.clear();
  }

  /** Erases every session key of a peer and drops its staged packets. */
  zeroAndFlushAll(peer: Peer): void {
    peer.keypairs.clear();
    this.clearHandshake(peer);
    peer.staged = [];
  }
}
