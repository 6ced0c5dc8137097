// Micro-benchmark of the engine's OS seams: packets per second through
// LinuxTun and LinuxUdpBind, next to the plain Node ways of doing the same.
// Run manually, as root:  node dist/test/bench/io-tun-udp.js [seconds]
//
// It re-runs itself inside a fresh network namespace, so every packet stays
// there (loopback and a TUN whose peer route is a namespace-local prefix).
// Load generators run as child processes so they get the second core.
// "CPU/packet" is this process's user+system time per packet: the kernel's
// share of a syscall counts, so it is the cost the engine pays per packet.
//
// Figures on the project machine (2 vCPU, Node 20, Linux 6.18; 1400-byte
// payloads; this VM is noisy, so runs vary by up to ±40%):
//   TUN read, koffi poll + read() drain       180-530 kpps   1.7-2.3 µs/packet (user 0.3-0.9)
//   TUN read, fs.read on the threadpool        25-50 kpps   21-32 µs/packet
//   TUN write, UDP, one writev each           160-285 kpps   3.5-4.7 µs/packet (kernel receive path)
//   UDP send, sendmmsg batch 1                190-250 kpps   4.0-4.5 µs/packet
//   UDP send, sendmmsg batch 64               260-360 kpps   2.8-3.2 µs/packet
//   UDP send, sendmmsg batch 64 + GSO         0.96-1.5 Mpps  0.66-0.74 µs/packet
//   UDP send, node dgram.send                 150-200 kpps   5-6 µs/packet
//   UDP receive, recvmmsg (mean batch 80-125) 230-880 kpps   1.1-1.4 µs/packet
// And test/bench/io-relay.ts (TUN -> UDP -> UDP -> TUN, no crypto, iperf3 TCP):
//   plain writes 0.72-0.98 Gbit/s at 8-9 µs/packet relayed; with TCP GRO 1.7-2.0 Gbit/s at 5.4-5.9 µs.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { openSync, read as fsRead, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LinuxTun } from '../../tunnel-helper/src/engine/io/tun-linux.js';
import { LinuxUdpBind } from '../../tunnel-helper/src/engine/io/udp-linux.js';
import { PacketVector } from '../../tunnel-helper/src/engine/io/packet-vector.js';
import { Endpoint } from '../../tunnel-helper/src/engine/core/endpoint.js';
import { sys } from '../../tunnel-helper/src/engine/io/libc.js';
import { TUNSETIFF, ifreq } from '../../tunnel-helper/src/engine/io/netdev-linux.js';
import { ipv4UdpPacket } from '../interop/io/ip-packets.js';

const self = fileURLToPath(import.meta.url);
const seconds = Number(process.argv[3] ?? process.argv[2] ?? 2) || 2;
const PAYLOAD = 1400;
let cpuStart = process.cpuUsage();

/** Prints packets/s and this process's CPU time per packet (user + system, all threads) since the last report. */
function report(what: string, packets: number, ms: number): void {
  const pps = (packets * 1000) / ms;
  const cpu = process.cpuUsage(cpuStart);
  const us = (v: number) => (v / packets).toFixed(2).padStart(5);
  console.log(`${what.padEnd(42)} ${(pps / 1000).toFixed(1).padStart(7)} kpps ${((pps * PAYLOAD * 8) / 1e9).toFixed(2).padStart(6)} Gbit/s  `
    + `CPU/packet ${us(cpu.user + cpu.system)} µs (user ${us(cpu.user)}, sys ${us(cpu.system)})`);
  cpuStart = process.cpuUsage();
}

/** Child role: blast UDP datagrams at host:port with sendmmsg until killed. */
function generator(host: string, port: number): void {
  const bind = new LinuxUdpBind({ sticky: false });
  bind.open(0);
  const vec = new PacketVector({ capacity: 64 });
  for (let i = 0; i < 64; i++) vec.push(Buffer.alloc(PAYLOAD, i));
  const ep = Endpoint.parse(`${host}:${port}`);
  const burst = () => {
    for (let i = 0; i < 50; i++) bind.sendBatch(vec, ep);
    setImmediate(burst);
  };
  burst();
}

