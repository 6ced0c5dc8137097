// `npm run bench`: WireDesk's engine against wireguard-go, side by side on the
// same namespaces in one run. Two namespaces joined by a veth pair; the left
// one runs the engine under test, the right one always runs wireguard-go.
// For each pairing it measures iperf3 TCP throughput both ways and ping RTT,
// then prints the figures and the ratios engine / wireguard-go.
//
// BENCH_VARIANTS="WIREDESK_CIPHER=node;WIREDESK_CIPHER=openssl" runs the engine
// once per variant (environment assignments, `;` between variants) in every
// round, for A/B comparisons on a machine whose load changes from minute to
// minute; each variant gets its own summary and ratio lines. ENGINE=/path in a
// variant runs another build of the engine (e.g. the last commit's) instead.
//
// It first prints the figures that tests used to assert as time bounds (a
// slow machine is not a bug, so tests assert the work done instead), each next
// to its reference, then connect time (connect.ts; BENCH_CONNECT_ROUNDS=0
// skips it). BENCH_ROUNDS=0 prints only those.
//
// Not a test: figures depend on the machine. Needs root, wireguard-go, wg,
// iperf3 and ping (scripts/install-test-deps.sh installs them).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Netns, isRoot, run, vethPair, waitFor } from '../support/netns.js';
import { repoRoot } from '../support/cli.js';
import { failoverBench } from './failover.js';
import { basename, join } from 'node:path';
import { formatGet } from '../../tunnel-helper/src/engine/uapi/protocol-get.js';
import { LinuxTun } from '../../tunnel-helper/src/engine/io/tun-linux.js';
import { PacketVector } from '../../tunnel-helper/src/engine/io/packet-vector.js';
import { inNetns } from '../interop/io/in-netns.js';
import { networkChangeRecovery } from './network-change.js';
import { connectTime } from './connect.js';
import { onDemandBench } from './on-demand-bench.js';
import { ddnsRecoveryBench } from './ddns-recovery.js';
import { qrDecodeBench } from './qr-decode.js';
import { splitExecBench } from './split-exec-bench.js';
import { splitDnsBench } from './split-dns-bench.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const ENGINE = join(repoRoot, 'tunnel-helper', 'bin', 'wiredesk-tunnel');

interface Figures { forward: number; reverse: number; rttMs: number }

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

async function startDaemon(ns: Netns, cmd: string, ifname: string, env: string[] = []): Promise<void> {
  if (env.length > 0) ns.exec('env', [...env, cmd, ifname], { timeoutMs: 20_000 });
  else ns.exec(cmd, [ifname], { timeoutMs: 20_000 });
  await waitFor(() => existsSync(`/var/run/wireguard/${ifname}.sock`), 10_000, `${cmd} ${ifname}`);
}

function configure(ns: Netns, ifname: string, key: string, port: number, peer: string, peerIp: string, peerEndpoint: string, addr: string) {
  const keyFile = join(mkdtempSync(join(tmpdir(), 'wdbench-')), 'key');
  writeFileSync(keyFile, key, { mode: 0o600 });
  ns.exec('wg', ['set', ifname, 'private-key', keyFile, 'listen-port', String(port), 'peer', peer, 'allowed-ips', `${peerIp}/32`, 'endpoint', peerEndpoint]);
  rmSync(keyFile);
  ns.exec('ip', ['addr', 'add', `${addr}/24`, 'dev', ifname]);
  ns.exec('ip', ['link', 'set', ifname, 'up']);
}

/** The pid of the daemon serving `ifname` in `ns` (node or wireguard-go), or 0. */
function daemonPid(ns: Netns): number {
  for (const pid of run('ip', ['netns', 'pids', ns.name]).split(/\s+/).filter(Boolean)) {
    try {
      const comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      if (comm === 'node' || comm === 'wireguard-go') return Number(pid);
    } catch { /* exited */ }
  }
  return 0;
}

