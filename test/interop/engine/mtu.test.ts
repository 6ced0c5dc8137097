// Full-MTU packets with DF set, both ways, at the default MTU and at larger
// ones (netns.sh runs its tests again at MTU 34736).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OUR_V4, OUR_V6, PEER_V4, PEER_V6, Pair, ping, pingEventually, skipReason, lingering, wg } from './topology.js';

const skip = skipReason();
const started: string[] = [];

/** Pings with the largest payload that fits `mtu` unfragmented, from both sides, v4 and v6. */
function fullSizePings(pair: Pair, mtu: number): string[] {
  const failures: string[] = [];
  const v4 = ['-M', 'do', '-s', String(mtu - 28)];
  const v6 = ['-M', 'do', '-s', String(mtu - 48)];
  if (!ping(pair.ns1, PEER_V4, [...v4, '-i', '0.2'], 2)) failures.push(`IPv4 ${mtu} from us`);
  if (!ping(pair.ns2, OUR_V4, [...v4, '-i', '0.2'], 2)) failures.push(`IPv4 ${mtu} to us`);
  if (!ping(pair.ns1, PEER_V6, [...v6, '-i', '0.2'], 2)) failures.push(`IPv6 ${mtu} from us`);
  if (!ping(pair.ns2, OUR_V6, [...v6, '-i', '0.2'], 2)) failures.push(`IPv6 ${mtu} to us`);
  return failures;
}

function setMtu(pair: Pair, mtu: number): void {
  pair.ns1.exec('ip', ['link', 'set', pair.ours.ifname, 'mtu', String(mtu)]);
  pair.ns2.exec('ip', ['link', 'set', pair.peer.ifname, 'mtu', String(mtu)]);
}

describe('full-MTU packets between wiredesk-tunnel and wireguard-go', { skip }, () => {
  after(async () => assert.deepEqual(await lingering(started), [], 'a wiredesk-tunnel outlived its interface'));

  it('carries full-size packets with DF set both ways at the default MTU of 1420', async () => {
    const pair = await Pair.create('u');
    started.push(pair.ours.ifname);
    try {
      assert.equal(pair.ns1.exec('cat', [`/sys/class/net/${pair.ours.ifname}/mtu`]).trim(), '1420');
      assert.ok(await pingEventually(pair.ns1, PEER_V4), `no tunnel to start with${pair.logs()}`);
      assert.deepEqual(fullSizePings(pair, 1420), [], pair.logs());
      // One byte more does not fit: the DF ping is refused locally, proving the size was the limit.
      assert.equal(ping(pair.ns1, PEER_V4, ['-M', 'do', '-s', String(1420 - 27)]), false);
    } finally {
      await pair.destroy();
    }
  });

  for (const mtu of [9000, 34736]) {
    it(`carries full-size packets with DF set both ways after both interfaces move to MTU ${mtu}`, async () => {
      const pair = await Pair.create('u', { outer: mtu === 9000 ? 4 : 6 });
      started.push(pair.ours.ifname);
      try {
        assert.ok(await pingEventually(pair.ns2, OUR_V4), `no tunnel to start with${pair.logs()}`);
        setMtu(pair, mtu);
        // The engine notices MTU changes by polling once a second: let padding catch up.
        assert.ok(await pingEventually(pair.ns1, PEER_V4, ['-M', 'do', '-s', String(mtu - 28)], 5000), pair.logs());
        assert.deepEqual(fullSizePings(pair, mtu), [], pair.logs());
        // Back down to the default: small and full-size packets still pass.
        setMtu(pair, 1420);
        assert.deepEqual(fullSizePings(pair, 1420), [], pair.logs());
        assert.ok(wg('show', pair.ours.ifname, 'transfer').length > 0);
      } finally {
        await pair.destroy();
      }
    });
  }

  // TUN read slots take 64 KiB packets, so the first packet after an MTU
  // increase fits even before the engine's once-a-second MTU poll notices it.
  it('carries a full-size packet sent right after the MTU grows past 1500', async () => {
    const pair = await Pair.create('u');
    started.push(pair.ours.ifname);
    try {
      assert.ok(await pingEventually(pair.ns1, PEER_V4), `no tunnel to start with${pair.logs()}`);
      setMtu(pair, 9000);
      assert.ok(ping(pair.ns1, PEER_V4, ['-M', 'do', '-s', String(9000 - 28)]), 'the first 9000-byte packet was lost');
    } finally {
      await pair.destroy();
    }
  });
});
