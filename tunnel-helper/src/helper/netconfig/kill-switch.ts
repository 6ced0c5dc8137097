// The kill switch: table `inet wiredesk-<ifname>` drops every packet that
// would leave this host (or be forwarded by it) through anything but the
// tunnel. Exceptions: loopback; the engine's own UDP to its peers (by fwmark
// when the engine has one, else by endpoint address and port); the apps that
// `wiredesk exec` and the app's split lists start (by their mark); DHCP and IPv6
// neighbour discovery, so the physical link stays configured; and with
// 'allow-lan', private, link-local and multicast destinations, and the
// prefixes the LAN bypass routes outside the tunnel (lan-bypass.ts).
//
// Two rules hold in both modes, and 'allow-lan' cannot open them (a tunnel's
// own range and DNS servers are often private, and would otherwise count as
// LAN):
//   - DNS (port 53, UDP and TCP) goes only through the tunnel, and only to
//     the tunnel's DNS servers when it has any (they replace the system
//     resolver while it is up). Not even a LAN resolver is asked in plain
//     text; with a dead engine a lookup goes nowhere. Judged before every
//     exception but loopback and the engine.
//   - The tunnel's Address prefixes and DNS servers are reached only through
//     the tunnel: when the interface is gone (the engine died) their routes go
//     with it, and packets for them would take the default route instead.
//     Judged before the LAN accepts.
// The engine's exemption stays first, so an Endpoint on port 53, or inside
// one of those ranges, still works.
//
// It is judged in one postrouting chain rather than in output + forward:
// postrouting sees both locally generated and forwarded packets, and sees
// them with the interface they really leave by, after every later reroute
// (a mangle mark, a DNAT) that an output chain would run before. A drop is
// final whatever the priority; 300 (after srcnat) makes it the last word.
//
// The table does not depend on the engine. When the engine dies the tunnel
// interface goes away and everything is dropped: traffic stays blocked until
// an explicit down removes the table. So recover() leaves kill switch tables
// alone; only tunnelDown (or a new up of the same tunnel, which replaces the
// table atomically) removes one.
import { cidrsOverlap, formatCidr, formatIp, maskCidr, parseIp, type Cidr } from '../../../../shared/config/index.js';
import { killSwitchTableName } from './nft-rules.js';
import { SPLIT_MARK_MATCH } from '../split/split-rules.js';

export type KillSwitch = 'off' | 'on' | 'allow-lan';

export const KILL_SWITCH_MODES: readonly KillSwitch[] = ['off', 'on', 'allow-lan'];

export interface KillSwitchPlan {
  ifname: string;
  mode: 'on' | 'allow-lan';
  /** The engine's socket mark; 0 when it has none (then endpoints are matched). */
  fwmark: number;
  /** Resolved numeric endpoints of the peers. */
  endpoints: readonly { host: string; port: number }[];
  /** The tunnel's Address entries (host bits and all, as in the config). */
  addresses: readonly Cidr[];
  /** The tunnel's DNS server IPs, as in the config. */
  dns: readonly string[];
  /** With 'allow-lan': the prefixes the LAN bypass routes outside the tunnel (lan-bypass.ts), accepted too. */
  lan?: readonly Cidr[];
}

const LAN_V4 = '10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 224.0.0.0/4, 255.255.255.255';
const LAN_V6 = 'fe80::/10, fc00::/7, ff00::/8';

/**
 * The whole table, as one transaction that also replaces any previous
 * version of it without a moment in which nothing is blocked.
 */
export function killSwitchRuleset(plan: KillSwitchPlan): string {
  const name = killSwitchTableName(plan.ifname);
  const dns = dnsServers(plan.dns);
  const ranges = tunnelRanges(plan.addresses, dns);
  const rules = [
    'oifname "lo" accept',
    ...(plan.fwmark !== 0 ? [`meta mark ${plan.fwmark} accept`] : endpointRules(plan.endpoints)),
    // Per-app split tunneling: apps run outside the tunnel on purpose, and
    // pinned apps are held to their own tunnel by the split table (split-rules.ts).
    `${SPLIT_MARK_MATCH} accept`,
    ...dnsRules(plan.ifname, dns),
    `oifname "${plan.ifname}" accept`,
    'udp sport 68 udp dport 67 accept',
    'meta nfproto ipv6 udp sport 546 udp dport 547 accept',
    'icmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert, mld2-listener-report } accept',
    ...byFamily(ranges, (pf, list) => `${pf} daddr { ${list} } drop`),
    ...(plan.mode === 'allow-lan' ? [`ip daddr { ${LAN_V4} } accept`, `ip6 daddr { ${LAN_V6} } accept`] : []),
    ...(plan.mode === 'allow-lan' ? byFamily(withoutContained(plan.lan ?? []), (pf, list) => `${pf} daddr { ${list} } accept`) : []),
    'counter drop',
  ];
  return [
    `table inet ${name} {}`,
    `delete table inet ${name}`,
    `table inet ${name} {`,
    '  chain egress {',
    '    type filter hook postrouting priority 300; policy accept;',
    ...rules.map((r) => `    ${r}`),
    '  }',
    '}',
    '',
  ].join('\n');
}

