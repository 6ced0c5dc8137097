// Junk at the listen port must not put the engine under load. Only handshake
// messages of their exact size with a valid mac1 count toward the load that
// turns cookie replies on (wg-go checks mac1 before it asks whether it is
// under load); datagrams that merely start with 0x01 cost a byte compare, or
// one BLAKE2s for the initiation-sized ones, and must not make wireguard-go's
// real initiation wait for a cookie round trip.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  OUR_PORT, OUR_V4, PEER_PORT, Pair, attempt, lingering, pingEventually, skipReason, sleep, wg,
} from './topology.js';
import { Capture, flood } from './probes.js';
import { message } from './wire.js';
import { UNDER_LOAD_QUEUE_DEPTH } from '../../../tunnel-helper/src/engine/core/constants.js';

const skip = skipReason(['tcpdump']);
const started: string[] = [];

/** Echo replies that came back out of `count` pings (`-W` bounds each wait). */
function pingsAnswered(pair: Pair, count: number): number {
  const r = attempt(pair.ns2, 'ping', ['-c', String(count), '-i', '0.2', '-W', '2', OUR_V4], 30_000);
  return Number(/(\d+) received/.exec(r.stdout)?.[1] ?? 0);
}

describe('junk datagrams do not push the engine into cookie mode', { skip }, () => {
  after(async () => assert.deepEqual(await lingering(started), [], 'a wiredesk-tunnel outlived its interface'));

  it('wireguard-go handshakes without a cookie reply while one-byte and bad-mac1 junk floods the port', async () => {
    const pair = await Pair.create('j');
    started.push(pair.ours.ifname);
    try {
      // Mostly the one-byte 0x01 datagram; some initiation- and response-sized
      // messages with the right type and garbage where mac1 goes.
      const junk: Buffer[] = [];
      for (let i = 0; i < 64; i++) {
        junk.push(i % 8 === 3 ? message(1, 148) : i % 16 === 7 ? message(2, 92) : Buffer.of(1));
      }
      const capture = await Capture.start(pair.ns0, 'lo', `udp and port ${OUR_PORT}`);
      // From a spare port on the same address as wireguard-go's endpoint.
      const flooding = flood(pair.ns0, '127.0.0.1', OUR_PORT, junk, 60, 400);
      flooding.cookies.catch(() => {}); // junk earns no cookies; `done` reports what came back
      let handshook = false;
      let answered = 0;
      try {
        await sleep(1500); // let the junk arrive well past the under-load threshold first
        handshook = await pingEventually(pair.ns2, OUR_V4, [], 15_000);
        answered = pingsAnswered(pair, 5);
      } finally {
        flooding.stop();
      }
      const { sent, cookies: cookiesToFlood } = await flooding.done;
      const seen = await capture.stop();

      const isJunk = (d: (typeof seen)[number]) => d.dstPort === OUR_PORT && d.srcPort !== PEER_PORT;
      const fromUs = seen.filter((d) => d.srcPort === OUR_PORT);
      const types = fromUs.map((d) => d.payload[0]);
      const firstResponse = seen.findIndex((d) => d.srcPort === OUR_PORT && d.dstPort === PEER_PORT && d.payload[0] === 2);
      const junkBefore = seen.slice(0, Math.max(0, firstResponse)).filter(isJunk).length;
      const junkAfter = seen.slice(firstResponse + 1).filter(isJunk).length;

      assert.ok(handshook, `no ping got through the tunnel during the flood${pair.logs()}`);
      assert.equal(types.filter((t) => t === 3).length, 0,
        `the engine sent ${types.filter((t) => t === 3).length} cookie replies (types it sent: ${[...new Set(types)].join(',')})`);
      assert.equal(cookiesToFlood, 0, 'the junk itself earned cookie replies');
      assert.ok(firstResponse >= 0, 'no handshake response went to wireguard-go');
      // The handshake happened in the middle of the flood, not before or after it.
      assert.ok(junkBefore >= 2 * UNDER_LOAD_QUEUE_DEPTH,
        `only ${junkBefore} junk datagrams reached the engine before its handshake response (flood sent ${sent})`);
      assert.ok(junkAfter > 0, 'the flood had stopped before the handshake');
      assert.equal(answered, 5, `${answered} of 5 pings came back during the flood`);
      assert.notEqual(wg('show', pair.ours.ifname, 'latest-handshakes').trim().split('\t')[1], '0');
    } finally {
      await pair.destroy();
    }
  });
});
