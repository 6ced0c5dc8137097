// The cryptographic primitives WireGuard uses, as an interface the core is
// given. The core stays pure (no node:* imports) and tests can inject a
// deterministic provider; engine/crypto-node.ts is the production one.
//
// Byte arrays are plain Uint8Array views; implementations must not keep
// references to arguments after returning.

export interface Crypto {
  /** X25519(privateKey, publicKey). Returns null when the shared secret is all
   *  zeros (a low-order point): WireGuard must never complete a handshake then. */
  dh(privateKey: Uint8Array, publicKey: Uint8Array): Uint8Array | null;
  /** The X25519 public key for a (clamped or unclamped) private key. */
  publicKey(privateKey: Uint8Array): Uint8Array;
  /** 32 random bytes, clamped as a Curve25519 private key. */
  generatePrivateKey(): Uint8Array;
  randomBytes(n: number): Uint8Array;

  /** BLAKE2s-256 over the concatenation of parts. */
  hash(...parts: Uint8Array[]): Uint8Array;
  /** HMAC-BLAKE2s-256(key, concatenation of parts). */
  hmac(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array;
  /** Keyed BLAKE2s with a 16-byte output (mac1, mac2, cookies). Not HMAC. */
  mac(key: Uint8Array, data: Uint8Array): Uint8Array;

  /** ChaCha20-Poly1305 with nonce = 4 zero bytes || counter (u64 LE).
   *  Returns ciphertext || 16-byte tag. */
  seal(key: Uint8Array, counter: bigint, plaintext: Uint8Array, ad: Uint8Array): Uint8Array;
  /** Returns the plaintext, or null if authentication fails. */
  open(key: Uint8Array, counter: bigint, ciphertext: Uint8Array, ad: Uint8Array): Uint8Array | null;

  /** XChaCha20-Poly1305 with a 24-byte nonce (cookie replies). */
  xseal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array;
  xopen(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, ad: Uint8Array): Uint8Array | null;
}

/** A transport counter: a number when below 2^53 (the per-packet case, no
 *  bigint allocated), a bigint otherwise. */
export type Counter = bigint | number;

/** The data-path cipher: transport packets are sealed and opened in place in
 *  preallocated buffers, with no allocation per packet. Kept apart from
 *  `Crypto` so a faster native backend can be chosen by measurement. */
export interface TransportCipher {
  /** Encrypts buf[off, off+len) in place with an empty AD and writes the
   *  16-byte tag at buf[off+len]. The buffer must have room for it. */
  sealInPlace(key: Uint8Array, counter: Counter, buf: Uint8Array, off: number, len: number): void;
  /** Decrypts buf[off, off+len) (ciphertext including its 16-byte tag) in place.
   *  Returns the plaintext length, or -1 if authentication fails. */
  openInPlace(key: Uint8Array, counter: Counter, buf: Uint8Array, off: number, len: number): number;
}