/** CPU seconds (user + system, all threads) a process has used so far. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ ticks
  } catch {
    return NaN;
  }
}

/** iperf3 TCP throughput in Mbit/s from `client` to `server` (reverse: server to client). */
function iperf(client: Netns, server: Netns, target: string, reverse: boolean): number {
  const srv = server.spawn('iperf3', ['-s', '-1', '-B', target]);
  run('sleep', ['0.5']);
  try {
    const out = client.exec('iperf3', ['-c', target, '-t', String(SECONDS), '-J', ...(reverse ? ['-R'] : [])], { timeoutMs: (SECONDS + 20) * 1000 });
    const json = JSON.parse(out) as { end: { sum_received: { bits_per_second: number } } };
    return json.end.sum_received.bits_per_second / 1e6;
  } finally {
    srv.kill('SIGKILL');
  }
}

function pingRtt(client: Netns, target: string): number {
  const out = client.exec('ping', ['-q', '-c', '200', '-i', '0.01', '-W', '1', target], { timeoutMs: 30_000 });
  const m = /= [\d.]+\/([\d.]+)\//.exec(out);
  if (!m) throw new Error(`could not read the RTT from ping:\n${out}`);
  return Number(m[1]);
}

async function measure(left: string, label: string, env: string[] = []): Promise<Figures> {
  const a = new Netns('bl');
  const b = new Netns('br');
  try {
    vethPair(a, '10.213.0.1/24', b, '10.213.0.2/24');
    const ka = run('wg', ['genkey']);
    const kb = run('wg', ['genkey']);
    const pa = run('wg', ['pubkey'], { input: ka }).trim();
    const pb = run('wg', ['pubkey'], { input: kb }).trim();
    await startDaemon(a, left, 'wgbench0', env);
    await startDaemon(b, 'wireguard-go', 'wgbench1');
    configure(a, 'wgbench0', ka, 51820, pb, '192.168.213.2', '10.213.0.2:51821', '192.168.213.1');
    configure(b, 'wgbench1', kb, 51821, pa, '192.168.213.1', '10.213.0.1:51820', '192.168.213.2');
    a.exec('ping', ['-c', '3', '-i', '0.2', '-W', '2', '192.168.213.2']);
    // CPU share of the left daemon (the engine under test) during each iperf3 run, in % of one core.
    const pid = daemonPid(a);
    const cpu = (fn: () => number): [number, number] => {
      const c0 = cpuSeconds(pid);
      const t0 = performance.now();
      const mbps = fn();
      return [mbps, ((cpuSeconds(pid) - c0) * 100_000) / (performance.now() - t0)];
    };
    const [forward, cpuF] = cpu(() => iperf(a, b, '192.168.213.2', false));
    const [reverse, cpuR] = cpu(() => iperf(a, b, '192.168.213.2', true));
    const rttMs = pingRtt(a, '192.168.213.2');
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
    process.stdout.write(`  ${label.padEnd(24)} ${forward.toFixed(0).padStart(6)} Mbit/s →   ${reverse.toFixed(0).padStart(6)} Mbit/s ←   RTT ${rttMs.toFixed(3)} ms`
      + `   (left daemon CPU ${cpuF.toFixed(0)}% → ${cpuR.toFixed(0)}% ←, load ${load})\n`);
    return { forward, reverse, rttMs };
  } finally {
    a.destroy();
    b.destroy();
    await sleep(200);
  }
}

function best(list: Figures[]): Figures {
  return {
    forward: Math.max(...list.map((f) => f.forward)),
    reverse: Math.max(...list.map((f) => f.reverse)),
    rttMs: Math.min(...list.map((f) => f.rttMs)),
  };
}

/** One figure next to its reference: the bound a test used to assert, and where that test lives now. */
function reference(label: string, ms: number, refMs: number, test: string): void {
  process.stdout.write(`  ${label.padEnd(48)} ${ms.toFixed(1).padStart(8)} ms   reference < ${refMs} ms   (${test})\n`);
}

