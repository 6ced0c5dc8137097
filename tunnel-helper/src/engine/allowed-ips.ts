// Cryptokey routing: the allowed-IPs table (whitepaper §2; kernel allowedips.c,
// wg-go allowedips.go).
//
// It answers two per-packet questions: which peer does an outgoing packet's
// destination belong to, and is an incoming packet's source one its peer may
// use. Both are longest-prefix matches over the peers' allowed IPs.
//
// The structure is the kernel's path-compressed binary trie, one per family.
// Every node holds a prefix (key masked to `cidr` bits). A node either belongs
// to a peer or is a "glue" node with no peer that joins two subtrees where
// their prefixes diverge; glue nodes always have two children, so the trie has
// at most 2n - 1 nodes for n prefixes. The child taken below a node is the
// address bit just after its prefix.
//
// Addresses are handled as 32-bit words (one for IPv4, four for IPv6) and keys
// and masks are kept in node fields, so a lookup reads the address straight
// from the packet buffer and walks the trie with no allocation.
//
// A prefix belongs to exactly one peer: inserting it for another peer moves it
// (and re-inserting moves it to the end of that peer's list, as the kernel
// does). Each peer's prefixes are kept in insertion order for UAPI `get`.

type Peer = NonNullable<unknown>;

class TrieNode<P extends Peer> {
  peer: P | undefined;
  c0: TrieNode<P> | null = null;
  c1: TrieNode<P> | null = null;
  parent: TrieNode<P> | null = null;
  // The masked key and its mask, one int32 per address word.
  readonly k0: number; readonly k1: number; readonly k2: number; readonly k3: number;
  readonly m0: number; readonly m1: number; readonly m2: number; readonly m3: number;
  /** Which address word, and which bit in it, chooses the child. */
  readonly bitWord: number;
  readonly shift: number;

  constructor(key: Int32Array, readonly cidr: number, readonly v6: boolean, peer: P | undefined) {
    this.peer = peer;
    this.k0 = key[0]!; this.k1 = key[1]!; this.k2 = key[2]!; this.k3 = key[3]!;
    this.m0 = maskWord(cidr, 0); this.m1 = maskWord(cidr, 1);
    this.m2 = maskWord(cidr, 2); this.m3 = maskWord(cidr, 3);
    this.bitWord = cidr >>> 5;
    this.shift = 31 - (cidr & 31);
  }
}

/** The mask for address word `i` of a /cidr prefix, as an int32. */
function maskWord(cidr: number, i: number): number {
  const n = cidr - 32 * i;
  if (n <= 0) return 0;
  if (n >= 32) return -1;
  return -1 << (32 - n);
}

