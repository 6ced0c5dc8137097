// `wiredesk exec --tunnel B`: while tunnel A holds /0, what the pinned
// command (and its child) sends reaches only through B, arriving from B's
// address. With B down it is blocked: nothing reaches the far end and nothing
// shows on the physical link (tcpdump). When B comes back up, the same
// running command gets through B again. Run in the unified cgroup layout
// (cgroup2 mounted at /sys/fs/cgroup in the namespace's own mounts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ChildProcess } from 'node:child_process';
import { hasCommand, waitFor } from '../../support/netns.js';
import { wiredeskBin } from '../../support/cli.js';
import { skipReason, type Topology } from '../netconfig/topology.js';
import { describePacket, UnderlayCapture } from '../netconfig/underlay-capture.js';
import { addSplitPeers, B_CLIENT_V4, FAR_V4, spawnWiredeskExec, udpListenerJs, udpSenderJs, wiredeskExec, wiredeskIn, withSplitTopology } from './split-topology.js';

const skip = skipReason || (!hasCommand('tcpdump') ? 'needs tcpdump' : false);

const PARENT = `wiredesk-sp${process.pid}p`;
const ENV = { WIREDESK_SPLIT_CGROUP: PARENT };
const PORT = 7788;

/** Lines a child prints, collected as they come. */
function lines(child: ChildProcess): string[] {
  const out: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => out.push(l));
  return out;
}

/** Waits for the tunnel's first handshake, so a single datagram is not lost to it. */
async function handshaken(t: Topology, ifname: string): Promise<void> {
  await waitFor(() => /\t[1-9]\d*$/m.test(t.runInClient('wg', ['show', ifname, 'latest-handshakes']).stdout), 15_000, `${ifname}'s handshake`);
}

describe('wiredesk exec --tunnel', { skip }, () => {
  it('reaches only through the chosen tunnel while another holds /0, and is blocked, not leaked, while it is down', async () => {
    await withSplitTopology('spp', PARENT, async (t) => {
      const b = addSplitPeers(t);
      const upA = t.runInClient(wiredeskBin, ['up', t.writeConfig(t.config({ allowedIps: '0.0.0.0/0' }))]);
      assert.equal(upA.status, 0, upA.stderr);
      const upB = t.runInClient(wiredeskBin, ['up', b.config]);
      assert.equal(upB.status, 0, upB.stderr);
      await handshaken(t, b.ifname);

      const listener = t.peer.spawn(process.execPath, ['-e', udpListenerJs(FAR_V4, PORT)]);
      const arrived = lines(listener);
      await waitFor(() => arrived.includes('listening'), 10_000, 'the far listener');

      const pinned = spawnWiredeskExec(t, 'unified', ['--tunnel', b.ifname, '--', process.execPath, '-e', udpSenderJs(FAR_V4, PORT)], ENV);
      let pinnedErr = '';
      pinned.stderr!.on('data', (d: Buffer) => { pinnedErr += d.toString(); });
      const replies = lines(pinned);
      try {
        const send = async (payload: string) => {
          pinned.stdin!.write(`${payload}\n`);
          await waitFor(() => replies.some((r) => r.endsWith(` ${payload}`)) || pinned.exitCode !== null, 10_000, `the sender to report ${payload}: ${pinnedErr}`);
        };
        await send('via-b-1');
        await waitFor(() => arrived.some((l) => l.endsWith(' via-b-1')), 10_000, 'via-b-1 to arrive');
        assert.deepEqual(arrived.filter((l) => l.startsWith('from ')), [`from ${B_CLIENT_V4} via-b-1`], 'it came through B, from B\'s address');

        const child = wiredeskExec(t, 'unified', ['--tunnel', b.ifname, '--', 'sh', '-c', `"$0" -e "$SP_SENDER" child-1`, process.execPath],
          { ...ENV, SP_SENDER: udpSenderJs(FAR_V4, PORT) });
        assert.equal(child.status, 0, child.stderr);
        await waitFor(() => arrived.some((l) => l.endsWith(' child-1')), 10_000, 'the child\'s datagram');
        assert.ok(arrived.includes(`from ${B_CLIENT_V4} child-1`), `a child of the command goes through B too: ${arrived.join('; ')}`);

        const downB = wiredeskIn(t, 'unified', ['down', b.ifname], { ...process.env, ...ENV });
        assert.equal(downB.status, 0, downB.stderr);
        const capture = await UnderlayCapture.start(t.client, t.clientVeth, join(t.dir, 'pin-down.pcap'), t.peer, '10.201.0.255');
        let packets;
        try {
          await send('while-down');
          assert.ok(replies.some((r) => /^error E(HOST|NET)UNREACH while-down$/.test(r)), `the pinned app is told it cannot reach it: ${replies.join('; ')}`);
          // A datagram sent by someone else afterwards, through A, does arrive: the path works, the pin is what blocks.
          assert.equal(t.runInClient(process.execPath, ['-e', udpSenderJs(FAR_V4, PORT), 'via-a']).status, 0);
          await waitFor(() => arrived.some((l) => l.endsWith(' via-a')), 10_000, 'via-a');
        } finally {
          packets = await capture.stop().finally(() => capture.kill());
        }
        assert.ok(!arrived.some((l) => l.endsWith(' while-down')), `nothing sent while B was down arrived: ${arrived.join('; ')}`);
        assert.match(wiredeskIn(t, 'unified', ['show']).stdout, new RegExp(`only through ${b.ifname}: 1 process \\(blocked: ${b.ifname} is down\\)`),
          'wiredesk show says the pinned app is blocked');
        const plain = packets.filter((p) => p.proto === 'udp' && p.dport === PORT);
        assert.deepEqual(plain.map(describePacket), [], 'and nothing went out on the physical link in plain text');

        const upAgain = t.runInClient(wiredeskBin, ['up', b.config]);
        assert.equal(upAgain.status, 0, upAgain.stderr);
        await handshaken(t, b.ifname);
        await send('via-b-2');
        await waitFor(() => arrived.some((l) => l.endsWith(' via-b-2')), 10_000, 'via-b-2 after B came back');
        assert.ok(arrived.includes(`from ${B_CLIENT_V4} via-b-2`), 'the running app uses B again');
      } finally {
        pinned.stdin!.end();
        await new Promise((resolve) => (pinned.exitCode !== null ? resolve(null) : pinned.once('exit', resolve)));
      }
      assert.equal(pinned.exitCode, 0, pinnedErr);

      for (const name of [b.ifname, t.ifname]) {
        const down = wiredeskIn(t, 'unified', ['down', name], { ...process.env, ...ENV });
        assert.equal(down.status, 0, down.stderr);
      }
      assert.doesNotMatch(t.client.exec('nft', ['list', 'tables']), /wiredesk-split/, 'the split table is gone once its apps exited');
      assert.doesNotMatch(t.client.exec('ip', ['rule', 'show']), /0x7764/, 'and so are its rules');
    });
  });
});
