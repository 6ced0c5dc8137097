// "Exclude private IPs", the WireGuard Android and macOS apps' toggle: a peer
// that routes everything (0.0.0.0/0 or ::/0) gets AllowedIPs that cover every
// address except the private, link-local, CGNAT, unique-local and multicast
// ranges, so printers, NAS and router pages stay on the LAN while the rest
// goes through the tunnel. The result is plain AllowedIPs, so the .conf stays
// portable to every other client.
//
// Facts from the WireGuard Android app: its list is IPv4 only and is the
// complement of 10/8, 172.16/12, 192.168/16 and 224/3 (multicast, reserved,
// broadcast); it adds the DNS servers back; the toggle is offered only when
// the peer has the wildcard or already has the excluded list. WireDesk also
// excludes 169.254/16 and 100.64/10 and does the same for IPv6, and keeps the
// tunnel's own Address prefixes reachable as well as its DNS servers.
//
// Turning the toggle off restores the AllowedIPs exactly from a record of
// what they were (kept in the app's profile metadata, never in the .conf);
// without one, or after the user edited them, each family that covers the
// public set goes back to its /0.
import {
  containsSet, difference, prefixTexts, sameSet, setOf, setOfTexts, union, type CidrSet,
} from './cidr-set.js';
import { maskCidr, parseCidr, parseIp, type Cidr, type IpFamily } from './ip.js';

export const PRIVATE_V4 = ['10.0.0.0/8', '100.64.0.0/10', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/3'];
export const PRIVATE_V6 = ['fc00::/7', 'fe80::/10', 'ff00::/8'];

const FAMILIES: readonly IpFamily[] = [4, 6];
const WHOLE: Record<IpFamily, string> = { 4: '0.0.0.0/0', 6: '::/0' };

/** What must stay reachable through the tunnel: the [Interface]'s Address and DNS entries, as written. */
export interface KeepReachable {
  addresses: readonly string[];
  dns: readonly string[];
}

/** Per peer, in [Peer] order: the AllowedIPs before the toggle, and what the toggle wrote. */
export interface ExcludePrivateRecord {
  original: string[][];
  applied: string[][];
}

function whole(family: IpFamily): CidrSet {
  return setOfTexts(family, [WHOLE[family]]);
}

/** Every address of the family but the private ranges. */
export function publicSet(family: IpFamily): CidrSet {
  return difference(whole(family), setOfTexts(family, family === 4 ? PRIVATE_V4 : PRIVATE_V6));
}

function keepSet(family: IpFamily, keep: KeepReachable): CidrSet {
  const prefixes: Cidr[] = [];
  for (const text of keep.addresses) {
    const c = parseCidr(text.trim());
    // An IPv6 link-local Address is scoped to the tunnel's own link: nothing to route.
    if (c && !(c.family === 6 && c.bytes[0] === 0xfe && ((c.bytes[1] ?? 0) & 0xc0) === 0x80)) prefixes.push(maskCidr(c));
  }
  for (const text of keep.dns) {
    const ip = parseIp(text.trim());
    if (ip) prefixes.push({ ...ip, cidr: ip.family === 4 ? 32 : 128 });
  }
  return setOf(family, prefixes);
}

function familyOf(text: string): IpFamily | null {
  return parseCidr(text.trim())?.family ?? null;
}

type FamilyState = 'absent' | 'whole' | 'excluding' | 'other';

function stateOf(allowedIps: readonly string[], family: IpFamily): FamilyState {
  if (!allowedIps.some((t) => familyOf(t) === family)) return 'absent';
  const set = setOfTexts(family, allowedIps);
  if (sameSet(set, whole(family))) return 'whole';
  return containsSet(set, publicSet(family)) ? 'excluding' : 'other';
}

/** The toggle can be offered: some family routes everything, or everything public. */
export function canExcludePrivateIps(allowedIps: readonly string[]): boolean {
  return FAMILIES.some((f) => { const s = stateOf(allowedIps, f); return s === 'whole' || s === 'excluding'; });
}

/** The toggle's state: some family covers the public set without being whole, and none routes everything. */
export function excludesPrivateIps(allowedIps: readonly string[]): boolean {
  const states = FAMILIES.map((f) => stateOf(allowedIps, f));
  return states.includes('excluding') && !states.includes('whole');
}

/**
 * Replaces the entries of each family with a whole /0 by the public set plus
 * what must stay reachable plus the family's other entries; other families
 * are left as they are. The new prefixes stand where the family's first entry stood.
 */
export function excludePrivateIps(allowedIps: readonly string[], keep: KeepReachable): string[] {
  return rewriteFamilies(allowedIps, (family, entries) => {
    if (stateOf(allowedIps, family) !== 'whole') return null;
    const others = setOfTexts(family, entries.filter((t) => parseCidr(t.trim())?.cidr !== 0));
    return prefixTexts(union(union(publicSet(family), keepSet(family, keep)), others));
  });
}

/** The inverse without a record: each family that covers the public set becomes its /0. */
export function includePrivateIps(allowedIps: readonly string[]): string[] {
  return rewriteFamilies(allowedIps, (family) => (stateOf(allowedIps, family) === 'excluding' ? [WHOLE[family]] : null));
}

function rewriteFamilies(allowedIps: readonly string[], make: (family: IpFamily, entries: string[]) => string[] | null): string[] {
  const out: string[] = [];
  const done = new Set<IpFamily>();
  for (const text of allowedIps) {
    const family = familyOf(text);
    if (family === null) { out.push(text); continue; }
    if (done.has(family)) continue;
    const entries = allowedIps.filter((t) => familyOf(t) === family);
    const replaced = make(family, entries);
    if (replaced === null) { out.push(text); continue; }
    done.add(family);
    out.push(...replaced);
  }
  return out;
}

/** Turns the toggle on for every peer and says how to undo it exactly. */
export function excludePrivateForPeers(peers: readonly (readonly string[])[], keep: KeepReachable): { peers: string[][]; record: ExcludePrivateRecord } {
  const applied = peers.map((p) => excludePrivateIps(p, keep));
  return { peers: applied, record: { original: peers.map((p) => [...p]), applied } };
}

/** Turns it off: the record's originals when the peers are still as the toggle left them, else includePrivateIps. */
export function includePrivateForPeers(peers: readonly (readonly string[])[], record: ExcludePrivateRecord | null): string[][] {
  const untouched = record !== null && record.applied.length === peers.length &&
    record.applied.every((a, i) => a.length === peers[i]!.length && a.every((t, j) => t === peers[i]![j]));
  return untouched ? record.original.map((p) => [...p]) : peers.map((p) => includePrivateIps(p));
}