function startGenerator(host: string, port: number) {
  return spawn(process.execPath, [self, 'generate', host, String(port)], { stdio: 'inherit' });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timed(run: (stopAt: number) => Promise<number>): Promise<[number, number]> {
  cpuStart = process.cpuUsage();
  const t0 = performance.now();
  const n = await run(t0 + seconds * 1000);
  return [n, performance.now() - t0];
}

async function tunRead(tun: LinuxTun): Promise<void> {
  const gen = startGenerator('10.77.0.2', 9);
  await sleep(300);
  const vec = new PacketVector({ capacity: 128 });
  const [n, ms] = await timed((stopAt) => new Promise((resolve) => {
    let total = 0;
    let batches = 0;
    const loop = () => tun.readBatch(vec, (err, count) => {
      if (err) return resolve(total);
      total += count;
      batches++;
      if (performance.now() > stopAt) {
        console.log(`  (mean batch ${(total / batches).toFixed(1)} packets)`);
        resolve(total);
      } else loop();
    });
    loop();
  }));
  gen.kill();
  report('TUN read: koffi poll + read() drain', n, ms);
}

async function tunReadThreadpool(): Promise<void> {
  // A blocking TUN fd read by fs.read, which parks a libuv threadpool thread per read.
  const fd = openSync('/dev/net/tun', 'r+');
  const req = ifreq('wdbench1');
  req.writeUInt16LE(0x1001, 16);
  if (sys.ioctl(fd, TUNSETIFF, req) < 0) throw new Error('TUNSETIFF failed');
  execFileSync('ip', ['addr', 'add', '10.78.0.1/24', 'dev', 'wdbench1']);
  execFileSync('ip', ['link', 'set', 'wdbench1', 'up']);
  const gen = startGenerator('10.78.0.2', 9);
  await sleep(300);
  const buf = Buffer.alloc(2048);
  const [n, ms] = await timed((stopAt) => new Promise((resolve) => {
    let total = 0;
    const loop = () => fsRead(fd, buf, 0, buf.length, null, (err) => {
      if (err) return resolve(total);
      total++;
      if (performance.now() > stopAt) resolve(total);
      else loop();
    });
    loop();
  }));
  gen.kill();
  execFileSync('ip', ['link', 'del', 'wdbench1']); // wakes the parked read with EBADFD
  await sleep(50);
  closeSync(fd);
  report('TUN read: fs.read on the threadpool', n, ms);
}

function tunWrite(tun: LinuxTun): void {
  // UDP packets to our own address, port 9 with a socket that never reads: the kernel drops them.
  const sink = createSocket('udp4').bind(9, '10.77.0.1');
  const vec = new PacketVector({ capacity: 64 });
  for (let i = 0; i < 64; i++) vec.push(ipv4UdpPacket([10, 77, 0, 2], [10, 77, 0, 1], 40000 + i, 9, PAYLOAD));
  cpuStart = process.cpuUsage();
  const t0 = performance.now();
  const stopAt = t0 + seconds * 1000;
  let n = 0;
  while (performance.now() < stopAt) for (let i = 0; i < 16; i++) n += tun.writeBatch(vec);
  report('TUN write: UDP, one writev each (batch 64)', n, performance.now() - t0);
  sink.close();
}

async function udpSend(batch: number, gso: boolean): Promise<void> {
  const sink = new LinuxUdpBind({ sticky: false });
  const { port } = sink.open(0); // never read: the kernel drops what overflows
  const bind = new LinuxUdpBind({ sticky: false, gso });
  bind.open(0);
  const vec = new PacketVector({ capacity: batch });
  for (let i = 0; i < batch; i++) vec.push(Buffer.alloc(PAYLOAD, i));
  const ep = Endpoint.parse(`127.0.0.1:${port}`);
  cpuStart = process.cpuUsage();
  const t0 = performance.now();
  const stopAt = t0 + seconds * 1000;
  let n = 0;
  while (performance.now() < stopAt) {
    for (let i = 0; i < 1024 / batch; i++) n += bind.sendBatch(vec, ep);
    if (bind.stats.queued) await sleep(0);
  }
  report(`UDP send: sendmmsg, batch ${batch}${gso ? ', GSO' : ''}`, n, performance.now() - t0);
  bind.close();
  sink.close();
}

async function dgramSend(): Promise<void> {
  const sink = new LinuxUdpBind({ sticky: false });
  const { port } = sink.open(0);
  const sock = createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  const payload = Buffer.alloc(PAYLOAD);
  cpuStart = process.cpuUsage();
  const t0 = performance.now();
  const stopAt = t0 + seconds * 1000;
  let n = 0;
  while (performance.now() < stopAt) {
    for (let i = 0; i < 256; i++) sock.send(payload, port, '127.0.0.1');
    n += 256;
    await new Promise((r) => setImmediate(r));
  }
  report('UDP send: node dgram.send', n, performance.now() - t0);
  sock.close();
  sink.close();
}

async function udpReceive(): Promise<void> {
  const bind = new LinuxUdpBind();
  const { port, receivers } = bind.open(0);
  const gen = startGenerator('127.0.0.1', port);
  await sleep(300);
  const vec = new PacketVector({ capacity: 128, headroom: 0 });
  const v4 = receivers.find((r) => r.family === 4)!;
  const [n, ms] = await timed((stopAt) => new Promise((resolve) => {
    let total = 0;
    let batches = 0;
    const loop = () => v4.receiveBatch(vec, (err, count) => {
      if (err) return resolve(total);
      total += count;
      batches++;
      if (performance.now() > stopAt) {
        console.log(`  (mean batch ${(total / batches).toFixed(1)} datagrams)`);
        resolve(total);
      } else loop();
    });
    loop();
  }));
  gen.kill();
  bind.close();
  report('UDP receive: recvmmsg (batch <= 128)', n, ms);
}

async function inner(): Promise<void> {
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
  const tun = LinuxTun.create('wdbench0', { mtu: 1500 });
  execFileSync('ip', ['addr', 'add', '10.77.0.1/24', 'dev', 'wdbench0']);
  tun.up();
  await tunRead(tun);
  await tunReadThreadpool();
  tunWrite(tun);
  await udpSend(1, false);
  await udpSend(64, false);
  await udpSend(64, true);
  await dgramSend();
  await udpReceive();
  tun.close();
  setImmediate(() => process.exit(0));
}

if (process.argv[2] === 'generate') {
  generator(process.argv[3]!, Number(process.argv[4]));
} else if (process.env.WD_BENCH_NETNS) {
  await inner();
} else {
  const ns = `wdbench${process.pid % 10000}`;
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    console.log(`io-tun-udp: ${seconds} s per figure, ${PAYLOAD}-byte payloads, namespace ${ns}`);
    spawnSync('ip', ['netns', 'exec', ns, process.execPath, self, String(seconds)], {
      stdio: 'inherit', env: { ...process.env, WD_BENCH_NETNS: ns }, timeout: 120_000,
    });
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
  }
}
