// Handshakes under load against wireguard-go: while a flood of initiations
// (valid mac1, garbage inside) keeps the engine under load, it answers
// wireguard-go's initiation with a cookie reply, and wireguard-go's retry,
// carrying mac2 from that cookie, completes the handshake.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OUR_PORT, OUR_V4, PEER_PORT, Pair, pingEventually, skipReason, lingering, wg } from './topology.js';
import { Capture, flood } from './probes.js';
import { message, withMac1 } from './wire.js';

const skip = skipReason(['tcpdump']);
const started: string[] = [];

describe('handshakes under load against wireguard-go', { skip }, () => {
  after(async () => assert.deepEqual(await lingering(started), [], 'a wiredesk-tunnel outlived its interface'));

  it('sends wireguard-go a cookie reply under load, and accepts its retry with mac2', async () => {
    const pair = await Pair.create('k');
    started.push(pair.ours.ifname);
    try {
      const ourPub = Buffer.from(pair.ourKeys.pub, 'base64');
      const junk = Array.from({ length: 64 }, () => withMac1(message(1, 148), ourPub));
      const capture = await Capture.start(pair.ns0, 'lo', `udp and src port ${OUR_PORT} and dst port ${PEER_PORT}`);
      // From ::1, so the flood's cookie replies stay apart from wireguard-go's on 127.0.0.1.
      const flooding = flood(pair.ns0, '::1', OUR_PORT, junk, 15, 1000);
      let handshook = false;
      try {
        await flooding.cookies; // the engine answers the flood with cookies: it is under load
        handshook = await pingEventually(pair.ns2, OUR_V4, [], 12_000);
      } finally {
        flooding.stop();
      }
      const sentByUs = await capture.stop();
      const { sent, cookies } = await flooding.done;
      assert.ok(handshook, `no handshake under load${pair.logs()}`);
      // Counts, not rates (how many a flood sends before the handshake depends on the machine):
      // the engine was under load (ten cookie replies came back before we pinged, as awaited
      // above) and never answered one initiation with more than one cookie reply.
      assert.ok(cookies >= 10 && cookies <= sent, `the flood sent ${sent} initiations and got ${cookies} cookie replies`);
      const types = sentByUs.map((d) => d.payload[0]);
      assert.ok(types.includes(3), `no cookie reply went to wireguard-go (we sent it types ${types.join(',')})`);
      assert.ok(types.includes(2), 'no handshake response went to wireguard-go');
      assert.ok(types.indexOf(3) < types.indexOf(2), 'the response came before the cookie reply');
      assert.notEqual(wg('show', pair.peer.ifname, 'latest-handshakes').trim().split('\t')[1], '0');
      assert.ok(await pingEventually(pair.ns1, 'fd00::2'), 'the tunnel does not work after the flood');
    } finally {
      await pair.destroy();
    }
  });
});
