// A transport packet captured on the wire and sent again must not be
// delivered a second time (the replay window, checked after decryption), and
// must not move the peer's endpoint.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OUR_PORT, OUR_V4, PEER_PORT, PEER_V4, Pair, ping, pingEventually, skipReason, sleep, lingering, transfer, tunRxPackets, wg } from './topology.js';
import { Capture, sendDatagrams, type CapturedDatagram } from './probes.js';

const skip = skipReason(['tcpdump', 'nft']);
const started: string[] = [];

/** Transport messages carrying data (type 4, longer than a keepalive), without duplicates. */
function dataMessages(captured: CapturedDatagram[]): Buffer[] {
  const seen = new Set<string>();
  return captured.map((c) => c.payload).filter((p) => {
    const hex = p.toString('hex');
    if (p[0] !== 4 || p.length <= 32 || seen.has(hex)) return false;
    seen.add(hex);
    return true;
  });
}

/** How many packets our engine writes to its TUN within `ms` after `fn`. */
async function deliveredBy(pair: Pair, fn: () => void, ms = 500): Promise<number> {
  const before = tunRxPackets(pair.ns1, pair.ours.ifname);
  fn();
  await sleep(ms);
  return tunRxPackets(pair.ns1, pair.ours.ifname) - before;
}

describe('replayed transport packets against the engine', { skip }, () => {
  after(async () => assert.deepEqual(await lingering(started), [], 'a wiredesk-tunnel outlived its interface'));

  it('drops a captured transport packet sent again, after its first delivery', async () => {
    const pair = await Pair.create('y');
    started.push(pair.ours.ifname);
    try {
      assert.ok(await pingEventually(pair.ns2, OUR_V4), `no tunnel to start with${pair.logs()}`);
      const capture = await Capture.start(pair.ns0, 'lo', `udp and src port ${PEER_PORT} and dst port ${OUR_PORT}`);
      assert.ok(ping(pair.ns2, OUR_V4, ['-i', '0.2'], 3), 'pings to capture failed');
      const messages = dataMessages(await capture.stop());
      assert.equal(messages.length, 3, 'expected the three echo requests on the wire');

      const [rx0] = transfer(pair.ours.ifname);
      const replays = await deliveredBy(pair, () => {
        for (let i = 0; i < 3; i++) sendDatagrams(pair.ns0, '127.0.0.1', OUR_PORT, messages);
      });
      assert.equal(replays, 0, 'a replayed echo request reached our TUN interface');
      assert.equal(transfer(pair.ours.ifname)[0], rx0, 'a replayed packet was counted as received');
      assert.equal(wg('show', pair.ours.ifname, 'endpoints').trim(), `${pair.peerKeys.pub}\t127.0.0.1:${PEER_PORT}`,
        'a replayed packet moved the endpoint');
      assert.ok(ping(pair.ns1, PEER_V4), `the tunnel broke after the replays${pair.logs()}`);
    } finally {
      await pair.destroy();
    }
  });

  it('accepts a withheld transport packet once, then drops every copy of it', async () => {
    const pair = await Pair.create('w');
    started.push(pair.ours.ifname);
    try {
      assert.ok(await pingEventually(pair.ns2, OUR_V4), `no tunnel to start with${pair.logs()}`);
      // Capture one echo request on lo while ns0's input hook keeps it from us.
      pair.ns0.exec('nft', ['-f', '-'], {
        input: `table inet wdreplay {\n chain in {\n  type filter hook input priority 0;\n  udp sport ${PEER_PORT} udp dport ${OUR_PORT} drop\n }\n}\n`,
      });
      const capture = await Capture.start(pair.ns0, 'lo', `udp and src port ${PEER_PORT} and dst port ${OUR_PORT}`);
      assert.equal(ping(pair.ns2, OUR_V4), false, 'the withheld echo request got an answer');
      const messages = dataMessages(await capture.stop());
      assert.equal(messages.length, 1, 'expected the one withheld echo request');
      pair.ns0.exec('nft', ['delete', 'table', 'inet', 'wdreplay']);

      const [rx0] = transfer(pair.ours.ifname);
      const first = await deliveredBy(pair, () => sendDatagrams(pair.ns0, '127.0.0.1', OUR_PORT, messages));
      assert.equal(first, 1, 'the withheld packet was not delivered on its first arrival');
      const [rx1] = transfer(pair.ours.ifname);
      assert.equal(rx1 - rx0, messages[0]!.length, 'rx counts the packet once');
      // It was authenticated, so the endpoint followed it to the sender's port.
      const roamed = wg('show', pair.ours.ifname, 'endpoints').trim().split('\t')[1];
      assert.notEqual(roamed, `127.0.0.1:${PEER_PORT}`);

      const again = await deliveredBy(pair, () => {
        for (let i = 0; i < 3; i++) sendDatagrams(pair.ns0, '127.0.0.1', OUR_PORT, messages);
      });
      assert.equal(again, 0, 'a copy of an already delivered packet reached our TUN interface');
      assert.equal(transfer(pair.ours.ifname)[0], rx1);
      assert.equal(wg('show', pair.ours.ifname, 'endpoints').trim().split('\t')[1], roamed, 'a replay moved the endpoint');

      // wireguard-go's next packet brings the endpoint back, and the tunnel works.
      assert.ok(ping(pair.ns2, OUR_V4), `ping after the replays failed${pair.logs()}`);
      assert.equal(wg('show', pair.ours.ifname, 'endpoints').trim(), `${pair.peerKeys.pub}\t127.0.0.1:${PEER_PORT}`);
    } finally {
      await pair.destroy();
    }
  });
});