function read32(b: Uint8Array, off: number): number {
  return (b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!;
}

/** The address as four int32 words, masked to `cidr` bits. */
function maskedKey(bytes: Uint8Array, cidr: number): Int32Array {
  const key = new Int32Array(4);
  for (let i = 0; i < bytes.length >>> 2; i++) key[i] = read32(bytes, i * 4) & maskWord(cidr, i);
  return key;
}

/** A node's key as words; only the (rare) insert and remove paths need it. */
function keyOf(node: TrieNode<Peer>): Int32Array {
  return Int32Array.of(node.k0, node.k1, node.k2, node.k3);
}

/** How many leading bits two keys share. */
function commonBits(a: Int32Array, b: Int32Array): number {
  for (let i = 0; i < 4; i++) {
    const x = a[i]! ^ b[i]!;
    if (x !== 0) return 32 * i + Math.clz32(x);
  }
  return 128;
}

function bitAt(key: Int32Array, pos: number): number {
  return (key[pos >>> 5]! >>> (31 - (pos & 31))) & 1;
}

/** Whether the node's prefix contains `key`. */
function covers(node: TrieNode<Peer>, key: Int32Array): boolean {
  return ((node.k0 ^ key[0]!) & node.m0) === 0 && ((node.k1 ^ key[1]!) & node.m1) === 0 &&
    ((node.k2 ^ key[2]!) & node.m2) === 0 && ((node.k3 ^ key[3]!) & node.m3) === 0;
}

export interface AllowedIp {
  /** The masked network address: 4 bytes for IPv4, 16 for IPv6. */
  bytes: Uint8Array;
  cidr: number;
}

export class AllowedIps<P extends Peer> {
  private root4: TrieNode<P> | null = null;
  private root6: TrieNode<P> | null = null;
  private readonly byPeer = new Map<P, Set<TrieNode<P>>>();

  /** Routes `bytes/cidr` (4 or 16 bytes) to `peer`, masking off host bits. A
   *  prefix another peer owned moves to `peer`. */
  insert(bytes: Uint8Array, cidr: number, peer: P): void {
    const v6 = checkPrefix(bytes, cidr);
    const key = maskedKey(bytes, cidr);
    const root = v6 ? this.root6 : this.root4;
    if (root === null) {
      this.setRoot(v6, this.adopt(new TrieNode(key, cidr, v6, peer)));
      return;
    }
    let parent: TrieNode<P> | null = null;
    let node: TrieNode<P> | null = root;
    while (node !== null && node.cidr <= cidr && covers(node, key)) {
      if (node.cidr === cidr) {
        this.setPeer(node, peer);
        return;
      }
      parent = node;
      node = bitAt(key, node.cidr) === 0 ? node.c0 : node.c1;
    }
    const fresh = this.adopt(new TrieNode(key, cidr, v6, peer));
    if (node === null) {
      setChild(parent!, bitAt(key, parent!.cidr), fresh);
      return;
    }
    // `node` is in the way: the new prefix either contains it or diverges from it.
    const nodeKey = keyOf(node);
    const common = Math.min(cidr, commonBits(nodeKey, key));
    let top: TrieNode<P>;
    if (common === cidr) {
      setChild(fresh, bitAt(nodeKey, cidr), node);
      top = fresh;
    } else {
      const glueKey = Int32Array.from(key, (w, i) => w & maskWord(common, i));
      top = new TrieNode<P>(glueKey, common, v6, undefined);
      setChild(top, bitAt(nodeKey, common), node);
      setChild(top, bitAt(key, common), fresh);
    }
    if (parent === null) this.setRoot(v6, top);
    else setChild(parent, bitAt(key, parent.cidr), top);
  }

  /** Removes `bytes/cidr`, but only if `peer` owns exactly that prefix.
   *  Returns whether something was removed. */
  remove(bytes: Uint8Array, cidr: number, peer: P): boolean {
    const v6 = checkPrefix(bytes, cidr);
    const key = maskedKey(bytes, cidr);
    let node = v6 ? this.root6 : this.root4;
    while (node !== null && node.cidr <= cidr && covers(node, key)) {
      if (node.cidr === cidr) {
        if (node.peer !== peer) return false;
        this.removeNode(node);
        return true;
      }
      node = bitAt(key, node.cidr) === 0 ? node.c0 : node.c1;
    }
    return false;
  }

  /** Removes every prefix of `peer`. */
  removeByPeer(peer: P): void {
    const nodes = this.byPeer.get(peer);
    if (nodes === undefined) return;
    for (const node of [...nodes]) this.removeNode(node);
    this.byPeer.delete(peer);
  }

  /** The prefixes of `peer`, in the order they were (last) inserted. */
  entriesForPeer(peer: P): AllowedIp[] {
    const out: AllowedIp[] = [];
    for (const node of this.byPeer.get(peer) ?? []) {
      const bytes = new Uint8Array(node.v6 ? 16 : 4);
      const view = new DataView(bytes.buffer);
      const key = keyOf(node);
      for (let i = 0; i < bytes.length >>> 2; i++) view.setInt32(i * 4, key[i]!);
      out.push({ bytes, cidr: node.cidr });
    }
    return out;
  }

  /** The peer for an address of 4 or 16 bytes, or undefined. */
  lookup(bytes: Uint8Array): P | undefined {
    if (bytes.length === 4) return this.lookupV4(bytes, 0);
    if (bytes.length === 16) return this.lookupV6(bytes, 0);
    return undefined;
  }

  /** Longest-prefix match of the IPv4 address at buf[off..off+4), e.g. a
   *  packet's source (off 12) or destination (off 16). Allocation-free. */
  lookupV4(buf: Uint8Array, off: number): P | undefined {
    const a = read32(buf, off);
    let found: P | undefined;
    let node = this.root4;
    while (node !== null) {
      if (((a ^ node.k0) & node.m0) !== 0) break;
      if (node.peer !== undefined) found = node.peer;
      node = ((a >>> node.shift) & 1) === 0 ? node.c0 : node.c1;
    }
    return found;
  }

  /** Longest-prefix match of the IPv6 address at buf[off..off+16), e.g. a
   *  packet's source (off 8) or destination (off 24). Allocation-free. */
  lookupV6(buf: Uint8Array, off: number): P | undefined {
    const a0 = read32(buf, off);
    const a1 = read32(buf, off + 4);
    const a2 = read32(buf, off + 8);
    const a3 = read32(buf, off + 12);
    let found: P | undefined;
    let node = this.root6;
    while (node !== null) {
      if ((((a0 ^ node.k0) & node.m0) | ((a1 ^ node.k1) & node.m1) |
        ((a2 ^ node.k2) & node.m2) | ((a3 ^ node.k3) & node.m3)) !== 0) break;
      if (node.peer !== undefined) found = node.peer;
      const w = node.bitWord;
      const word = w === 0 ? a0 : w === 1 ? a1 : w === 2 ? a2 : a3;
      node = ((word >>> node.shift) & 1) === 0 ? node.c0 : node.c1;
    }
    return found;
  }

  clear(): void {
    this.root4 = this.root6 = null;
    this.byPeer.clear();
  }

  /** True when no prefix is routed (both tries are empty). */
  get isEmpty(): boolean {
    return this.root4 === null && this.root6 === null;
  }

  private setRoot(v6: boolean, node: TrieNode<P> | null): void {
    if (node !== null) node.parent = null;
    if (v6) this.root6 = node;
    else this.root4 = node;
  }

  /** Records a new peer-owned node in its peer's list. */
  private adopt(node: TrieNode<P>): TrieNode<P> {
    this.listFor(node.peer!).add(node);
    return node;
  }

  private listFor(peer: P): Set<TrieNode<P>> {
    const set = this.byPeer.get(peer) ?? new Set<TrieNode<P>>();
    this.byPeer.set(peer, set);
    return set;
  }

  private setPeer(node: TrieNode<P>, peer: P): void {
    if (node.peer !== undefined) this.byPeer.get(node.peer)?.delete(node);
    node.peer = peer;
    this.listFor(peer).add(node);
  }

  /** Drops a node's peer and compacts the trie so glue nodes keep two children. */
  private removeNode(node: TrieNode<P>): void {
    if (node.peer !== undefined) {
      const set = this.byPeer.get(node.peer);
      set?.delete(node);
      if (set?.size === 0) this.byPeer.delete(node.peer);
    }
    node.peer = undefined;
    if (node.c0 !== null && node.c1 !== null) return; // now glue
    const parent = node.parent;
    const child = node.c0 ?? node.c1;
    this.replace(parent, node, child);
    // A leaf left its glue parent with one child: splice the parent out too.
    if (child === null && parent !== null && parent.peer === undefined) {
      this.replace(parent.parent, parent, parent.c0 ?? parent.c1);
    }
  }

  private replace(parent: TrieNode<P> | null, old: TrieNode<P>, next: TrieNode<P> | null): void {
    if (parent === null) return this.setRoot(old.v6, next);
    if (parent.c0 === old) parent.c0 = next;
    else parent.c1 = next;
    if (next !== null) next.parent = parent;
  }
}

function setChild<P extends Peer>(parent: TrieNode<P>, bit: number, child: TrieNode<P>): void {
  if (bit === 0) parent.c0 = child;
  else parent.c1 = child;
  child.parent = parent;
}

/** Validates a prefix; returns whether it is IPv6. */
function checkPrefix(bytes: Uint8Array, cidr: number): boolean {
  if (bytes.length !== 4 && bytes.length !== 16) {
    throw new RangeError(`An allowed IP must be 4 or 16 bytes, not ${bytes.length}.`);
  }
  const max = bytes.length * 8;
  if (!Number.isInteger(cidr) || cidr < 0 || cidr > max) {
    throw new RangeError(`A /${cidr} prefix is out of range for ${max === 32 ? 'IPv4' : 'IPv6'} (0-${max}).`);
  }
  return max === 128;
}
