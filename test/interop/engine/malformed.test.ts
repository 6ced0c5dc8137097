// Thousands of malformed datagrams sent to the engine's port must leave it
// working: nothing in them is authenticated, so nothing is delivered, counted
// or roamed to, and the tunnel to wireguard-go keeps going, handshakes included.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { OUR_PORT, OUR_V4, OUR_V6, PEER_PORT, PEER_V4, Pair, ping, pingEventually, skipReason, sleep, lingering, transfer, tunRxPackets, wg } from './topology.js';
import { Capture, sendDatagrams } from './probes.js';
import { LOW_ORDER_POINTS, message, withMac1 } from './wire.js';

const skip = skipReason(['tcpdump']);
const started: string[] = [];

/** Every kind of junk, about 6000 datagrams. `real` are genuine transport messages to mutate. */
function junk(ourPub: Buffer, real: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < 1000; i++) out.push(randomBytes(randomInt(0, 1500)));
  for (let type = 0; type <= 255; type++) {
    for (const len of [0, 1, 4, 31, 32, 64, 92, 148, randomInt(0, 200), randomInt(0, 1500)]) out.push(message(type, len));
  }
  for (const [type, size] of [[1, 148], [2, 92], [3, 64]] as const) {
    for (let len = 0; len < size; len += 3) out.push(message(type, len)); // truncated
    out.push(message(type, size + 1), message(type, size + 16));
    for (let i = 0; i < 150; i++) out.push(message(type, size)); // exact size, bad mac1 (or unknown cookie index)
  }
  for (let i = 0; i < 200; i++) out.push(withMac1(message(1, 148), ourPub)); // valid mac1, garbage Noise
  for (const point of LOW_ORDER_POINTS) {
    const init = message(1, 148);
    Buffer.from(point, 'base64').copy(init, 8); // a low-order ephemeral
    out.push(withMac1(init, ourPub));
  }
  for (let i = 0; i < 200; i++) out.push(withMac1(message(2, 92), ourPub)); // response to no initiation
  for (let i = 0; i < 1000; i++) out.push(message(4, randomInt(32, 1500))); // unknown receiver index
  for (const msg of real) {
    for (let i = 0; i < 20; i++) {
      const bad = Buffer.from(msg);
      const at = randomInt(8, bad.length); // counter, ciphertext or tag
      bad[at] = bad[at]! ^ (1 + randomInt(255));
      out.push(bad);
    }
    out.push(msg.subarray(0, msg.length - 1), msg.subarray(0, 32), Buffer.concat([msg, Buffer.alloc(16)]), msg);
  }
  return out.sort(() => Math.random() - 0.5);
}

describe('malformed datagrams against the engine', { skip }, () => {
  after(async () => assert.deepEqual(await lingering(started), [], 'a wiredesk-tunnel outlived its interface'));

  it('leaves the engine alive and the tunnel working after thousands of malformed datagrams', async () => {
    const pair = await Pair.create('m');
    started.push(pair.ours.ifname);
    try {
      const capture = await Capture.start(pair.ns0, 'lo', `udp and src port ${PEER_PORT} and dst port ${OUR_PORT}`);
      assert.ok(await pingEventually(pair.ns2, OUR_V4), `no tunnel to start with${pair.logs()}`);
      assert.ok(ping(pair.ns2, OUR_V6, ['-i', '0.2'], 3));
      const real = (await capture.stop()).map((c) => c.payload).filter((p) => p[0] === 4 && p.length > 32);
      assert.ok(real.length >= 3, 'no genuine transport messages captured');
      // Our side sends last, so wireguard-go owes us nothing (no keepalive) during the flood.
      assert.ok(ping(pair.ns1, PEER_V4));
      await sleep(200);

      const ourPub = Buffer.from(pair.ourKeys.pub, 'base64');
      const [rx0, tx0] = transfer(pair.ours.ifname);
      const tun0 = tunRxPackets(pair.ns1, pair.ours.ifname);
      const batch = junk(ourPub, real);
      assert.ok(batch.length > 5000);
      const sent = sendDatagrams(pair.ns0, '127.0.0.1', OUR_PORT, batch) + sendDatagrams(pair.ns0, '::1', OUR_PORT, junk(ourPub, real));
      assert.ok(sent > 10_000, `only ${sent} datagrams left the sender`);
      await sleep(300);

      assert.ok(pair.ours.alive, `the engine died${pair.logs()}`);
      assert.equal(transfer(pair.ours.ifname)[0], rx0, 'junk was counted as received');
      assert.equal(tunRxPackets(pair.ns1, pair.ours.ifname), tun0, 'junk reached our TUN interface');
      assert.equal(wg('show', pair.ours.ifname, 'endpoints').trim(), `${pair.peerKeys.pub}\t127.0.0.1:${PEER_PORT}`,
        'junk moved the endpoint');
      assert.ok(transfer(pair.ours.ifname)[1] >= tx0);
      assert.ok(ping(pair.ns1, PEER_V4), `ping from us after the junk failed${pair.logs()}`);
      assert.ok(ping(pair.ns2, OUR_V6), `ping to us after the junk failed${pair.logs()}`);

      // A fresh handshake still completes: wireguard-go forgets us and starts over.
      await sleep(1100); // the under-load state the junk may have caused lasts a second
      wg('set', pair.peer.ifname, 'peer', pair.ourKeys.pub, 'remove');
      wg('set', pair.peer.ifname, 'peer', pair.ourKeys.pub, 'preshared-key', pair.secrets.file(pair.psk!),
        'allowed-ips', `${OUR_V4}/32,${OUR_V6}/128`, 'endpoint', `127.0.0.1:${OUR_PORT}`);
      assert.ok(await pingEventually(pair.ns2, OUR_V4, [], 12_000), `no new handshake after the junk${pair.logs()}`);
      assert.notEqual(wg('show', pair.peer.ifname, 'latest-handshakes').trim().split('\t')[1], '0');
      assert.ok(pair.ours.alive);
    } finally {
      await pair.destroy();
    }
  });
});