/** The figures that were once time bounds in tests; best of a few runs. */
async function formerTestBounds(): Promise<void> {
  process.stdout.write('Figures that tests no longer assert (they check the work done instead), next to the old bound:\n');
  const ips: string[] = [];
  for (let a = 1; a <= 255; a++) for (let b = 0; b < 256; b++) ips.push(`${a}.${b}.0.0/16`, `${a}::${b}/128`);
  const peer = {
    publicKey: new Uint8Array(32).fill(0xaa), presharedKey: null, endpoint: null, lastHandshakeSec: 0, lastHandshakeNsec: 0,
    rxBytes: 0n, txBytes: 0n, persistentKeepaliveInterval: 0, allowedIps: ips,
  };
  let formatMs = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    formatGet({ privateKey: null, listenPort: 0, fwmark: 0, peers: [peer] });
    formatMs = Math.min(formatMs, performance.now() - t0);
  }
  reference('UAPI get reply, 130560 allowed IPs (formatGet)', formatMs, 2000, 'test/unit/uapi/protocol-get');

  // From `ip link del` to the pending read's TunClosedError (the idle liveness check runs every 1000 ms).
  let deleteMs = Infinity;
  for (let i = 0; i < 3; i++) {
    const ns = new Netns('bt');
    try {
      const tun = inNetns(ns.name, () => LinuxTun.create('wdb%d'));
      const read = new Promise<void>((resolve) => tun.readBatch(new PacketVector({ capacity: 1 }), () => resolve()));
      const t0 = performance.now();
      ns.exec('ip', ['link', 'del', tun.name()]);
      await read;
      deleteMs = Math.min(deleteMs, performance.now() - t0);
      tun.close();
    } finally {
      ns.destroy();
    }
  }
  reference('TUN deleted: a pending read notices', deleteMs, 1000, 'test/interop/io/tun-linux');
  process.stdout.write('\n');
}

async function main(): Promise<void> {
  if (!isRoot()) {
    process.stderr.write('npm run bench needs root (network namespaces and TUN devices): sudo npm run bench\n');
    process.exit(2);
  }
  await failoverBench();
  await formerTestBounds();
  await networkChangeRecovery();
  if (Number(process.env.BENCH_CONNECT_ROUNDS ?? 1) > 0) await connectTime();
  await ddnsRecoveryBench();
  await onDemandBench();
  await qrDecodeBench();
  await splitExecBench();
  await splitDnsBench();
  if (ROUNDS === 0) return;
  process.stdout.write(`WireDesk engine vs wireguard-go: iperf3 TCP ${SECONDS} s each way, ping ×200; ${ROUNDS} rounds, best of each\n\n`);
  const variants = (process.env.BENCH_VARIANTS ?? '').split(';').map((v) => v.trim().split(/\s+/).filter(Boolean));
  const ours: Figures[][] = variants.map(() => []);
  const theirs: Figures[] = [];
  // ENGINE=/x/y/tunnel-helper/bin/wiredesk-tunnel is labelled by its checkout, "wiredesk@y".
  const name = (v: string[]) => (v.length === 0 ? 'wiredesk' : `wiredesk ${v.map((e) => e.startsWith('ENGINE=')
    ? `@${basename(e.slice(7).replace(/\/tunnel-helper\/bin\/wiredesk-tunnel$/, ''))}` : e.replace(/^WIREDESK_/, '')).join(' ')}`.replace(' @', '@'));
  for (let round = 0; round < ROUNDS; round++) {
    theirs.push(await measure('wireguard-go', 'wireguard-go ↔ wg-go'));
    for (const [k, v] of variants.entries()) {
      const engine = v.find((e) => e.startsWith('ENGINE='))?.slice(7) ?? ENGINE;
      ours[k]!.push(await measure(engine, `${name(v)} ↔ wg-go`, v.filter((e) => !e.startsWith('ENGINE='))));
    }
  }
  const t = best(theirs);
  process.stdout.write('\n                           forward (→)   reverse (←)   RTT\n');
  for (const [k, v] of variants.entries()) {
    const o = best(ours[k]!);
    const label = name(v);
    process.stdout.write(`  ${`${label} ↔ wireguard-go`.padEnd(24)} ${o.forward.toFixed(0).padStart(7)} Mbit/s ${o.reverse.toFixed(0).padStart(7)} Mbit/s  ${o.rttMs.toFixed(3)} ms\n`);
    if (k === 0) process.stdout.write(`  wireguard-go ↔ wg-go     ${t.forward.toFixed(0).padStart(7)} Mbit/s ${t.reverse.toFixed(0).padStart(7)} Mbit/s  ${t.rttMs.toFixed(3)} ms\n`);
    process.stdout.write(`  ratio (${label} / wg-go)`.padEnd(27) + `${(o.forward / t.forward).toFixed(2).padStart(12)} ${(o.reverse / t.reverse).toFixed(2).padStart(13)}  ${(o.rttMs / t.rttMs).toFixed(2)} (RTT, lower is better)\n`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
