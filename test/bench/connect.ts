// Connect time: from "bring this .conf up" to the first ping answer through
// the tunnel, for three ways of doing it on the same namespaces, alternated
// round by round, median of each:
//   - wg-quick with wireguard-go (WG_QUICK_USERSPACE_IMPLEMENTATION), the reference;
//   - `wiredesk up FILE` as root (the CLI, tunnel-helper/bin/wiredesk);
//   - the helper: a real wiredesk-helper serving its control socket, and a
//     client calling `up` over the control protocol, as the app does.
// The clock stops when `ping -c 1 -i 0.01` (started once the up returned)
// gets its first answer; every path pays the same ping start-up.
// Alone, after `npm run build`: `node dist/test/bench/connect.js` (as root);
// WIREDESK_TRACE=1 in the CLI's environment prints where its up spends time.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HelperFixture } from '../helper/control/fixture.js';
import { repoRoot } from '../support/cli.js';

const ROUNDS = Number(process.env.BENCH_CONNECT_ROUNDS ?? 7);
const CLI = join(repoRoot, 'tunnel-helper', 'bin', 'wiredesk');

function median(list: number[]): number {
  const s = [...list].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function connectTime(): Promise<void> {
  process.stdout.write(`Connect time, to the first ping answer through the tunnel (${ROUNDS} rounds, alternated, median):\n`);
  const fx = new HelperFixture();
  try {
    const peer = fx.addPeer(0);
    const name = fx.tunnelName(0);
    const configText = fx.configFor(peer);
    const file = join(fx.dir, `${name}.conf`);
    writeFileSync(file, configText, { mode: 0o600 });
    await fx.startHelper();
    const app = await fx.connect();
    const target = `10.240.${peer.index}.2`;
    const firstAnswer = () => fx.client.exec('ping', ['-n', '-q', '-c', '1', '-i', '0.01', '-w', '10', target], { timeoutMs: 15_000 });

    const paths: { label: string; up: () => Promise<unknown>; down: () => Promise<unknown> }[] = [
      {
        label: 'wg-quick + wireguard-go',
        up: async () => fx.client.exec('env', ['WG_QUICK_USERSPACE_IMPLEMENTATION=wireguard-go', 'wg-quick', 'up', file]),
        down: async () => fx.client.exec('wg-quick', ['down', file]),
      },
      { label: 'wiredesk up (CLI)', up: async () => fx.client.exec(CLI, ['up', file]), down: async () => fx.client.exec(CLI, ['down', name]) },
      {
        label: 'helper, control `up`',
        up: () => app.call('up', { name, configText }),
        down: () => app.call('down', { name }),
      },
    ];
    const times = paths.map(() => [] as number[]);
    // One warm-up round, not counted: the first run of each pays cold caches.
    for (let round = -1; round < ROUNDS; round++) {
      for (const [i, p] of paths.entries()) {
        await sleep(300); // let the previous down and the helper's next spare engine settle
        const t0 = performance.now();
        await p.up();
        firstAnswer();
        const ms = performance.now() - t0;
        if (round >= 0) times[i]!.push(ms);
        await p.down();
      }
    }
    const ref = median(times[0]!);
    for (const [i, p] of paths.entries()) {
      const m = median(times[i]!);
      const ratio = i === 0 ? '' : `   ratio ${(m / ref).toFixed(2)} (lower is better)`;
      process.stdout.write(`  ${p.label.padEnd(26)} ${m.toFixed(0).padStart(6)} ms   (min ${Math.min(...times[i]!).toFixed(0)}, max ${Math.max(...times[i]!).toFixed(0)})${ratio}\n`);
    }
    process.stdout.write('\n');
  } finally {
    fx.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await connectTime();
