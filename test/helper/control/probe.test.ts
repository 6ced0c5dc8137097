// The helper's handshake-only probe: it says whether a config's peers answer
// right now without routing anything, leaves nothing behind, and its UDP
// bypasses a running full tunnel's policy routing (the failover case: the
// backup holds 0.0.0.0/0 while the primary is probed).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HelperClient } from '../../../electron/app-core/helper/control-client.js';
import { hasCommand, isRoot, waitFor } from '../../support/netns.js';
import { HelperFixture, PEER_V4 } from './fixture.js';

const skip = !isRoot() ? 'needs root' : !hasCommand('wireguard-go') ? 'needs wireguard-go' : !hasCommand('nft') ? 'needs nft' : false;

describe('probe', { skip }, () => {
  let fx: HelperFixture;
  let app: HelperClient;
  const nft = (ruleset: string) => fx.peer.exec('nft', ['-f', '-'], { input: ruleset });

  before(async () => {
    fx = new HelperFixture();
    fx.addPeer(1);
    fx.addPeer(2);
    await fx.startHelper();
    app = await fx.connect();
  });
  after(() => fx?.destroy());

  it('says a reachable peer answers, a blocked one does not (and why), with no address or route while it runs, and leaves nothing behind', async () => {
    const [p1] = fx.peers;
    const name = fx.tunnelName(1);
    const ok = await app.call('probe', { name, configText: fx.configFor(p1!) });
    assert.equal(ok.healthy, true);
    assert.equal(ok.reason, null);
    assert.ok(ok.handshakeMs !== null && ok.handshakeMs >= 0);
    nft(`table inet wdpr {\n  chain input {\n    type filter hook input priority -10; policy accept;\n    udp dport ${p1!.port} drop\n  }\n}\n`);
    try {
      const probing = app.call('probe', { name, configText: fx.configFor(p1!), timeoutMs: 3000 });
      // While it runs: an interface with no address and no route, so nothing can be routed into it.
      let ifname = '';
      await waitFor(() => (ifname = /\d+: (wdpb\w+)/.exec(fx.client.exec('ip', ['-o', 'link', 'show']))?.[1] ?? '') !== '', 5_000, 'the probe interface');
      assert.doesNotMatch(fx.client.exec('ip', ['-o', 'addr', 'show', 'dev', ifname]), /inet/, 'no IPv4 or IPv6 address');
      assert.equal(fx.client.exec('ip', ['route', 'show', 'table', 'all', 'dev', ifname]).trim(), '', 'no route');
      const blocked = await probing;
      assert.equal(blocked.healthy, false);
      assert.equal(blocked.reason, 'No handshake completed with 1 of 1 peer within 3 s.');
    } finally {
      fx.peer.exec('nft', ['delete', 'table', 'inet', 'wdpr']);
    }
    assert.doesNotMatch(fx.client.exec('ip', ['-o', 'link', 'show']), /wdpb/, 'the probe interface is gone');
    const status = await app.call('listTunnels', {});
    assert.deepEqual(status.tunnels, [], 'a probe is not a tunnel');
    await assert.rejects(app.call('probe', { name, configText: 'not a config' }), /has errors/);
  });

  it('reaches the probed peer by the underlay while a full tunnel holds the default route', async () => {
    const [p1, p2] = fx.peers;
    const full = fx.tunnelName(2);
    // The primary's endpoint is beyond the default gateway, as on the internet: a directly connected
    // one would be reached by main's own route (wg-quick's suppress_prefixlength 0 rule) mark or not.
    fx.peer.exec('ip', ['addr', 'add', '172.31.250.2/32', 'dev', fx.peerVeth]);
    fx.client.exec('ip', ['route', 'add', 'default', 'via', PEER_V4]);
    await app.call('up', { name: full, configText: fx.configFor(p2!, { allowedIps: '0.0.0.0/0' }) });
    await waitFor(async () => (await app.call('status', { name: full })).tunnels[0]!.state === 'up', 20_000, 'the full tunnel');
    // UDP to the primary that arrives through the full tunnel (from its address) is dropped: only the underlay works.
    nft(`table inet wdpr2 {\n  chain input {\n    type filter hook input priority -10; policy accept;\n    ip saddr 10.240.0.0/16 udp dport ${p1!.port} drop\n  }\n}\n`);
    try {
      const r = await app.call('probe', { name: fx.tunnelName(1), configText: fx.configFor(p1!, { endpoint: `172.31.250.2:${p1!.port}` }), timeoutMs: 3000 });
      assert.equal(r.healthy, true, r.reason ?? '');
      assert.equal(fx.client.status('ping', ['-c', '1', '-W', '2', '10.240.2.2']), 0, 'the full tunnel still carries traffic');
    } finally {
      fx.peer.exec('nft', ['delete', 'table', 'inet', 'wdpr2']);
      await app.call('down', { name: full });
    }
  });
});
