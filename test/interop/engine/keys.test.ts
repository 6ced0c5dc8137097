// Key changes against wireguard-go: a private key change followed at once by
// a ping (netns.sh check 8), and the seven low-order public keys that must
// never get a handshake (check 19).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Netns } from '../../support/netns.js';
import {
  OUR_V4, OUR_V6, PEER_V4, Pair, Secrets, genKeys, ifname, ping, pingEventually, skipReason, startDaemon, stopDaemon,
  lingering, wg,
} from './topology.js';
import { listenUdp } from './probes.js';
import { LOW_ORDER_POINTS } from './wire.js';

const skip = skipReason();
const started: string[] = [];

describe('key changes between wiredesk-tunnel and wireguard-go', { skip }, () => {
  after(async () => assert.deepEqual(await lingering(started), [], 'a wiredesk-tunnel outlived its interface'));

  it('handshakes with a new private key on the very next ping (netns.sh check 8)', async () => {
    const pair = await Pair.create('k');
    started.push(pair.ours.ifname);
    try {
      assert.ok(await pingEventually(pair.ns1, PEER_V4), `no tunnel to start with${pair.logs()}`);
      const psk = ['preshared-key', pair.secrets.file(pair.psk!)];

      // We change our key; wireguard-go swaps the peer. One ping, no retry.
      const ours2 = genKeys();
      wg('set', pair.ours.ifname, 'private-key', pair.secrets.file(ours2.priv));
      wg('set', pair.peer.ifname, 'peer', ours2.pub, ...psk, 'allowed-ips', `${OUR_V4}/32,${OUR_V6}/128`,
        'endpoint', '127.0.0.1:1', 'peer', pair.ourKeys.pub, 'remove');
      assert.ok(ping(pair.ns1, PEER_V4), `ping right after our key change failed${pair.logs()}`);
      assert.equal(wg('show', pair.ours.ifname, 'public-key').trim(), ours2.pub);

      // Again, with wireguard-go sending first under our next key.
      const ours3 = genKeys();
      wg('set', pair.ours.ifname, 'private-key', pair.secrets.file(ours3.priv));
      wg('set', pair.peer.ifname, 'peer', ours3.pub, ...psk, 'allowed-ips', `${OUR_V4}/32,${OUR_V6}/128`,
        'endpoint', '127.0.0.1:1', 'peer', ours2.pub, 'remove');
      assert.ok(ping(pair.ns2, OUR_V4), `ping from wireguard-go right after our key change failed${pair.logs()}`);

      // wireguard-go changes its key; we swap the peer and ping at once.
      const peer2 = genKeys();
      wg('set', pair.peer.ifname, 'private-key', pair.secrets.file(peer2.priv));
      wg('set', pair.ours.ifname, 'peer', peer2.pub, ...psk, 'allowed-ips', `${PEER_V4}/32`, 'endpoint', '127.0.0.1:2',
        'peer', pair.peerKeys.pub, 'remove');
      assert.ok(ping(pair.ns1, PEER_V4), `ping right after the peer's key change failed${pair.logs()}`);
      assert.equal(wg('show', pair.ours.ifname, 'peers').trim(), peer2.pub);
    } finally {
      await pair.destroy();
    }
  });

  for (const order of ['private key first', 'peers first'] as const) {
    it(`sends nothing to the seven low-order peer keys with persistent keepalive 1 (netns.sh check 19, ${order})`, async () => {
      const ns = new Netns('el');
      const secrets = new Secrets();
      const name = ifname('l');
      started.push(name);
      const d = await startDaemon('wiredesk', ns, name);
      try {
        ns.exec('ip', ['link', 'set', name, 'up']);
        const heard = await listenUdp(ns, '127.0.0.1', 1111, 2500);
        const control = await listenUdp(ns, '127.0.0.1', 1112, 2500);
        const keyArgs = ['private-key', secrets.file(genKeys().priv)];
        if (order === 'private key first') wg('set', name, ...keyArgs);
        for (const point of LOW_ORDER_POINTS) {
          wg('set', name, 'peer', point, 'persistent-keepalive', '1', 'endpoint', '127.0.0.1:1111');
        }
        if (order === 'peers first') wg('set', name, ...keyArgs);
        // A control peer with an ordinary key proves the listener hears initiations.
        wg('set', name, 'peer', genKeys().pub, 'persistent-keepalive', '1', 'endpoint', '127.0.0.1:1112');
        assert.equal(wg('show', name, 'peers').trim().split('\n').length, 8);
        const got = await heard.result;
        const ctl = await control.result;
        assert.equal(got.count, 0, `low-order peers got ${got.count} datagrams (${got.sizes.join(',')})\n${d.output}`);
        assert.ok(ctl.count >= 1 && ctl.sizes[0] === 148, `the control peer's initiation never arrived: ${JSON.stringify(ctl)}`);
        assert.ok(d.alive, 'the engine died');
      } finally {
        await stopDaemon(d, ns);
        ns.destroy();
        secrets.cleanup();
      }
    });
  }
});