const DNS_PORT = 'meta l4proto { tcp, udp } th dport 53';

/**
 * Port 53 is accepted only to the tunnel's DNS servers through the tunnel,
 * and dropped everywhere else (on the tunnel too: other resolvers are not
 * asked). A tunnel without DNS servers keeps the system resolver, which may
 * then be asked through the tunnel only.
 */
function dnsRules(ifname: string, dns: readonly Cidr[]): string[] {
  if (dns.length === 0) return [`oifname != "${ifname}" ${DNS_PORT} drop`];
  return [
    ...byFamily(dns, (pf, list) => `oifname "${ifname}" ${pf} daddr { ${list} } ${DNS_PORT} accept`),
    `${DNS_PORT} drop`,
  ];
}

/** The DNS servers as host prefixes, canonical and without repeats. */
function dnsServers(servers: readonly string[]): Cidr[] {
  const out: Cidr[] = [];
  for (const text of servers) {
    const ip = parseIp(text);
    if (ip) out.push({ ...ip, cidr: ip.family === 4 ? 32 : 128 });
  }
  return withoutContained(out);
}

/**
 * The destinations that only the tunnel may carry: its Address prefixes
 * (IPv6 link-local ones excepted: those are scoped to the tunnel interface
 * and mean something else on any other link) and its DNS servers. Prefixes
 * inside another are left out, as nft refuses overlapping set elements.
 */
function tunnelRanges(addresses: KillSwitchPlan['addresses'], dns: readonly Cidr[]): Cidr[] {
  const prefixes: Cidr[] = [];
  for (const address of addresses) {
    const prefix = maskCidr(address);
    if (prefix.family === 6 && cidrsOverlap(prefix, FE80)) continue;
    prefixes.push(prefix);
  }
  return withoutContained([...prefixes, ...dns]);
}

const FE80: Cidr = { family: 6, bytes: Uint8Array.from([0xfe, 0x80, ...new Array<number>(14).fill(0)]), cidr: 10 };

function withoutContained(list: readonly Cidr[]): Cidr[] {
  // Shortest first, so a prefix is kept only when no kept one contains it.
  const sorted = [...list].sort((a, b) => a.cidr - b.cidr);
  const kept: Cidr[] = [];
  for (const c of sorted) if (!kept.some((k) => cidrsOverlap(k, c))) kept.push(c);
  return list.filter((c) => kept.includes(c));
}

/** One rule per address family present, `make` given `ip`/`ip6` and the set's elements. */
function byFamily(list: readonly Cidr[], make: (pf: 'ip' | 'ip6', elements: string) => string): string[] {
  return ([[4, 'ip'], [6, 'ip6']] as const).flatMap(([family, pf]) => {
    const of = list.filter((c) => c.family === family);
    return of.length > 0 ? [make(pf, of.map(element).join(', '))] : [];
  });
}

function element(c: Cidr): string {
  return c.cidr === c.bytes.length * 8 ? formatIp(c.bytes) : formatCidr(c);
}

function endpointRules(endpoints: KillSwitchPlan['endpoints']): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const { host, port } of endpoints) {
    const ip = parseIp(host.replace(/%.*$/, ''));
    if (!ip) continue;
    const rule = `${ip.family === 4 ? 'ip' : 'ip6'} daddr ${host.replace(/%.*$/, '')} udp dport ${port} accept`;
    if (!seen.has(rule)) out.push(rule);
    seen.add(rule);
  }
  return out;
}

export function parseKillSwitch(text: string): KillSwitch | null {
  return (KILL_SWITCH_MODES as readonly string[]).includes(text) ? (text as KillSwitch) : null;
}
