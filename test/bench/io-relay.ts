// The I/O ceiling of the engine: WireGuard's data path without the crypto.
// Two TUN devices in two namespaces, joined by a relay that does what the
// engine does around encryption: read a TUN batch, grow each packet by the
// 16-byte header in its headroom, send the batch over UDP (loopback of a third
// namespace), receive it, strip the header in place, write the batch to the
// other TUN. iperf3 TCP then runs across.
// Run manually, as root:  node dist/test/bench/io-relay.js [seconds] [plain|vnet|gro]
import { execFileSync, spawn } from 'node:child_process';
import { LinuxTun } from '../../tunnel-helper/src/engine/io/tun-linux.js';
import { LinuxUdpBind } from '../../tunnel-helper/src/engine/io/udp-linux.js';
import { Endpoint } from '../../tunnel-helper/src/engine/core/endpoint.js';
import { inNetns } from '../interop/io/in-netns.js';
import { drain, pump } from '../interop/io/relay.js';

const seconds = Number(process.argv[2] ?? 5) || 5;
/** TUN write mode: plain write(), IFF_VNET_HDR without merging, or with TCP GRO (the default). */
const mode = process.argv[3] ?? 'gro';
const MTU = 1420;
const tunOptions = { mtu: MTU, vnetHdr: mode !== 'plain', gro: mode === 'gro' };
const tag = `wdr${process.pid % 10000}`;
const names = { a: `${tag}a`, b: `${tag}b`, link: `${tag}l` };

function ip(...args: string[]): void {
  execFileSync('ip', args);
}

async function main(): Promise<void> {
  for (const ns of Object.values(names)) ip('netns', 'add', ns);
  const cleanup: (() => void)[] = [];
  try {
    const tunA = inNetns(names.a, () => LinuxTun.create('wg0', tunOptions));
    const tunB = inNetns(names.b, () => LinuxTun.create('wg0', tunOptions));
    cleanup.push(() => tunA.close(), () => tunB.close());
    for (const [ns, addr] of [[names.a, '10.90.0.1/24'], [names.b, '10.90.0.2/24']] as const) {
      ip('-n', ns, 'addr', 'add', addr, 'dev', 'wg0');
      ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    tunA.up();
    tunB.up();
    ip('-n', names.link, 'link', 'set', 'lo', 'up');
    const bindA = new LinuxUdpBind();
    const bindB = new LinuxUdpBind();
    const openA = inNetns(names.link, () => bindA.open(0));
    const openB = inNetns(names.link, () => bindB.open(0));
    cleanup.push(() => bindA.close(), () => bindB.close());
    pump(tunA, bindA, Endpoint.parse(`127.0.0.1:${openB.port}`));
    pump(tunB, bindB, Endpoint.parse(`127.0.0.1:${openA.port}`));
    drain(openB.receivers.find((r) => r.family === 4)!, tunB);
    drain(openA.receivers.find((r) => r.family === 4)!, tunA);

    const server = spawn('ip', ['netns', 'exec', names.b, 'iperf3', '-s', '-1', '-B', '10.90.0.2'], { stdio: 'ignore' });
    cleanup.push(() => server.kill());
    await new Promise((r) => setTimeout(r, 500));
    // The client runs in a child process; this one keeps relaying meanwhile.
    const client = spawn('ip', ['netns', 'exec', names.a, 'iperf3', '-c', '10.90.0.2', '-t', String(seconds), '-J'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let json = '';
    client.stdout.on('data', (d: Buffer) => { json += d.toString(); });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => client.on('exit', r));
    const cpu = process.cpuUsage(cpu0);
    const ms = performance.now() - t0;
    const bps = (JSON.parse(json) as { end: { sum_received: { bits_per_second: number } } }).end.sum_received.bits_per_second;
    const packets = bindA.stats.packetsSent + bindB.stats.packetsSent;
    const merged = tunA.stats.coalesced + tunB.stats.coalesced;
    const written = tunA.stats.packetsWritten + tunB.stats.packetsWritten;
    console.log(`relay TUN->UDP->UDP->TUN (${mode}), no crypto, MTU ${MTU}: iperf3 TCP ${(bps / 1e9).toFixed(2)} Gbit/s; `
      + `relay CPU ${(((cpu.user + cpu.system) / 1000 / ms) * 100).toFixed(0)}% of one core, `
      + `${((cpu.user + cpu.system) / packets).toFixed(2)} µs per packet relayed (user ${(cpu.user / packets).toFixed(2)}), `
      + `${((merged / Math.max(1, written)) * 100).toFixed(0)}% of TUN writes merged by GRO, `
      + `UDP send batches queued ${bindA.stats.queued + bindB.stats.queued}, dropped ${bindA.stats.dropped + bindB.stats.dropped}`);
  } finally {
    for (const f of cleanup.reverse()) try { f(); } catch { /* already gone */ }
    for (const ns of Object.values(names)) try { ip('netns', 'del', ns); } catch { /* already gone */ }
  }
}

await main();
setImmediate(() => process.exit(0));
