// Session keypairs and their rotation (wg-go keypair.go, noise-protocol.go
// BeginSymmetricSession / ReceivedWithKeypair).
//
//   initiator, response consumed:   previous <- current (or next, if one was
//                                   waiting), current <- new   (usable at once)
//   responder, response sent:       next <- new; previous dropped
//   responder, first data under next (key confirmation):
//                                   previous <- current, current <- next
//
// A responder must not send under a keypair before the initiator has shown it
// holds it too, otherwise a replayed initiation could make it encrypt under a
// session the initiator never derived.
//
// Send counters are plain numbers: a keypair is refused after REJECT_AFTER_TIME
// (180 s), which no link can fill with 2^53 packets, so they stay exact.
import { REJECT_AFTER_MESSAGES, REJECT_AFTER_TIME, REKEY_AFTER_MESSAGES } from './constants.js';
import { ReplayFilter } from './replay.js';

/** REKEY/REJECT_AFTER_MESSAGES as numbers for the send path (2^60 is exact;
 *  the reject limit rounds to 2^64 - 2^13, far beyond any reachable counter). */
export const REKEY_AFTER_MESSAGES_NUMBER = Number(REKEY_AFTER_MESSAGES);
export const REJECT_AFTER_MESSAGES_NUMBER = Number(REJECT_AFTER_MESSAGES);

export class Keypair {
  /** The counter the next packet is sent with. */
  sendNonce = 0;
  readonly replay = new ReplayFilter();

  constructor(
    public sendKey: Uint8Array,
    public receiveKey: Uint8Array,
    readonly isInitiator: boolean,
    /** Monotonic ms when the session was derived. */
    readonly created: number,
    readonly localIndex: number,
    readonly remoteIndex: number,
  ) {}

  /** Whether packets may still be sent under this keypair. */
  canSend(now: number): boolean {
    return this.sendNonce < REJECT_AFTER_MESSAGES_NUMBER && now - this.created < REJECT_AFTER_TIME;
  }

  /** Erases the key material; the keypair can no longer send or receive.
   *  The keys become new arrays too: a native cipher caches its key schedule
   *  per key array and frees it when the old array is collected. */
  zero(): void {
    this.sendKey.fill(0);
    this.receiveKey.fill(0);
    this.sendKey = new Uint8Array(this.sendKey.length);
    this.receiveKey = new Uint8Array(this.receiveKey.length);
    this.sendNonce = REJECT_AFTER_MESSAGES_NUMBER;
  }
}

/** Called for every keypair that leaves the rotation (to free its index). */
export type DeleteKeypair = (kp: Keypair) => void;

export class Keypairs {
  previous: Keypair | null = null;
  current: Keypair | null = null;
  /** The responder's unconfirmed keypair. */
  next: Keypair | null = null;

  constructor(private readonly deleteKeypair: DeleteKeypair) {}

  private drop(kp: Keypair | null): void {
    if (kp !== null) this.deleteKeypair(kp);
  }

  /** Installs a freshly derived keypair. */
  install(kp: Keypair): void {
    if (kp.isInitiator) {
      const oldPrevious = this.previous;
      if (this.next !== null) {
        // An unconfirmed responder session is still more recent than current.
        this.previous = this.next;
        this.next = null;
        this.drop(this.current);
      } else {
        this.previous = this.current;
      }
      this.drop(oldPrevious);
      this.current = kp;
    } else {
      this.drop(this.next);
      this.drop(this.previous);
      this.next = kp;
      this.previous = null;
    }
  }

  /** Key confirmation: promotes `next` when data arrives under it.
   *  Returns true if it did (the session just became usable for sending). */
  receivedWith(kp: Keypair): boolean {
    if (this.next !== kp) return false;
    this.drop(this.previous);
    this.previous = this.current;
    this.current = kp;
    this.next = null;
    return true;
  }

  /** Drops every keypair (keys zeroed, peer removed). */
  clear(): void {
    this.drop(this.previous);
    this.drop(this.current);
    this.drop(this.next);
    this.previous = this.current = this.next = null;
  }
}
