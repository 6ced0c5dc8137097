// Sets of addresses as sorted, disjoint, non-adjacent ranges of one family,
// with the arithmetic "Exclude private IPs" needs: union, difference, and the
// shortest list of CIDR prefixes that covers exactly a set. Pure.
import { formatCidr, parseCidr, type Cidr, type IpFamily } from './ip.js';

/** Inclusive [first, last] address ranges, as numbers of 32 or 128 bits. */
export interface CidrSet {
  readonly family: IpFamily;
  readonly ranges: readonly (readonly [bigint, bigint])[];
}

export function bitsOf(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

export function addressValue(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function valueBytes(value: bigint, family: IpFamily): Uint8Array {
  const out = new Uint8Array(family === 4 ? 4 : 16);
  let v = value;
  for (let i = out.length - 1; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}

/** The range a prefix covers (host bits ignored). */
export function rangeOf(prefix: Cidr): [bigint, bigint] {
  const span = 1n << BigInt(bitsOf(prefix.family) - prefix.cidr);
  const first = addressValue(prefix.bytes) & ~(span - 1n);
  return [first, first + span - 1n];
}

function normalize(family: IpFamily, ranges: (readonly [bigint, bigint])[]): CidrSet {
  const sorted = [...ranges].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1n) { if (hi > last[1]) last[1] = hi; } else out.push([lo, hi]);
  }
  return { family, ranges: out };
}

export function setOf(family: IpFamily, prefixes: readonly Cidr[]): CidrSet {
  return normalize(family, prefixes.filter((p) => p.family === family).map(rangeOf));
}

/** A set from prefix texts; texts that are not prefixes of this family are ignored. */
export function setOfTexts(family: IpFamily, texts: readonly string[]): CidrSet {
  return setOf(family, texts.flatMap((t) => { const c = parseCidr(t.trim()); return c ? [c] : []; }));
}

export function union(a: CidrSet, b: CidrSet): CidrSet {
  return normalize(a.family, [...a.ranges, ...b.ranges]);
}

/** The addresses of `a` that are not in `b`. */
export function difference(a: CidrSet, b: CidrSet): CidrSet {
  let rest: [bigint, bigint][] = a.ranges.map(([lo, hi]) => [lo, hi]);
  for (const [blo, bhi] of b.ranges) {
    rest = rest.flatMap(([lo, hi]): [bigint, bigint][] => {
      if (bhi < lo || blo > hi) return [[lo, hi]];
      const parts: [bigint, bigint][] = [];
      if (blo > lo) parts.push([lo, blo - 1n]);
      if (bhi < hi) parts.push([bhi + 1n, hi]);
      return parts;
    });
  }
  return { family: a.family, ranges: rest };
}

export function sameSet(a: CidrSet, b: CidrSet): boolean {
  return a.family === b.family && a.ranges.length === b.ranges.length &&
    a.ranges.every(([lo, hi], i) => lo === b.ranges[i]![0] && hi === b.ranges[i]![1]);
}

/** True when every address of `b` is in `a`. */
export function containsSet(a: CidrSet, b: CidrSet): boolean {
  return difference(b, a).ranges.length === 0;
}

/** The fewest prefixes that cover exactly the set, in address order. */
export function prefixesOf(set: CidrSet): Cidr[] {
  const bits = bitsOf(set.family);
  const out: Cidr[] = [];
  for (const [first, last] of set.ranges) {
    let lo = first;
    while (lo <= last) {
      // The largest aligned block starting at lo that stays within the range.
      let size = bits;
      while (size > 0 && (lo & ((1n << BigInt(size)) - 1n)) !== 0n) size--;
      while (size > 0 && lo + (1n << BigInt(size)) - 1n > last) size--;
      out.push({ family: set.family, bytes: valueBytes(lo, set.family), cidr: bits - size });
      lo += 1n << BigInt(size);
    }
  }
  return out;
}

export function prefixTexts(set: CidrSet): string[] {
  return prefixesOf(set).map(formatCidr);
}
