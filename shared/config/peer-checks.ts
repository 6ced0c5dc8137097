// Checks that compare peers with each other: the same PublicKey twice (an
// error: wg would silently merge them) and AllowedIPs claimed by more than one
// peer (a warning: the allowed-IPs trie moves a prefix to the last peer that
// claims it, and longest-prefix match picks between overlapping ones).
import { error, warning, type Diagnostic } from './diagnostic.js';
import { formatCidr, maskCidr, sameCidr, type Cidr } from './ip.js';
import type { Entry, Section } from './model.js';
import { parseAllowedIps, parseKey } from './values.js';

interface Claim {
  readonly prefix: Cidr;
  readonly text: string;
  readonly entry: Entry;
  readonly offset: number;
}

export function checkPeersAgainstEachOther(peers: readonly Section[]): Diagnostic[] {
  return [...duplicatePeers(peers), ...overlappingAllowedIps(peers)];
}

function duplicatePeers(peers: readonly Section[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const firstByKey = new Map<string, Section>();
  for (const peer of peers) {
    const entry = peer.entries.filter((e) => e.name === 'PublicKey').pop();
    if (!entry) continue;
    const key = parseKey('PublicKey', entry.value);
    if (!key.ok) continue;
    const id = Array.from(key.value).join(',');
    const first = firstByKey.get(id);
    if (first) {
      out.push(error(entry.line, entry.valueColumn,
        `This PublicKey is already used by the peer on line ${first.line}; merge the two [Peer] sections or remove one.`));
    } else {
      firstByKey.set(id, peer);
    }
  }
  return out;
}

function claimsOf(peer: Section): Claim[] {
  return peer.entries
    .filter((e) => e.name === 'AllowedIPs')
    .flatMap((entry) =>
      parseAllowedIps(entry.value).flatMap(({ item, result }) =>
        result.ok ? [{ prefix: maskCidr(result.value), text: item.text, entry, offset: item.offset }] : [],
      ),
    );
}

interface Owner {
  readonly peerIndex: number;
  readonly claim: Claim;
}

/** A binary trie node: one level per prefix bit, like WireGuard's allowed-IPs table. */
interface Node {
  child: [Node | undefined, Node | undefined];
  /** First earlier claim of exactly this prefix. */
  owner?: Owner;
  /** First earlier claim of this prefix or one inside it. */
  inside?: Owner;
}

const bitAt = (bytes: Uint8Array, i: number): 0 | 1 => (((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) as 0 | 1;

/** The earliest earlier claim that contains, equals or lies inside `prefix`. */
function findOverlap(root: Node, prefix: Cidr): Owner | undefined {
  let best: Owner | undefined;
  let node: Node | undefined = root;
  for (let i = 0; node; i++) {
    if (node.owner && (!best || node.owner.peerIndex < best.peerIndex)) best = node.owner;
    if (i === prefix.cidr) {
      if (node.inside && (!best || node.inside.peerIndex < best.peerIndex)) best = node.inside;
      break;
    }
    node = node.child[bitAt(prefix.bytes, i)];
  }
  return best;
}

function insert(root: Node, prefix: Cidr, owner: Owner): void {
  let node = root;
  for (let i = 0; ; i++) {
    node.inside ??= owner;
    if (i === prefix.cidr) break;
    const bit = bitAt(prefix.bytes, i);
    node = node.child[bit] ??= { child: [undefined, undefined] };
  }
  node.owner ??= owner;
}

function overlappingAllowedIps(peers: readonly Section[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const roots = { 4: { child: [undefined, undefined] } as Node, 6: { child: [undefined, undefined] } as Node };
  peers.forEach((peer, peerIndex) => {
    const claims = claimsOf(peer);
    for (const claim of claims) {
      const clash = findOverlap(roots[claim.prefix.family], claim.prefix);
      if (clash) out.push(describeClash(claim, clash.claim, peers[clash.peerIndex] ?? peer));
    }
    // A peer's own prefixes never clash with each other, so add them afterwards.
    for (const claim of claims) insert(roots[claim.prefix.family], claim.prefix, { peerIndex, claim });
  });
  return out;
}

function describeClash(claim: Claim, other: Claim, otherPeer: Section): Diagnostic {
  const at = (message: string) => warning(claim.entry.line, claim.entry.valueColumn + claim.offset, message);
  const here = formatCidr(claim.prefix);
  if (sameCidr(claim.prefix, other.prefix)) {
    if (claim.prefix.cidr === 0) {
      return at(`${here} is also on the peer on line ${otherPeer.line}; only one peer can take all IPv${claim.prefix.family} traffic, and WireGuard gives it to this later one.`);
    }
    return at(`AllowedIPs ${here} is also on the peer on line ${otherPeer.line}; WireGuard gives it to this later peer only.`);
  }
  return at(`AllowedIPs ${here} overlaps ${formatCidr(other.prefix)} on the peer on line ${otherPeer.line}; packets go to whichever prefix is more specific.`);
}
