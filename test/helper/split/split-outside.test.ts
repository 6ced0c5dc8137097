// `wiredesk exec --outside`: with tunnel A holding /0 (and its kill switch
// on), what the exec'd command sends, and what its children send, leaves on
// the physical link in plain text; everything else still goes through the
// tunnel, and the kill switch still blocks the rest. The command runs as the
// user who ran sudo (`nobody` here), in the cgroup wiredesk/outside, and
// its exit status is wiredesk's. Run in this host's hybrid cgroup layout.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hasCommand } from '../../support/netns.js';
import { wiredeskBin } from '../../support/cli.js';
import { skipReason } from '../netconfig/topology.js';
import { describePacket, UnderlayCapture } from '../netconfig/underlay-capture.js';
import { addSplitPeers, FAR_V4, FAR_V6, NOBODY, wiredeskExec, wiredeskIn, withSplitTopology } from './split-topology.js';

const skip = skipReason || (!hasCommand('tcpdump') || !hasCommand('nsenter') || !existsSync('/sys/fs/cgroup/unified/cgroup.procs')
  ? 'needs tcpdump, nsenter and cgroup2 at /sys/fs/cgroup/unified (hybrid, as on this CI host)' : false);

const PARENT = `wiredesk-sp${process.pid}`;
const ENV = { WIREDESK_SPLIT_CGROUP: PARENT };
const icmpWith = (hex: string) => (p: { proto: string; icmpType?: number; payload: Buffer }) =>
  p.proto === 'icmp' && p.icmpType === 8 && p.payload.toString('hex').includes(hex.repeat(4));

