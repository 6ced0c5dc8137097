// Failover time for `npm run bench`: from the primary blocked (nft drop in
// its peer's namespace, traffic waiting) to the office answering a ping
// through the backup, with the real helper, app-core's group controller and
// two wireguard-go peers (test/helper/control/group-lab.ts). Split into
// detection (blocked -> the group switches) and switch (-> traffic flows).
// No reference client fails over between tunnels, so there is no ratio.
import { GroupLab } from '../helper/control/group-lab.js';
import { waitFor } from '../support/netns.js';

const ROUNDS = Number(process.env.BENCH_FAILOVER_ROUNDS ?? 3);
const TIMING = { failAfterSeconds: 1, dwellSeconds: 1, holdSeconds: 2, probeEverySeconds: 1, deadAfterSeconds: 5 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function failoverBench(): Promise<void> {
  if (ROUNDS === 0) return;
  const lab = new GroupLab();
  const detect: number[] = [];
  const total: number[] = [];
  try {
    await lab.start({ name: 'Office', ...TIMING });
    const [primary, backup] = lab.names;
    await lab.core.handlers['groups:setActive']('Office', true);
    for (let round = 0; round < ROUNDS; round++) {
      await waitFor(() => lab.group.active === primary && lab.core.tunnels.stateOf(primary) === 'up', 60_000, 'the primary');
      await waitFor(() => lab.pingOffice(), 10_000, 'the office through the primary');
      const pinger = lab.fx.client.spawn('ping', ['-i', '0.2', '-W', '1', '10.250.0.1']);
      const t0 = performance.now();
      lab.block(lab.primary);
      try {
        await waitFor(() => lab.group.active === backup, 120_000, 'the group to switch');
        detect.push(performance.now() - t0);
        const before = lab.received(lab.backup);
        await waitFor(() => lab.pingOffice() && lab.received(lab.backup) > before, 60_000, 'the office through the backup');
        total.push(performance.now() - t0);
      } finally {
        pinger.kill('SIGKILL');
        lab.unblock(lab.primary);
      }
    }
  } finally {
    await lab.destroy();
  }
  const d = median(detect);
  const t = median(total);
  process.stdout.write(`Failover group (deadAfterSeconds ${TIMING.deadAfterSeconds}, failAfterSeconds ${TIMING.failAfterSeconds}), median of ${total.length}:\n`);
  process.stdout.write(`  primary blocked -> ping answered via the backup   ${t.toFixed(0).padStart(7)} ms   (detection ${d.toFixed(0)} ms, switch ${(t - d).toFixed(0)} ms)\n`);
  process.stdout.write('  reference: none; no other WireGuard client fails over between your tunnels (wg-quick, wireguard-go have no groups)\n\n');
}
