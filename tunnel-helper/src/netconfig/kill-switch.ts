// The kill switch: table `inet wiredesk-<ifname>` drops every packet that
// would leave this host (or be forwarded by it) through anything but the
// tunnel. Exceptions: loopback; the engine's own UDP to its peers (by fwmark
// when the engine has one, else by endpoint address and port); DHCP and IPv6
// neighbour discovery, so the physical link stays configured; and with
// 'allow-lan', private, link-local and multicast destinations.
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
import { parseIp } from '../config/index.js';
import { killSwitchTableName } from './nft-rules.js';

export type KillSwitch = 'off' | 'on' | 'allow-lan';

export const KILL_SWITCH_MODES: readonly KillSwitch[] = ['off', 'on', 'allow-lan'];

export interface KillSwitchPlan {
  ifname: string;
  mode: 'on' | 'allow-lan';
  /** The engine's socket mark; 0 when it has none (then endpoints are matched). */
  fwmark: number;
  /** Resolved numeric endpoints of the peers. */
  endpoints: readonly { host: string; port: number }[];
}

const LAN_V4 = '10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 169.254.0.0/16, 224.0.0.0/4, 255.255.255.255';
const LAN_V6 = 'fe80::/10, fc00::/7, ff00::/8';

/**
 * The whole table, as one transaction that also replaces any previous
 * version of it without a moment in which nothing is blocked.
 */
export function killSwitchRuleset(plan: KillSwitchPlan): string {
  const name = killSwitchTableName(plan.ifname);
  const rules = [
    'oifname "lo" accept',
    `oifname "${plan.ifname}" accept`,
    ...(plan.fwmark !== 0 ? [`meta mark ${plan.fwmark} accept`] : endpointRules(plan.endpoints)),
    'udp sport 68 udp dport 67 accept',
    'meta nfproto ipv6 udp sport 546 udp dport 547 accept',
    'icmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert, mld2-listener-report } accept',
    ...(plan.mode === 'allow-lan' ? [`ip daddr { ${LAN_V4} } accept`, `ip6 daddr { ${LAN_V6} } accept`] : []),
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
