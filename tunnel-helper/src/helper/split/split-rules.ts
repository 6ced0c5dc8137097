// Per-app split tunneling, as nftables and policy routing (pure, unit-tested).
//
//   1. classify  (route hook output): a socket of the cgroup wiredesk/outside
//      gets mark OUTSIDE, one of wiredesk/tunnel-NAME mark PIN(NAME); the
//      mark is saved on the connection. A route chain re-routes the packet
//      after a mark changes.
//   2. ip rules, ahead of wg-quick's (which sit just below main at 32764+):
//        pref 5208  fwmark OUTSIDE   lookup main      (wg-quick's /0 lives in
//                                                       its own table: skipped)
//        pref 5209  fwmark PIN(NAME) lookup PIN(NAME) (default dev NAME, and
//                                                       an unreachable default
//                                                       with the worst metric,
//                                                       which is all that is
//                                                       left when NAME is gone)
//   3. nat (postrouting, srcnat): the first route lookup, before the mark,
//      already chose a source address (the tunnel's, when a tunnel holds /0);
//      masquerade gives the packet the address of the interface it really
//      leaves by, as Mullvad's split tunneling does.
//   4. pin (postrouting, filter): a pinned packet leaving by anything but its
//      tunnel (or lo) is dropped. A drop is final in any table, so this holds
//      whatever else accepts it.
//   5. restore (prerouting): replies get the connection's mark back, so the
//      reverse-path filter (src_valid_mark, set by wg-quick's /0) judges them
//      by the same rules.
// The kill switch accepts every split mark (kill-switch.ts): outside traffic
// may leave by the physical link, and pinned traffic is held to its tunnel
// by rule 4.
import { nftName } from '../netconfig/nft-rules.js';
import type { SplitCgroup } from './cgroup2.js';

export const SPLIT_TABLE = 'wiredesk-split';
export const OUTSIDE_MARK = 0x7764_0000;
/** Pins use OUTSIDE_MARK + slot, slot 1..255; their routing table number is the mark. */
export const MAX_PIN_SLOT = 255;
export const SPLIT_MARK_MASK = 0xffff_ff00;
export const OUTSIDE_RULE_PREF = 5208;
export const PIN_RULE_PREF = 5209;
/** The worst metric: the blackhole under a pin's tunnel route. */
export const UNREACHABLE_METRIC = 4294967295;

/** The kill switch's exception for split traffic (one nft match). */
export const SPLIT_MARK_MATCH = `meta mark and ${hex(SPLIT_MARK_MASK)} == ${hex(OUTSIDE_MARK)}`;

export function pinMark(slot: number): number {
  return OUTSIDE_MARK + slot;
}

export function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** The leaf cgroup of a rule: `outside`, or `tunnel-NAME` (NAME spelt as nft names are, so any ifname fits). */
export function cgroupLeaf(rule: { ifname: string } | 'outside'): string {
  return rule === 'outside' ? 'outside' : nftName('tunnel-', rule.ifname);
}

export interface SplitPlan {
  outside: SplitCgroup | null;
  pins: readonly { ifname: string; slot: number; cgroup: SplitCgroup }[];
}

function match(cg: SplitCgroup): string {
  return `socket cgroupv2 level ${cg.level} "${cg.nftPath}"`;
}

/** The whole table, replacing any previous version in one transaction. */
export function splitRuleset(plan: SplitPlan): string {
  const classify: string[] = [];
  const nat: string[] = [];
  const pin: string[] = [];
  if (plan.outside) {
    classify.push(`${match(plan.outside)} meta mark set ${hex(OUTSIDE_MARK)} ct mark set meta mark`);
    nat.push(`meta mark ${hex(OUTSIDE_MARK)} oifname != "lo" masquerade`);
  }
  for (const p of plan.pins) {
    const mark = hex(pinMark(p.slot));
    classify.push(`${match(p.cgroup)} meta mark set ${mark} ct mark set meta mark`);
    nat.push(`meta mark ${mark} oifname "${p.ifname}" masquerade`);
    pin.push(`meta mark ${mark} oifname != { "lo", "${p.ifname}" } counter drop`);
  }
  const chain = (name: string, hook: string, rules: string[]) => [
    `  chain ${name} {`, `    ${hook}`, ...rules.map((r) => `    ${r}`), '  }',
  ];
  return [
    `table inet ${SPLIT_TABLE} {}`,
    `delete table inet ${SPLIT_TABLE}`,
    `table inet ${SPLIT_TABLE} {`,
    ...chain('classify', 'type route hook output priority mangle; policy accept;', classify),
    ...chain('restore', 'type filter hook prerouting priority mangle; policy accept;',
      [`ct mark and ${hex(SPLIT_MARK_MASK)} == ${hex(OUTSIDE_MARK)} meta mark set ct mark`]),
    ...chain('pin', 'type filter hook postrouting priority 290; policy accept;', pin),
    ...chain('nat', 'type nat hook postrouting priority srcnat; policy accept;', nat),
    '}',
    '',
  ].join('\n');
}

/** The ip rule selectors (after `ip -4|-6 rule add|delete`) of the outside rule and of a pin. */
export function outsideRuleSelector(): string[] {
  return ['pref', String(OUTSIDE_RULE_PREF), 'fwmark', hex(OUTSIDE_MARK), 'lookup', 'main'];
}

export function pinRuleSelector(slot: number): string[] {
  const mark = pinMark(slot);
  return ['pref', String(PIN_RULE_PREF), 'fwmark', hex(mark), 'lookup', String(mark)];
}

/** The routes of a pin's table, for `ip -4|-6 route replace ...`: the tunnel, and the blackhole under it. */
export function pinRoutes(ifname: string, slot: number): { tunnel: string[]; blackhole: string[] } {
  const table = String(pinMark(slot));
  return {
    tunnel: ['default', 'dev', ifname, 'table', table],
    blackhole: ['unreachable', 'default', 'metric', String(UNREACHABLE_METRIC), 'table', table],
  };
}
