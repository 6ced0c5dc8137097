// Changing the kill switch of a running tunnel over the control protocol
// (setOptions) keeps the tunnel: the same engine process, the same handshake
// session, pings answering throughout. The rules are really in effect
// afterwards (nft lists the table, and it drops what it should), and down
// removes them all.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventData } from '../../../shared/control/protocol.js';
import type { HelperClient } from '../../../electron/app-core/helper/control-client.js';
import { hasCommand, isRoot, waitFor } from '../../support/netns.js';
import { HelperFixture, PEER_V4, collect } from './fixture.js';

const skip = !isRoot() ? 'needs root' : !hasCommand('wireguard-go') || !hasCommand('nft') ? 'needs wireguard-go and nft' : false;

describe('kill switch changed on a running tunnel', { skip }, () => {
  let fx: HelperFixture;
  let app: HelperClient;
  let name: string;
  let table: string;

  before(async () => {
    fx = new HelperFixture();
    fx.addPeer(0);
    await fx.startHelper();
    app = await fx.connect();
    name = fx.tunnelName(0);
    table = `wiredesk-${name}`;
  });
  after(() => fx?.destroy());

  const pingTunnel = () => fx.client.status('ping', ['-n', '-c', '1', '-W', '2', '10.240.0.2']);
  const pingUnderlay = () => fx.client.status('ping', ['-n', '-c', '1', '-W', '1', PEER_V4]);
  const handshake = () => fx.client.exec('wg', ['show', name, 'latest-handshakes']).trim();
  const tables = () => fx.client.exec('nft', ['list', 'tables']);
  const enginePid = async () => {
    const { lines } = await app.call('logs', { name, limit: 500 });
    const m = lines.map((l) => /wiredesk-tunnel \S+ \((?:warm spare, )?pid (\d+)\)/.exec(l.text)).find((x) => x);
    assert.ok(m, 'the helper logged the engine pid');
    return Number(m[1]);
  };
  const alive = (pid: number) => existsSync(`/proc/${pid}`);

  it('keeps the engine and its session through off -> on -> allow-lan -> off -> on, and the rules apply each time', async () => {
    const states = collect<EventData<'tunnel-state'>>((cb) => app.on('tunnel-state', cb));
    await app.call('up', { name, configText: fx.configFor(fx.peers[0]!) });
    await waitFor(() => states.items.some((s) => s.name === name && s.state === 'up'), 15_000, 'up');
    assert.equal(pingTunnel(), 0);
    assert.equal(pingUnderlay(), 0, 'without a kill switch the underlay answers');
    const pid = await enginePid();
    const session = handshake();
    assert.match(session, /\t[1-9]\d*$/, 'a handshake completed');
    const changed = collect<EventData<'tunnel-state'>>((cb) => app.on('tunnel-state', cb));

    const on = await app.call('setOptions', { name, options: { killSwitch: 'on' } });
    assert.equal(on.killSwitch, 'on');
    assert.match(fx.client.exec('nft', ['list', 'table', 'inet', table]), /counter packets \d+ bytes \d+ drop/);
    assert.notEqual(pingUnderlay(), 0, 'the kill switch drops traffic that is not the tunnel');
    assert.equal(pingTunnel(), 0, 'the tunnel still answers');

    const lan = await app.call('setOptions', { name, options: { killSwitch: 'allow-lan' } });
    assert.equal(lan.killSwitch, 'allow-lan');
    assert.match(fx.client.exec('nft', ['list', 'table', 'inet', table]), /192\.168\.0\.0\/16/);
    assert.equal(pingUnderlay(), 0, 'allow-lan lets the LAN through');
    assert.equal(pingTunnel(), 0);

    await app.call('setOptions', { name, options: { killSwitch: 'off' } });
    assert.doesNotMatch(tables(), new RegExp(`inet ${table}\\b`), 'off removes the table');
    assert.equal(pingUnderlay(), 0);

    await app.call('setOptions', { name, options: { killSwitch: 'on' } });
    assert.match(tables(), new RegExp(`inet ${table}\\b`));
    assert.equal(pingTunnel(), 0);

    assert.ok(alive(pid), 'the engine process is the same one');
    assert.equal(await enginePid(), pid, 'no second engine was started');
    assert.equal(handshake(), session, 'no new handshake was needed');
    assert.deepEqual(changed.items.filter((s) => s.name === name).map((s) => s.state).filter((s) => s !== 'up'), [],
      'the tunnel never left "up"');
    const { lines } = await app.call('logs', { name, limit: 500 });
    assert.ok(!lines.some((l) => /: reconnecting|Turning off/.test(l.text)), 'nothing was reconnected');
  });

  it('down removes the kill switch table and the journal, and stops the engine', async () => {
    const pid = await enginePid();
    await app.call('down', { name });
    assert.doesNotMatch(tables(), new RegExp(`inet ${table}\\b`));
    assert.equal(pingUnderlay(), 0, 'nothing blocks after down');
    assert.ok(!existsSync(join(fx.dir, 'state', `${name}.journal`)), 'the journal is gone');
    await waitFor(() => !alive(pid), 5_000, 'the engine to exit');
  });
});
