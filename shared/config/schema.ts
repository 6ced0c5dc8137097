// Which keys a wg-quick .conf may hold, who consumes each one, and how
// repeats behave. Key and section names are case-insensitive everywhere.
import { removeSpaces } from './lines.js';

export type SectionKind = 'interface' | 'peer';

export type InterfaceKey =
  | 'PrivateKey' | 'ListenPort' | 'FwMark'
  | 'Address' | 'DNS' | 'MTU' | 'Table'
  | 'PreUp' | 'PostUp' | 'PreDown' | 'PostDown' | 'SaveConfig';

export type PeerKey = 'PublicKey' | 'PresharedKey' | 'AllowedIPs' | 'Endpoint' | 'PersistentKeepalive';

export type KeyName = InterfaceKey | PeerKey;

export interface KeySpec {
  readonly name: KeyName;
  readonly section: SectionKind;
  /** `wg` parses it; wg-quick consumes the rest and `wg-quick strip` removes them. */
  readonly owner: 'wg' | 'wg-quick';
  /** 'append' keys may repeat and add to a list; for the others the last one wins. */
  readonly repeat: 'append' | 'last-wins';
  /** Hooks keep their raw text, `#` included (wg-quick's unstripped_value). */
  readonly hook: boolean;
}

function spec(name: KeyName, section: SectionKind, owner: 'wg' | 'wg-quick', repeat: 'append' | 'last-wins', hook = false): KeySpec {
  return { name, section, owner, repeat, hook };
}

export const KEY_SPECS: readonly KeySpec[] = [
  spec('PrivateKey', 'interface', 'wg', 'last-wins'),
  spec('ListenPort', 'interface', 'wg', 'last-wins'),
  spec('FwMark', 'interface', 'wg', 'last-wins'),
  spec('Address', 'interface', 'wg-quick', 'append'),
  spec('DNS', 'interface', 'wg-quick', 'append'),
  spec('MTU', 'interface', 'wg-quick', 'last-wins'),
  spec('Table', 'interface', 'wg-quick', 'last-wins'),
  spec('PreUp', 'interface', 'wg-quick', 'append', true),
  spec('PostUp', 'interface', 'wg-quick', 'append', true),
  spec('PreDown', 'interface', 'wg-quick', 'append', true),
  spec('PostDown', 'interface', 'wg-quick', 'append', true),
  spec('SaveConfig', 'interface', 'wg-quick', 'last-wins'),
  spec('PublicKey', 'peer', 'wg', 'last-wins'),
  spec('PresharedKey', 'peer', 'wg', 'last-wins'),
  spec('AllowedIPs', 'peer', 'wg', 'append'),
  spec('Endpoint', 'peer', 'wg', 'last-wins'),
  spec('PersistentKeepalive', 'peer', 'wg', 'last-wins'),
];

const BY_LOWER = new Map(KEY_SPECS.map((s) => [s.name.toLowerCase(), s]));

/** The nine Interface keys `wg-quick strip` removes (matched case-insensitively). */
export const WG_QUICK_KEYS: ReadonlySet<string> = new Set(
  KEY_SPECS.filter((s) => s.owner === 'wg-quick').map((s) => s.name.toLowerCase()),
);

/**
 * Keys other clients write into [Interface]. `wg` would reject them; WireDesk
 * warns, ignores them, and leaves them out of the stripped `wg setconf` form.
 */
export const FOREIGN_KEYS: ReadonlyMap<string, { readonly name: string; readonly origin: string }> = new Map([
  ['includedapplications', { name: 'IncludedApplications', origin: 'the Android app' }],
  ['excludedapplications', { name: 'ExcludedApplications', origin: 'the Android app' }],
]);

export function specFor(name: KeyName): KeySpec {
  const found = BY_LOWER.get(name.toLowerCase());
  if (!found) throw new Error(`Unknown key ${name}.`);
  return found;
}

export function keysOf(section: SectionKind): KeyName[] {
  return KEY_SPECS.filter((s) => s.section === section).map((s) => s.name);
}

export type KeyLookup =
  | { readonly kind: 'known'; readonly spec: KeySpec }
  | { readonly kind: 'wrong-section'; readonly spec: KeySpec }
  | { readonly kind: 'foreign'; readonly name: string; readonly origin: string }
  | { readonly kind: 'unknown'; readonly suggestion: KeyName | null };

export function lookupKey(section: SectionKind, key: string): KeyLookup {
  const lower = key.toLowerCase();
  const exact = BY_LOWER.get(lower);
  if (exact) return exact.section === section ? { kind: 'known', spec: exact } : { kind: 'wrong-section', spec: exact };
  // wg drops every space before matching, so `Private Key` works for its own keys.
  const squeezed = BY_LOWER.get(removeSpaces(lower));
  if (squeezed && squeezed.owner === 'wg' && squeezed.section === section) return { kind: 'known', spec: squeezed };
  const foreign = section === 'interface' ? FOREIGN_KEYS.get(lower) : undefined;
  if (foreign) return { kind: 'foreign', ...foreign };
  return { kind: 'unknown', suggestion: closestKey(section, lower) };
}

function closestKey(section: SectionKind, lower: string): KeyName | null {
  let best: KeyName | null = null;
  let bestDistance = 3;
  for (const name of keysOf(section)) {
    const d = editDistance(lower, name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
