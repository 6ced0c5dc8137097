// A section of `npm run bench` (root): what `sudo wiredesk exec --outside --
// true` costs, end to end (argument checks, the split table and rules, the
// cgroup move, dropping to the user, CMD's run), in a namespace of its own.
// References beside it: `setpriv ... true` (only the privilege drop and exec)
// and `wiredesk help` (the CLI's own start on Node). The first exec sets the
// rules up; the figures are medians of the runs after it.
import { spawnSync } from 'node:child_process';
import { existsSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { Netns, isRoot } from '../support/netns.js';
import { wiredeskBin } from '../support/cli.js';

const ROUNDS = Number(process.env.BENCH_SPLIT_ROUNDS ?? 9);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function splitExecBench(): Promise<void> {
  if (!isRoot()) throw new Error('the split-exec bench needs root');
  if (ROUNDS <= 0 || !existsSync('/sys/fs/cgroup/unified/cgroup.procs') && !existsSync('/sys/fs/cgroup/cgroup.procs')) return;
  const ns = new Netns('sx');
  const parent = `wiredesk-spbench${process.pid}`;
  const env = { ...process.env, SUDO_UID: '65534', SUDO_GID: '65534', WIREDESK_SPLIT_CGROUP: parent };
  const timed = (args: string[]): number => {
    const t0 = performance.now();
    const r = spawnSync('nsenter', [`--net=/run/netns/${ns.name}`, ...args], { env, cwd: '/', stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}`);
    return performance.now() - t0;
  };
  try {
    const first = timed([wiredeskBin, 'exec', '--outside', '--', 'true']);
    const exec: number[] = [];
    const setpriv: number[] = [];
    const help: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      exec.push(timed([wiredeskBin, 'exec', '--outside', '--', 'true']));
      setpriv.push(timed(['setpriv', '--reuid', '65534', '--regid', '65534', '--clear-groups', 'true']));
      help.push(timed([wiredeskBin, 'help']));
    }
    const e = median(exec);
    console.log('\nwiredesk exec --outside -- true (medians of %d)', ROUNDS);
    console.log(`  first run (sets up the table and rules): ${first.toFixed(0)} ms`);
    console.log(`  wiredesk exec:  ${e.toFixed(0)} ms`);
    console.log(`  setpriv only:   ${median(setpriv).toFixed(1)} ms   (exec / setpriv = ${(e / median(setpriv)).toFixed(1)}x)`);
    console.log(`  wiredesk help:  ${median(help).toFixed(0)} ms   (exec / the CLI's bare start = ${(e / median(help)).toFixed(2)}x)`);
  } finally {
    rmSync(`/run/wiredesk/split-${statSync(`/run/netns/${ns.name}`).ino}.state`, { force: true });
    ns.destroy();
    for (const base of ['/sys/fs/cgroup/unified', '/sys/fs/cgroup']) {
      for (const d of [`${base}/${parent}/outside`, `${base}/${parent}`]) {
        try { rmdirSync(d); } catch { /* busy or gone */ }
      }
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await splitExecBench();
