// The receiver index table (wg-go indextable.go, kernel peerlookup.c).
//
// Every handshake we take part in, and later the keypair it yields, is named by
// a random 32-bit index that we choose. The peer echoes it in the `receiver`
// field of responses, cookie replies and transport packets, so the index is how
// an incoming message finds its state without revealing who we are.
//
// Indices are random rather than sequential so they leak nothing about how
// many sessions a host has. They are unique among live entries. wg-go and the
// kernel may hand out 0; this table never does, so callers can keep 0 to mean
// "no index" (peers accept any value, so this is invisible on the wire).
//
// The lifecycle: `newIndex(handshake)` when sending an initiation or response,
// `swap(index, keypair)` when that handshake becomes a keypair (the index
// stays the same), `delete(index)` when the handshake is abandoned or the
// keypair expires.

/** Tries before concluding the random source is broken. With a good source a
 *  collision needs billions of live entries, so this is never reached. */
const MAX_TRIES = 1_000;

export class IndexTable<E> {
  private readonly table = new Map<number, E>();

  /** `randomU32` returns a uniformly random integer in [0, 2^32); in production
   *  it reads the OS CSPRNG, in tests it can be a fixed sequence. */
  constructor(private readonly randomU32: () => number) {}

  get size(): number {
    return this.table.size;
  }

  /** Registers `entry` under a fresh random index and returns the index. */
  newIndex(entry: E): number {
    for (let i = 0; i < MAX_TRIES; i++) {
      const index = this.randomU32() >>> 0;
      if (index === 0 || this.table.has(index)) continue;
      this.table.set(index, entry);
      return index;
    }
    throw new Error('Could not pick a free session index: the random number source keeps repeating itself.');
  }

  /** The entry for an index from the wire, or undefined if it is unknown. */
  get(index: number): E | undefined {
    return this.table.get(index >>> 0);
  }

  /** Replaces the entry behind an existing index (handshake -> keypair).
   *  Returns false, and changes nothing, if the index is not in use. */
  swap(index: number, entry: E): boolean {
    const key = index >>> 0;
    if (!this.table.has(key)) return false;
    this.table.set(key, entry);
    return true;
  }

  /** Frees an index. Returns whether it was in use. */
  delete(index: number): boolean {
    return this.table.delete(index >>> 0);
  }

  /** Frees every index. */
  clear(): void {
    this.table.clear();
  }
}
