// nftables rulesets, generated as text for `nft -f -` (pure, unit-tested).
//
// Policy routing (wg-quick's add_default, one table per address family):
//   preraw      drop packets for the tunnel's own addresses that arrive on any
//               other interface (unless they come from this host), so nobody
//               on the LAN can inject into the tunnel's address space;
//   premangle   restore the connection's mark onto incoming UDP, and
//   postmangle  save the engine's fwmark onto its UDP connections, so replies
//               to the engine's socket are routed with the mark (src_valid_mark
//               makes the reverse-path check honour it).
import type { Family } from './journal.js';

/**
 * nft 1.0 accepts only [A-Za-z0-9/._-] in unquoted names, and no quoted
 * table names, but interface names may also hold `=` and `+`. Those become
 * `_XX` (hex), and `_` itself too, so the mapping stays one-to-one.
 */
export function nftName(prefix: string, ifname: string): string {
  return prefix + ifname.replace(/[^A-Za-z0-9.-]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function routeTableName(ifname: string): string {
  return nftName('wiredesk-route-', ifname);
}

export function killSwitchTableName(ifname: string): string {
  return nftName('wiredesk-', ifname);
}

export function nftFamily(family: Family): 'ip' | 'ip6' {
  return family === 4 ? 'ip' : 'ip6';
}

/** wg-quick's three chains for one family; `addresses` are the tunnel's own (no prefix length). */
export function policyRoutingRuleset(ifname: string, family: Family, fwmark: number, addresses: readonly string[]): string {
  const pf = nftFamily(family);
  const table = `${pf} ${routeTableName(ifname)}`;
  const lines = [
    `add table ${table}`,
    `add chain ${table} preraw { type filter hook prerouting priority -300; }`,
    `add chain ${table} premangle { type filter hook prerouting priority -150; }`,
    `add chain ${table} postmangle { type filter hook postrouting priority -150; }`,
    ...addresses.map((a) => `add rule ${table} preraw iifname != "${ifname}" ${pf} daddr ${a} fib saddr type != local drop`),
    `add rule ${table} postmangle meta l4proto udp mark ${fwmark} ct mark set mark`,
    `add rule ${table} premangle meta l4proto udp meta mark set ct mark`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Deletes a table if it exists (creating it first makes the delete never fail). */
export function deleteTableRuleset(family: 'ip' | 'ip6' | 'inet', name: string): string {
  return `add table ${family} ${name}\ndelete table ${family} ${name}\n`;
}