describe('wiredesk exec --outside', { skip }, () => {
  it('sends the command and its children in plain text on the underlay, as the invoking user; the rest stays in the tunnel and the kill switch', async () => {
    await withSplitTopology('spo', PARENT, async (t) => {
      addSplitPeers(t);
      const conf = t.writeConfig(t.config({ allowedIps: '0.0.0.0/0, ::/0' }));
      const up = t.runInClient(wiredeskBin, ['up', conf, '--kill-switch=on'], {}, 60_000);
      assert.equal(up.status, 0, up.stderr);
      assert.equal(t.ping(FAR_V4), 0, 'the far address answers through the tunnel');

      const capture = await UnderlayCapture.start(t.client, t.clientVeth, join(t.dir, 'outside.pcap'), t.peer, '10.201.0.255');
      let packets;
      try {
        const direct = wiredeskExec(t, 'hybrid', ['--outside', '--', 'ping', '-c', '1', '-W', '2', '-p', 'a1a1', FAR_V4], ENV);
        assert.equal(direct.status, 0, `exec --outside ping: ${direct.stderr}`);
        const v6 = wiredeskExec(t, 'hybrid', ['--outside', '--', 'ping', '-6', '-c', '1', '-W', '2', '-p', 'e5e5', FAR_V6], ENV);
        assert.equal(v6.status, 0, `exec --outside ping -6: ${v6.stderr}`);
        const child = wiredeskExec(t, 'hybrid', ['--outside', '--', 'sh', '-c', `ping -c 1 -W 2 -p b2b2 ${FAR_V4}`], ENV);
        assert.equal(child.status, 0, `a child of the command: ${child.stderr}`);
        assert.equal(t.client.status('ping', ['-c', '1', '-W', '2', '-p', 'c3c3', FAR_V4]), 0, 'others still reach it (through the tunnel)');
        assert.equal(t.client.status('ping', ['-6', '-c', '1', '-W', '2', '-p', 'f6f6', FAR_V6]), 0, 'over IPv6 too');
        assert.notEqual(t.client.status('ping', ['-c', '1', '-W', '1', '-p', 'd4d4', '-I', t.clientVeth, FAR_V4]), 0,
          'a process outside the cgroup that binds to the physical link stays blocked by the kill switch');
      } finally {
        packets = await capture.stop().finally(() => capture.kill());
      }
      const seen = packets.map(describePacket).join('\n');
      const plain = (hex: string) => packets.filter((p) => p.out && icmpWith(hex)(p));
      assert.equal(plain('a1a1').length, 1, `exec --outside's ping is on the wire in plain text:\n${seen}`);
      assert.deepEqual([plain('a1a1')[0]!.src, plain('a1a1')[0]!.dst], ['10.201.0.2', FAR_V4], 'with the physical address as its source');
      const plain6 = (hex: string) => packets.filter((p) => p.out && p.proto === 'icmp6' && p.icmpType === 128 && p.payload.toString('hex').includes(hex.repeat(4)));
      assert.deepEqual(plain6('e5e5').map((p) => [p.src, p.dst]), [['fd01::2', FAR_V6]], `and over IPv6, from the physical address:\n${seen}`);
      assert.equal(plain6('f6f6').length, 0, `a ping -6 outside the cgroup is not:\n${seen}`);
      assert.equal(plain('b2b2').length, 1, `so is its child's:\n${seen}`);
      assert.equal(plain('c3c3').length, 0, `a ping outside the cgroup is not:\n${seen}`);
      assert.equal(plain('d4d4').length, 0, `nor the one the kill switch blocked:\n${seen}`);
      assert.ok(packets.some((p) => p.out && p.proto === 'udp' && p.dport === 51820), 'the tunnel carried the rest');

      const who = wiredeskExec(t, 'hybrid', ['--outside', '--', 'sh', '-c', 'id -u; id -g; id -G; grep "^0::" /proc/self/cgroup'], ENV);
      assert.equal(who.status, 0, who.stderr);
      assert.deepEqual(who.stdout.trim().split('\n'), [String(NOBODY), String(NOBODY), String(NOBODY), `0::/${PARENT}/outside`]);

      assert.equal(wiredeskExec(t, 'hybrid', ['--outside', '--', 'sh', '-c', 'exit 7'], ENV).status, 7, 'the command exit status');
      assert.equal(wiredeskExec(t, 'hybrid', ['--outside', '--', 'sh', '-c', 'kill -TERM $$'], ENV).status, 128 + 15, 'a signal death is 128 + n');
      assert.equal(wiredeskExec(t, 'hybrid', ['--outside', '--', 'no-such-command-sp'], ENV).status, 127);

      const down = wiredeskIn(t, 'hybrid', ['down', t.ifname], { ...process.env, ...ENV });
      assert.equal(down.status, 0, down.stderr);
      assert.doesNotMatch(t.client.exec('nft', ['list', 'tables']), /wiredesk-split/, 'down removed the split table: its apps have exited');
      assert.doesNotMatch(t.client.exec('ip', ['rule', 'show']), /0x77640000/, 'and the rule');
      assert.ok(!existsSync(`/sys/fs/cgroup/unified/${PARENT}`), 'and the cgroups');
      assert.ok(!readdirSync('/run/wiredesk').some((f) => /^split-\d+\.state$/.test(f)), 'and the state file');
    });
  });

  it('refuses bad input with one line and exit 2, changing nothing', async () => {
    await withSplitTopology('spb', PARENT, async (t) => {
      const before = [t.client.exec('nft', ['list', 'ruleset']), t.client.exec('ip', ['rule', 'show'])];
      const cases: [string[], RegExp][] = [
        [['--outside', 'true'], /put `--` before the command/],
        [['--outside', '--'], /missing the command after `--`/],
        [['--', 'true'], /--outside, or --tunnel NAME/],
        [['--tunnel', 'nosuchsp', '--', 'true'], /no tunnel named nosuchsp is up/],
        [['--tunnel', 'bad name', '--', 'true'], /is not a tunnel name/],
        [['--outside', '--tunnel', 'x', '--', 'true'], /not both/],
        [['--fast', '--', 'true'], /unknown option "--fast"/],
      ];
      for (const [args, message] of cases) {
        const r = wiredeskExec(t, 'hybrid', args, ENV);
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr.split('\n')[0]!, message, args.join(' '));
        assert.match(r.stderr, /^wiredesk exec: /);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      }
      // `ip netns exec` mounts a fresh /sys, with no cgroup2 in it: refused, with the reason.
      const noCgroup = t.runInClient(wiredeskBin, ['exec', '--outside', '--', 'true'], { SUDO_UID: '65534', SUDO_GID: '65534', ...ENV });
      assert.equal(noCgroup.status, 1, noCgroup.stderr);
      assert.match(noCgroup.stderr, /^wiredesk exec: cannot set up split tunneling: cgroup v2 is not mounted/);
      assert.deepEqual([t.client.exec('nft', ['list', 'ruleset']), t.client.exec('ip', ['rule', 'show'])], before, 'nothing changed');
      assert.ok(!existsSync(`/sys/fs/cgroup/unified/${PARENT}`), 'no cgroup was made');
    });
  });
});
