// "Exclude the network I'm on" through the real helper: set with up, turned
// off and on over setOptions on the running tunnel (same engine), and
// following a subnet change through the helper's own network watcher.
// AllowedIPs hold half of each LAN subnet, so without the bypass a LAN host is
// routed into the tunnel, where the peer cannot reach it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { EventData } from '../../../shared/control/protocol.js';
import type { HelperClient } from '../../../electron/app-core/helper/control-client.js';
import { Netns, hasCommand, isRoot, vethPair, waitFor } from '../../support/netns.js';
import { HelperFixture, collect } from './fixture.js';

const skip = !isRoot() ? 'needs root' : !hasCommand('wireguard-go') || !hasCommand('nft') ? 'needs wireguard-go and nft' : false;

describe('exclude the network I\'m on, through the helper', { skip }, () => {
  let fx: HelperFixture;
  let lanHost: Netns;
  let app: HelperClient;
  let name: string;
  let lanIf = '';
  let hostIf = '';

  before(async () => {
    fx = new HelperFixture();
    lanHost = new Netns('xl');
    ({ aIf: lanIf, bIf: hostIf } = vethPair(fx.client, '10.77.1.2/24', lanHost, '10.77.1.1/24'));
    fx.addPeer(0);
    await fx.startHelper();
    app = await fx.connect();
    name = fx.tunnelName(0);
  });
  after(() => { lanHost?.destroy(); fx?.destroy(); });

  const ping = (ip: string) => fx.client.status('ping', ['-n', '-c', '1', '-W', '2', ip]);
  const status = async () => (await app.call('status', { name })).tunnels[0]!;
  const rules = () => fx.client.exec('ip', ['-4', 'rule', 'show']);

  it('bypasses the LAN from up, changes in place, follows a new subnet, and down removes it', async () => {
    const states = collect<EventData<'tunnel-state'>>((cb) => app.on('tunnel-state', cb));
    const up = await app.call('up', {
      name, configText: fx.configFor(fx.peers[0]!, { allowedIps: '0.0.0.0/0, 10.77.1.0/25, 198.51.100.0/25' }), options: { excludeLan: true },
    });
    assert.equal(up.excludeLan, true);
    assert.ok(up.lanBypass?.includes('10.77.1.0/24'), `bypassed: ${up.lanBypass?.join(', ')}`);
    await waitFor(() => states.items.some((s) => s.name === name && s.state === 'up'), 15_000, 'up');
    assert.equal(ping('10.77.1.1'), 0, 'the LAN host answers outside the tunnel');
    assert.equal(ping('10.240.0.2'), 0, 'the tunnel works');

    const off = await app.call('setOptions', { name, options: { excludeLan: false } });
    assert.equal(off.excludeLan, undefined);
    assert.doesNotMatch(rules(), /10\.77\.1\.0\/24/);
    assert.notEqual(ping('10.77.1.1'), 0, 'without it the LAN host is sent into the tunnel');
    await app.call('setOptions', { name, options: { excludeLan: true } });
    assert.equal(ping('10.77.1.1'), 0);

    // The LAN changes to a subnet outside the private ranges.
    fx.client.exec('ip', ['addr', 'del', '10.77.1.2/24', 'dev', lanIf]);
    lanHost.exec('ip', ['addr', 'del', '10.77.1.1/24', 'dev', hostIf]);
    lanHost.exec('ip', ['addr', 'add', '198.51.100.1/24', 'dev', hostIf]);
    fx.client.exec('ip', ['addr', 'add', '198.51.100.2/24', 'dev', lanIf]);
    await waitFor(async () => {
      const s = await status();
      return !!s.lanBypass?.includes('198.51.100.0/24') && !s.lanBypass.includes('10.77.1.0/24');
    }, 20_000, 'the helper to follow the new LAN');
    assert.equal(ping('198.51.100.1'), 0, 'the new LAN bypasses the tunnel');
    assert.doesNotMatch(rules(), /10\.77\.1\.0\/24/, 'the old one no longer does');
    const { lines } = await app.call('logs', { name, limit: 500 });
    assert.ok(lines.some((l) => /network changed; the LAN that bypasses the tunnel is now: .*198\.51\.100\.0\/24/.test(l.text)));

    await app.call('down', { name });
    assert.doesNotMatch(rules(), /^5300:/m, 'down removes every bypass rule');
  });
});
