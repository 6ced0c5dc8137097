// A peer whose Endpoint is a host name moves to a new address and its DNS
// record follows (dnsmasq serves the name inside the test's namespaces). The
// helper looks the name up again when nothing comes back, moves the peer over
// UAPI without dropping the tunnel, tells the app "resolved to a new
// address", and traffic flows again.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { HelperClient } from '../../../electron/app-core/helper/control-client.js';
import type { EventData } from '../../../shared/control/protocol.js';
import { hasCommand, isRoot, waitFor } from '../../support/netns.js';
import { HelperFixture, PEER_V4, collect } from './fixture.js';
import { DdnsScenario, HOST, MOVED_V4 } from './ddns-scenario.js';

const skip = !isRoot() ? 'needs root' : !hasCommand('wireguard-go') ? 'needs wireguard-go' : !hasCommand('dnsmasq') ? 'needs dnsmasq' : false;

describe('dynamic-DNS endpoints', { skip }, () => {
  let fx: HelperFixture;
  let app: HelperClient;
  let ddns: DdnsScenario;

  before(async () => {
    fx = new HelperFixture();
    ddns = new DdnsScenario(fx);
    await ddns.ready();
    fx.addPeer(1);
    await fx.startHelper();
    app = await fx.connect();
  });
  after(() => fx?.destroy());

  it('moves the peer to the address its name now has, and traffic flows again', async (t) => {
    const p = fx.peers[0]!;
    const name = fx.tunnelName(1);
    const states = collect<EventData<'tunnel-state'>>((cb) => app.on('tunnel-state', cb));
    const roams = collect<EventData<'roaming'>>((cb) => app.on('roaming', cb));
    await app.call('up', { name, configText: fx.configFor(p, { endpoint: `${HOST}:${p.port}` }) });
    await waitFor(() => states.items.some((s) => s.name === name && s.state === 'up'), 15_000, 'the tunnel to be up');
    assert.equal((await app.call('status', { name })).tunnels[0]!.peers[0]!.endpoint, `${PEER_V4}:${p.port}`);

    // The server moves to a new address, and its dynamic-DNS record follows.
    const pinger = fx.client.spawn('ping', ['-i', '0.2', '-W', '1', `10.240.${p.index}.2`]);
    const changedAt = Date.now();
    await ddns.move();

    await waitFor(() => roams.items.some((r) => r.reason === 'resolved'), 30_000, 'a "resolved to a new address" roaming event');
    let flowingAt = 0;
    await waitFor(() => {
      if (fx.client.status('ping', ['-c', '1', '-W', '1', `10.240.${p.index}.2`], 5_000) !== 0) return false;
      flowingAt = Date.now();
      return true;
    }, 30_000, 'traffic through the tunnel again');
    pinger.kill('SIGKILL');

    const moved = roams.items.filter((r) => r.name === name);
    assert.equal(moved.length, 1, `one move, reported once: ${JSON.stringify(moved)}`);
    assert.deepEqual({ reason: moved[0]!.reason, host: moved[0]!.host, from: moved[0]!.from, to: moved[0]!.to },
      { reason: 'resolved', host: HOST, from: `${PEER_V4}:${p.port}`, to: `${MOVED_V4}:${p.port}` });
    // The next once-a-second poll shows it (the ping may answer first).
    await waitFor(async () => (await app.call('status', { name })).tunnels[0]!.peers[0]!.endpoint === `${MOVED_V4}:${p.port}`,
      5_000, 'the engine to send to the new address');
    const status = (await app.call('status', { name })).tunnels[0]!;
    assert.notEqual(status.state, 'down', 'the tunnel was never dropped');
    assert.ok(!states.items.some((s) => s.name === name && (s.state === 'down' || s.state === 'error')), 'no down or error on the way');
    const logs = await app.call('logs', { name, limit: 500 });
    assert.ok(logs.lines.some((l) => new RegExp(`${HOST.replace(/\./g, '\\.')} resolved to a new address \\(no reply\\): moved peer .* to ${MOVED_V4}:${p.port}`).test(l.text)),
      'the log says what moved and why');
    // A figure, not an assertion: nothing else re-resolves, so there is no reference to compare with.
    t.diagnostic(`DDNS recovery: traffic flowed again ${flowingAt - changedAt} ms after the record changed (no reference client re-resolves endpoints)`);
    await app.call('down', { name });
    states.stop();
    roams.stop();
  });
});
