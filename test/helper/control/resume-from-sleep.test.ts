// After the computer wakes up, the helper does not trust the old session:
// logind's PrepareForSleep(false), heard over a real system bus (a private
// dbus-daemon with python3-dbusmock's logind), makes it hand-shake again at
// once, and the app sees "reconnecting" until the new handshake completes.
import { execFileSync } from 'node:child_process';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { HelperClient } from '../../../electron/app-core/helper/control-client.js';
import type { EventData } from '../../../shared/control/protocol.js';
import { hasCommand, isRoot, waitFor } from '../../support/netns.js';
import { HelperFixture, collect } from './fixture.js';
import { TestSystemBus } from './system-bus.js';

function hasDbusmock(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import dbusmock'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const skip = !isRoot() ? 'needs root' : !hasCommand('wireguard-go') ? 'needs wireguard-go'
  : !hasCommand('dbus-daemon') ? 'needs dbus-daemon' : !hasDbusmock() ? 'needs python3-dbusmock' : false;

/** The peer's latest handshake with the client, in seconds, as wg(8) shows it. */
function peerHandshake(fx: HelperFixture, ifname: string): number {
  const line = fx.peer.exec('wg', ['show', ifname, 'latest-handshakes']).trim();
  return Number(line.split(/\s+/)[1] ?? 0);
}

describe('resume from sleep, heard from logind', { skip }, () => {
  let fx: HelperFixture;
  let bus: TestSystemBus;
  let app: HelperClient;
  const savedAddress = process.env.DBUS_SYSTEM_BUS_ADDRESS;

  before(async () => {
    bus = new TestSystemBus();
    await bus.start();
    await bus.startLogind();
    process.env.DBUS_SYSTEM_BUS_ADDRESS = bus.address; // the helper inherits it
    fx = new HelperFixture();
    fx.addPeer(1);
    await fx.startHelper();
    app = await fx.connect();
  });
  after(() => {
    if (savedAddress === undefined) delete process.env.DBUS_SYSTEM_BUS_ADDRESS;
    else process.env.DBUS_SYSTEM_BUS_ADDRESS = savedAddress;
    fx?.destroy();
    bus?.destroy();
  });

  it('re-handshakes at once on PrepareForSleep(false) and reports reconnecting, then up', async () => {
    const p = fx.peers[0]!;
    const name = fx.tunnelName(1);
    const states = collect<EventData<'tunnel-state'>>((cb) => app.on('tunnel-state', cb));
    const handshakes = collect<EventData<'handshake'>>((cb) => app.on('handshake', cb));
    await app.call('up', { name, configText: fx.configFor(p) });
    await waitFor(() => states.items.some((s) => s.name === name && s.state === 'up'), 15_000, 'the tunnel to be up');
    await waitFor(async () => (await app.call('logs', { limit: 500 })).lines.some((l) => /Listening for logind's PrepareForSleep/.test(l.text)),
      10_000, 'the helper to listen to logind');
    const before = peerHandshake(fx, p.ifname);
    assert.ok(before > 0, 'the peer saw a handshake');
    // wg(8) shows whole seconds: let one pass, so a new handshake shows as a later one.
    await waitFor(() => Math.floor(Date.now() / 1000) > before, 3_000, 'the next second');
    const completedBefore = handshakes.items.filter((h) => h.kind === 'completed').length;
    const stateCount = states.items.length;

    await bus.prepareForSleep(true);
    await bus.prepareForSleep(false);

    await waitFor(() => states.items.slice(stateCount).some((s) => s.state === 'up'), 20_000, 'up again after the resume');
    const after = states.items.slice(stateCount).filter((s) => s.name === name);
    assert.deepEqual(after.map((s) => s.state), ['reconnecting', 'up'], 'reconnecting first, never up with the old keys');
    const reconnecting = after[0]!;
    assert.equal(reconnecting.diagnosis?.code, 'resumed-from-sleep');
    assert.deepEqual(reconnecting.diagnosis?.tried, ['re-bound', 're-handshaken']);
    assert.ok(handshakes.items.filter((h) => h.kind === 'completed').length > completedBefore, 'a new handshake completed');
    assert.ok(peerHandshake(fx, p.ifname) > before, 'the peer saw a newer handshake');
    assert.equal(fx.client.status('ping', ['-c', '1', '-W', '3', `10.240.${p.index}.2`]), 0, 'traffic flows through the tunnel');
    const logs = await app.call('logs', { limit: 500 });
    assert.ok(logs.lines.some((l) => /resumed from sleep \(seen by logind's PrepareForSleep\)/.test(l.text)), 'the log says how it knew');
    const status = (await app.call('status', { name })).tunnels[0]!;
    assert.equal(status.state, 'up');
    await app.call('down', { name });
    states.stop();
    handshakes.stop();
  });
});
