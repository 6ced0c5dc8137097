// Recovery after a network change (issue 10 §2), for `npm run bench`: the
// time from an underlay change to traffic flowing through the tunnel again,
// with our engine as the client and, side by side in the same scenario, a
// wireguard-go client; the server is wireguard-go both times. The topology is
// the interop test's (test/interop/engine/underlay.ts).
//
// A ping every 5 ms runs through the tunnel (`ping -D`: each answer carries
// its arrival time, and `time=` gives its send time). The change is made with
// `ip`; the figure is the time from the moment `ip` returned to the first
// answer to a request sent after that moment. The resolution is the 5 ms
// ping interval. Rounds alternate the two clients; the median is printed.
// BENCH_NETCHANGE_FAMILIES=4,6 adds an IPv6 underlay (default: 4 only);
// BENCH_NETCHANGE_ROUNDS (3) and BENCH_NETCHANGE_WAIT_MS (20000) tune it.
import type { ChildProcess } from 'node:child_process';
import { waitFor } from '../support/netns.js';
import { SERVER_TUNNEL, Underlay } from '../interop/engine/underlay.js';

const ROUNDS = Number(process.env.BENCH_NETCHANGE_ROUNDS ?? 3);
const INTERVAL_S = '0.005';
/** Long enough to see a client that waits for its 15 s new-handshake timer. */
const WAIT_MS = Number(process.env.BENCH_NETCHANGE_WAIT_MS ?? 20_000);
const FAMILIES = (process.env.BENCH_NETCHANGE_FAMILIES ?? '4').split(',').map(Number).filter((f): f is 4 | 6 => f === 4 || f === 6);
type Scenario = 'route' | 'address' | 'link';
type Client = 'wiredesk' | 'wireguard-go';

const SCENARIOS: Record<Scenario, string> = {
  route: 'default route moved to another link and address',
  address: 'address in use removed (backup route remains)',
  link: 'link in use taken down (backup route remains)',
};

/** [arrival ms, send ms] of each answer in `ping -D` output. */
function answers(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(/^\[(\d+\.\d+)\] .*icmp_seq=\d+ .*time=([\d.]+) ms/gm)) {
    const at = Number(m[1]) * 1000;
    out.push([at, at - Number(m[2])]);
  }
  return out;
}

async function recoveryOnce(client: Client, scenario: Scenario, family: 4 | 6): Promise<number> {
  const u = await Underlay.create(client === 'wiredesk' ? 'bo' : 'bg', { client, family, backupRoute: scenario !== 'route' });
  let pinger: ChildProcess | null = null;
  try {
    await waitFor(() => u.ping(), 10_000, 'the first ping through the tunnel');
    let text = '';
    pinger = u.nsC.spawn('ping', ['-D', '-n', '-i', INTERVAL_S, '-W', '1', SERVER_TUNNEL]);
    pinger.stdout?.on('data', (d: Buffer) => { text += d.toString(); });
    await waitFor(() => answers(text).length >= 20, 5000, 'pings flowing before the change');
    if (scenario === 'route') u.moveDefaultRoute();
    else if (scenario === 'address') u.removeAddressInUse();
    else u.takeLinkDown();
    const changed = Date.now();
    const recovered = (): number | undefined => answers(text).find(([, sent]) => sent >= changed)?.[0];
    await waitFor(() => recovered() !== undefined, WAIT_MS, 'traffic after the change').catch(() => {});
    const at = recovered();
    return at === undefined ? NaN : at - changed;
  } finally {
    pinger?.kill('SIGKILL');
    await u.destroy();
  }
}

function median(xs: number[]): number {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)]!;
}

/** Prints the recovery time of each client in each scenario, and the ratio. */
export async function networkChangeRecovery(): Promise<void> {
  if (ROUNDS <= 0) return;
  process.stdout.write(`Recovery after a network change: underlay change to the first answered ping sent after it (5 ms pings), median of ${ROUNDS}\n`);
  for (const family of FAMILIES) for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
    const ms: Record<Client, number[]> = { 'wiredesk': [], 'wireguard-go': [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const client of (round % 2 === 0 ? ['wireguard-go', 'wiredesk'] : ['wiredesk', 'wireguard-go']) as Client[]) {
        ms[client].push(await recoveryOnce(client, scenario, family));
      }
    }
    const ours = median(ms.wiredesk);
    const theirs = median(ms['wireguard-go']);
    const fmt = (x: number) => (Number.isNaN(x) ? `none in ${WAIT_MS / 1000} s` : `${x.toFixed(1)} ms`);
    process.stdout.write(`  IPv${family} underlay, ${SCENARIOS[scenario]}:\n`);
    process.stdout.write(`    wiredesk client       ${fmt(ours).padStart(10)}   (${ms.wiredesk.map((x) => x.toFixed(0)).join(', ')} ms)\n`);
    process.stdout.write(`    wireguard-go client   ${fmt(theirs).padStart(10)}   (${ms['wireguard-go'].map((x) => x.toFixed(0)).join(', ')} ms)\n`);
    process.stdout.write(`    ratio (wiredesk / wireguard-go, lower is better)  ${(ours / theirs).toPrecision(2)}\n`);
  }
  process.stdout.write('\n');
}
