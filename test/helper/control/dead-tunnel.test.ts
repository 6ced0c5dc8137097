// A tunnel whose peer stops answering while traffic waits is reconnected
// (re-bound and re-handshaken; re-resolved too when the endpoint is a name),
// the app is told what was tried, and the tunnel comes back when the peer
// answers again. The dead time is configured short here through the `up`
// option the app sends; no stopwatch on our side.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { HelperClient } from '../../../electron/app-core/helper/control-client.js';
import type { EventData } from '../../../shared/control/protocol.js';
import { hasCommand, isRoot, waitFor } from '../../support/netns.js';
import { HelperFixture, collect } from './fixture.js';

const skip = !isRoot() ? 'needs root' : !hasCommand('wireguard-go') ? 'needs wireguard-go' : !hasCommand('nft') ? 'needs nft' : false;

describe('dead-tunnel detection', { skip }, () => {
  let fx: HelperFixture;
  let app: HelperClient;

  before(async () => {
    fx = new HelperFixture();
    fx.addPeer(1);
    await fx.startHelper();
    app = await fx.connect();
  });
  after(() => fx?.destroy());

  it('reconnects a tunnel with traffic waiting and no handshake, says what it tried, and comes back', async () => {
    const p = fx.peers[0]!;
    const name = fx.tunnelName(1);
    const states = collect<EventData<'tunnel-state'>>((cb) => app.on('tunnel-state', cb));
    await app.call('up', { name, configText: fx.configFor(p), options: { deadAfterSeconds: 5 } });
    await waitFor(() => states.items.some((s) => s.name === name && s.state === 'up'), 15_000, 'the tunnel to be up');

    // The peer's network drops everything for its WireGuard port; traffic keeps waiting.
    fx.peer.exec('nft', ['-f', '-'], {
      input: `table inet wdblock {\n  chain input {\n    type filter hook input priority -10; policy accept;\n    udp dport ${p.port} drop\n  }\n}\n`,
    });
    const pinger = fx.client.spawn('ping', ['-i', '0.5', '-W', '1', `10.240.${p.index}.2`]);
    try {
      await waitFor(() => states.items.some((s) => s.name === name && s.state === 'reconnecting'), 40_000, 'a reconnect');
      const reconnecting = states.items.find((s) => s.name === name && s.state === 'reconnecting')!;
      assert.equal(reconnecting.diagnosis?.code, 'dead-tunnel');
      assert.deepEqual(reconnecting.diagnosis?.tried, ['re-bound', 're-handshaken'], 'an address endpoint has no name to look up');
      assert.ok((reconnecting.diagnosis?.deadSeconds ?? 0) >= 5, `dead for ${reconnecting.diagnosis?.deadSeconds} s, at least the configured 5`);
      assert.match(reconnecting.reason ?? '', /no handshake completed for \d+ seconds\. Reconnecting: re-opened the UDP socket, started a new handshake\./);
      const logs = await app.call('logs', { name, limit: 500 });
      assert.ok(logs.lines.some((l) => /Reconnecting: re-opened the UDP socket, started a new handshake/.test(l.text)), 'the log says what was tried');

      const mark = states.items.length;
      fx.peer.exec('nft', ['delete', 'table', 'inet', 'wdblock']);
      await waitFor(() => states.items.slice(mark).some((s) => s.name === name && s.state === 'up'), 60_000, 'the tunnel to come back');
      assert.equal(fx.client.status('ping', ['-c', '1', '-W', '3', `10.240.${p.index}.2`]), 0, 'traffic flows again');
      const status = (await app.call('status', { name })).tunnels[0]!;
      assert.equal(status.state, 'up');
      assert.equal(status.diagnosis, null);
    } finally {
      pinger.kill('SIGKILL');
    }
    await app.call('down', { name });
    states.stop();
  });

  it('takes a new dead time in place, with no reconnect', async () => {
    const p = fx.peers[0]!;
    const name = fx.tunnelName(2);
    const states = collect<EventData<'tunnel-state'>>((cb) => app.on('tunnel-state', cb));
    await app.call('up', { name, configText: fx.configFor(p) });
    await waitFor(() => states.items.some((s) => s.name === name && s.state === 'up'), 15_000, 'the tunnel to be up');
    const mark = states.items.length;
    await app.call('setOptions', { name, options: { deadAfterSeconds: 7 } });
    const status = (await app.call('status', { name })).tunnels[0]!;
    assert.equal(status.state, 'up');
    assert.deepEqual(states.items.slice(mark).filter((s) => s.name === name), [], 'no state change: the tunnel was not reconnected');
    await app.call('down', { name });
    states.stop();
  });
});
