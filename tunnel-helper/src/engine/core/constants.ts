// Constants of the WireGuard protocol, named as in the paper and wireguard-go.
// Times are in milliseconds, since the core measures `now` in ms.

// --- Specification constants (whitepaper §6) ---
export const REKEY_AFTER_MESSAGES = 1n << 60n;
export const REJECT_AFTER_MESSAGES = (1n << 64n) - (1n << 13n) - 1n;
export const REKEY_AFTER_TIME = 120_000;
export const REJECT_AFTER_TIME = 180_000;
export const REKEY_ATTEMPT_TIME = 90_000;
export const REKEY_TIMEOUT = 5_000;
export const REKEY_TIMEOUT_JITTER_MAX = 334; // 0..333 ms
export const KEEPALIVE_TIMEOUT = 10_000;
export const COOKIE_REFRESH_TIME = 120_000;
export const HANDSHAKE_INITIATION_RATE = 20; // 1/50 s
export const MAX_TIMER_HANDSHAKES = REKEY_ATTEMPT_TIME / REKEY_TIMEOUT; // 18
/** Keys are zeroed when no new handshake has happened for this long. */
export const ZERO_KEYS_AFTER = REJECT_AFTER_TIME * 3; // 540 s
/** An initiator that receives on a keypair this old starts a last-minute handshake. */
export const KEEP_KEY_FRESH_RECEIVING =
  REJECT_AFTER_TIME - KEEPALIVE_TIMEOUT - REKEY_TIMEOUT; // 165 s
/** A new handshake is started if nothing authenticated arrives this long after sending data. */
export const NEW_HANDSHAKE_AFTER = KEEPALIVE_TIMEOUT + REKEY_TIMEOUT; // 15 s

// --- Message formats (whitepaper §5.4) ---
export const MESSAGE_INITIATION = 1;
export const MESSAGE_RESPONSE = 2;
export const MESSAGE_COOKIE_REPLY = 3;
export const MESSAGE_TRANSPORT = 4;
export const INITIATION_SIZE = 148;
export const RESPONSE_SIZE = 92;
export const COOKIE_REPLY_SIZE = 64;
export const TRANSPORT_HEADER_SIZE = 16;
export const AEAD_TAG_SIZE = 16;
export const TRANSPORT_MIN_SIZE = TRANSPORT_HEADER_SIZE + AEAD_TAG_SIZE; // a keepalive
export const KEY_SIZE = 32;

// --- Implementation constants ---
/** Packets held for a peer while its handshake completes. */
export const MAX_STAGED_PACKETS = 128;
/** Handshake queue depth at which the device counts as under load (wg-go 1024/8). */
export const UNDER_LOAD_QUEUE_DEPTH = 128;
/** The under-load state lasts this long after the queue drains. */
export const UNDER_LOAD_AFTER_TIME = 1_000;
/** Per-source handshake rate limit when under load: 20 packets/s, burst 5. */
export const RATE_LIMIT_PACKETS_PER_SECOND = 20;
export const RATE_LIMIT_BURST = 5;
/** Blocks of 64 bits in the replay window; the window is (blocks - 1) * 64 = 8128. */
export const REPLAY_BLOCKS = 128;
export const REPLAY_WINDOW = (REPLAY_BLOCKS - 1) * 64;
export const DEFAULT_MTU = 1420;
