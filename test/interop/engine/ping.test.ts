// Ping between wiredesk-tunnel and wireguard-go over every combination of
// inner family, preshared key and outer family (netns.sh `tests()` basics).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Netns } from '../../support/netns.js';
import {
  OUR_V4, OUR_V6, PEER_V4, PEER_V6, Pair, genKeys, ifname, ping, pingEventually, skipReason, startDaemon, stopDaemon, lingering, wg,
  type Daemon,
} from './topology.js';


const skip = skipReason();
const started: string[] = [];

interface Case { psk: boolean; outer: 4 | 6; weStart: boolean }
const cases: Case[] = [
  { psk: true, outer: 4, weStart: true },
  { psk: true, outer: 6, weStart: false },
  { psk: false, outer: 4, weStart: false },
  { psk: false, outer: 6, weStart: true },
];

describe('ping between wiredesk-tunnel and wireguard-go', { skip }, () => {
  after(async () => assert.deepEqual(await lingering(started), [], 'a wiredesk-tunnel outlived its interface'));

  for (const c of cases) {
    const title = `pings both ways over IPv4 and IPv6 inside, ${c.psk ? 'with' : 'without'} a preshared key, `
      + `over outer IPv${c.outer} (${c.outer === 4 ? '127.0.0.1' : '[::1]'}), ${c.weStart ? 'we' : 'wireguard-go'} initiating`;
    it(title, async () => {
      const pair = await Pair.create('p', { psk: c.psk, outer: c.outer });
      started.push(pair.ours.ifname);
      try {
        const [first, firstTarget, second, secondTarget] = c.weStart
          ? [pair.ns1, PEER_V4, pair.ns2, OUR_V4] as const
          : [pair.ns2, OUR_V4, pair.ns1, PEER_V4] as const;
        assert.ok(await pingEventually(first, firstTarget), `first ping (handshake) failed${pair.logs()}`);
        assert.ok(ping(second, secondTarget, ['-i', '0.2'], 3), `IPv4 ping the other way failed${pair.logs()}`);
        assert.ok(ping(pair.ns1, PEER_V6, ['-i', '0.2'], 3), `IPv6 ping from us failed${pair.logs()}`);
        assert.ok(ping(pair.ns2, OUR_V6, ['-i', '0.2'], 3), `IPv6 ping to us failed${pair.logs()}`);
        const host = c.outer === 4 ? '127.0.0.1' : '[::1]';
        assert.equal(pair.ourEndpoints(), `${pair.peerKeys.pub}\t${host}:2`);
        assert.equal(pair.peerEndpoints(), `${pair.ourKeys.pub}\t${host}:1`);
        const psk = wg('show', pair.ours.ifname, 'preshared-keys').trim();
        assert.equal(psk, `${pair.peerKeys.pub}\t${pair.psk ?? '(none)'}`);
      } finally {
        await pair.destroy();
      }
    });
  }

  it('routes each of two wireguard-go peers its own traffic by allowed IPs, replies included', async () => {
    const pair = await Pair.create('m');
    started.push(pair.ours.ifname);
    const ns3 = new Netns('e3');
    let third: Daemon | undefined;
    try {
      const keys = genKeys();
      third = await startDaemon('wireguard-go', pair.ns0, ifname('t'));
      pair.ns0.exec('ip', ['link', 'set', third.ifname, 'netns', ns3.name]);
      ns3.exec('ip', ['addr', 'add', '192.168.241.3/24', 'dev', third.ifname]);
      ns3.exec('ip', ['link', 'set', third.ifname, 'up']);
      wg('set', third.ifname, 'private-key', pair.secrets.file(keys.priv), 'listen-port', '3',
        'peer', pair.ourKeys.pub, 'allowed-ips', `${OUR_V4}/32`, 'endpoint', '127.0.0.1:1');
      wg('set', pair.ours.ifname, 'peer', keys.pub, 'allowed-ips', '192.168.241.3/32');
      assert.ok(await pingEventually(ns3, OUR_V4), `the second peer cannot reach us${pair.logs()}`);
      assert.ok(await pingEventually(pair.ns2, OUR_V4), `the first peer cannot reach us${pair.logs()}`);
      assert.ok(ping(pair.ns1, '192.168.241.3'), 'we cannot reach the second peer');
      assert.ok(ping(pair.ns1, PEER_V4), 'we cannot reach the first peer');
      const endpoints = wg('show', pair.ours.ifname, 'endpoints');
      assert.ok(endpoints.includes(`${keys.pub}\t127.0.0.1:3\n`), endpoints);
      assert.ok(endpoints.includes(`${pair.peerKeys.pub}\t127.0.0.1:2\n`), endpoints);
      // The second peer may not speak for the first one's address.
      wg('set', third.ifname, 'peer', pair.ourKeys.pub, 'allowed-ips', '0.0.0.0/0');
      ns3.exec('ip', ['addr', 'add', `${PEER_V4}/32`, 'dev', third.ifname]);
      assert.equal(ping(ns3, OUR_V4, ['-I', PEER_V4]), false, 'a packet from the wrong peer was answered');
    } finally {
      if (third) await stopDaemon(third, ns3).catch(() => {});
      ns3.destroy();
      await pair.destroy();
    }
  });
});
