// Bulk traffic between wiredesk-tunnel and wireguard-go, as netns.sh
// `tests()` runs it: TCP streams that must arrive byte for byte (the data
// path batches, coalesces and encrypts in place, so corruption would show
// here), and iperf3 TCP, parallel TCP and unthrottled UDP both ways.
// Nothing here measures speed; the benchmark does that.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Netns } from '../../support/netns.js';
import { OUR_V4, OUR_V6, PEER_V4, PEER_V6, Pair, attempt, ping, lingering, pingEventually, skipReason, sleep } from './topology.js';

const skip = skipReason(['iperf3']);
const started: string[] = [];
const TCP_TOOL = fileURLToPath(new URL('./tcp-tool.js', import.meta.url));

interface Digest { bytes: number; sha256: string }

/** Streams `mib` MiB of random bytes from `from` to a hashing sink at `to` in `at`. */
async function stream(from: Netns, at: Netns, to: string, mib: number): Promise<{ sent: Digest; received: Digest }> {
  const sinkProc = spawn('ip', ['netns', 'exec', at.name, process.execPath, TCP_TOOL, 'sink', to, '5201'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  sinkProc.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const ended = new Promise<void>((resolve) => sinkProc.once('exit', () => resolve()));
  try {
    const deadline = Date.now() + 10_000;
    while (!out.startsWith('ready\n')) {
      if (sinkProc.exitCode !== null || Date.now() > deadline) throw new Error('the TCP sink did not start');
      await sleep(20);
    }
    const r = attempt(from, process.execPath, [TCP_TOOL, 'source', to, '5201', String(mib)], 60_000);
    if (r.code !== 0) throw new Error(`the TCP source failed: ${r.stderr}`);
    const done = await Promise.race([ended.then(() => true), sleep(10_000).then(() => false)]);
    if (!done) throw new Error('the TCP sink never saw the end of the stream');
    return { sent: JSON.parse(r.stdout) as Digest, received: JSON.parse(out.split('\n')[1]!) as Digest };
  } finally {
    if (sinkProc.exitCode === null) sinkProc.kill('SIGKILL');
  }
}

interface IperfEnd { sum_received?: { bytes: number }; sum?: { bytes: number } }

/** Runs iperf3 clients in `client` against one server at `target` in `server`; returns each run's end section. */
async function iperf(client: Netns, server: Netns, target: string, runs: string[][]): Promise<IperfEnd[]> {
  const srv = spawn('ip', ['netns', 'exec', server.name, 'iperf3', '-s', '-B', target], { stdio: 'ignore' });
  try {
    const deadline = Date.now() + 10_000;
    while (!/:5201\b/.test(attempt(server, 'ss', ['-tln']).stdout)) {
      if (Date.now() > deadline) throw new Error('the iperf3 server did not start');
      await sleep(50);
    }
    const ends: IperfEnd[] = [];
    for (const args of runs) {
      const r = attempt(client, 'iperf3', ['-c', target, '-t', '2', '-J', ...args], 30_000);
      assert.equal(r.code, 0, `iperf3 ${args.join(' ')} to ${target} failed: ${r.stdout.slice(-500)}`);
      ends.push((JSON.parse(r.stdout) as { end: IperfEnd }).end);
    }
    return ends;
  } finally {
    srv.kill('SIGKILL');
    await new Promise((r) => srv.once('exit', r));
  }
}

describe('bulk traffic between wiredesk-tunnel and wireguard-go', { skip }, () => {
  let pair: Pair;
  before(async () => {
    pair = await Pair.create('b');
    started.push(pair.ours.ifname);
    assert.ok(await pingEventually(pair.ns1, PEER_V4), `no tunnel to start with${pair.logs()}`);
  });
  after(async () => {
    await pair?.destroy();
    assert.deepEqual(await lingering(started), [], 'a wiredesk-tunnel outlived its interface');
  });

  for (const [family, ours, theirs] of [['IPv4', OUR_V4, PEER_V4], ['IPv6', OUR_V6, PEER_V6]] as const) {
    it(`carries a 32 MiB TCP stream intact both ways over ${family}`, async () => {
      const out = await stream(pair.ns1, pair.ns2, theirs, 32);
      assert.equal(out.received.bytes, 32 << 20, 'bytes from us');
      assert.equal(out.received.sha256, out.sent.sha256, 'the stream from us arrived altered');
      const back = await stream(pair.ns2, pair.ns1, ours, 32);
      assert.equal(back.received.bytes, 32 << 20, 'bytes to us');
      assert.equal(back.received.sha256, back.sent.sha256, 'the stream to us arrived altered');
    });
  }

  it('runs iperf3 TCP both ways over IPv4 and IPv6, with 5 parallel streams too', async () => {
    for (const [target, server, client] of [[PEER_V4, pair.ns2, pair.ns1], [OUR_V6, pair.ns1, pair.ns2]] as const) {
      const runs = [[], ['-R'], ['-P', '5']];
      const ends = await iperf(client, server, target, runs);
      ends.forEach((end, i) => assert.ok((end.sum_received?.bytes ?? 0) > 0,
        `no bytes arrived for iperf3 ${runs[i]!.join(' ')} to ${target}: ${JSON.stringify(end).slice(0, 300)}`));
    }
  });

  it('survives unthrottled iperf3 UDP both ways and still pings after', async () => {
    const runs = [['-u', '-b', '0'], ['-u', '-b', '0', '-R']];
    const ends = await iperf(pair.ns1, pair.ns2, PEER_V4, runs);
    ends.forEach((end, i) => assert.ok((end.sum_received?.bytes ?? end.sum?.bytes ?? 0) > 0,
      `no UDP bytes for iperf3 ${runs[i]!.join(' ')}: ${JSON.stringify(end).slice(0, 300)}`));
    assert.ok(await pingEventually(pair.ns2, OUR_V4), `no ping after the UDP flood${pair.logs()}`);
    assert.ok(ping(pair.ns1, PEER_V6));
    assert.ok(pair.ours.alive);
  });
});
