// Split DNS domains: the names whose queries go to a tunnel's DNS servers
// while every other query goes to the system's. Written by the user one per
// line or separated by commas/spaces, optionally as resolved's `~corp.example`.
//
// Where they live: in WireDesk's profile, not in the .conf. wg-quick reads a
// non-IP `DNS =` entry as a *search* domain and hands the servers over
// exclusively (`resolvconf -x`; with resolved, the `~.` routing domain), so
// another client given `DNS = 10.0.0.1, corp.example` sends every query into
// the tunnel: keeping split domains there would not be faithful.

/** Why a line is not a domain; the renderer words each code in English and Japanese. */
export type SplitDomainProblem = 'empty-label' | 'label-too-long' | 'name-too-long' | 'bad-character' | 'hyphen-edge' | 'root' | 'numeric';

export interface SplitDomainError {
  /** 1-based line of the text the user typed. */
  line: number;
  text: string;
  problem: SplitDomainProblem;
}

/** The English sentence for a problem (the CLI's; the renderer has en and ja in its i18n). */
export function splitDomainProblemText(problem: SplitDomainProblem): string {
  switch (problem) {
    case 'empty-label': return 'it has an empty label (two dots in a row, or a leading dot)';
    case 'label-too-long': return 'a label is longer than 63 characters';
    case 'name-too-long': return 'it is longer than 253 characters';
    case 'bad-character': return 'use only letters, digits, hyphens and underscores between the dots';
    case 'hyphen-edge': return 'a label starts or ends with a hyphen';
    case 'root': return 'the root domain would send every query to the tunnel; leave split DNS off for that';
    case 'numeric': return 'that is an address; DNS servers go in DNS = under [Interface]';
  }
}

/** The most domains one tunnel routes. */
export const MAX_SPLIT_DOMAINS = 64;

/** `corp.example` from `~Corp.Example.`, or why not. Label rules: RFC 1035 plus `_` (SRV-style names). */
export function normalizeSplitDomain(input: string): { domain: string } | { problem: SplitDomainProblem } {
  let name = input.trim().toLowerCase();
  if (name.startsWith('~')) name = name.slice(1);
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '') return { problem: 'root' };
  if (name.length > 253) return { problem: 'name-too-long' };
  const labels = name.split('.');
  for (const label of labels) {
    if (label === '') return { problem: 'empty-label' };
    if (label.length > 63) return { problem: 'label-too-long' };
    if (!/^[a-z0-9_-]+$/.test(label)) return { problem: 'bad-character' };
    if (label.startsWith('-') || label.endsWith('-')) return { problem: 'hyphen-edge' };
  }
  // An IP address typed here belongs in DNS =, not in the domain list.
  if (labels.every((l) => /^\d+$/.test(l))) return { problem: 'numeric' };
  return { domain: name };
}

/** Parses what the user typed (lines, commas or spaces); duplicates dropped, order kept. */
export function parseSplitDomains(text: string): { domains: string[]; errors: SplitDomainError[] } {
  const domains: string[] = [];
  const errors: SplitDomainError[] = [];
  text.split('\n').forEach((lineText, i) => {
    for (const word of lineText.replace(/#.*/, '').split(/[\s,]+/)) {
      if (word === '') continue;
      const r = normalizeSplitDomain(word);
      if ('problem' in r) errors.push({ line: i + 1, text: word, problem: r.problem });
      else if (!domains.includes(r.domain)) domains.push(r.domain);
    }
  });
  return { domains, errors };
}

/** True when `domains` is a list of normalized split domains (for checks of values from other processes). */
export function isSplitDomainList(domains: readonly string[]): boolean {
  return domains.length <= MAX_SPLIT_DOMAINS && domains.every((d) => {
    const r = normalizeSplitDomain(d);
    return 'domain' in r && r.domain === d;
  });
}

/** The split domain a query name falls under (itself or a subdomain), or null. `name` is lowercase, no trailing dot. */
export function matchSplitDomain(name: string, domains: readonly string[]): string | null {
  let best: string | null = null;
  for (const d of domains) {
    if ((name === d || name.endsWith(`.${d}`)) && (best === null || d.length > best.length)) best = d;
  }
  return best;
}
