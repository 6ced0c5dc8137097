// The control service running ten tunnels at once against ten wireguard-go
// peers, each streaming live stats, and taking them all down on SIGTERM.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HelperClient } from '../../../electron/app-core/helper/control-client.js';
import type { EventData } from '../../../shared/control/protocol.js';
import { hasCommand, isRoot, waitFor } from '../../support/netns.js';
import { HelperFixture, collect } from './fixture.js';

const skip = !isRoot() ? 'needs root' : !hasCommand('wireguard-go') ? 'needs wireguard-go' : false;
const COUNT = 10;

describe('wiredesk-helper with ten tunnels', { skip }, () => {
  let fx: HelperFixture;
  let app: HelperClient;
  const names = Array.from({ length: COUNT }, (_, i) => i);

  before(async () => {
    fx = new HelperFixture();
    for (const i of names) fx.addPeer(i);
    await fx.startHelper();
    app = await fx.connect();
  });
  after(() => fx?.destroy());

  it('brings ten tunnels up at once, each handshake-confirmed and streaming live stats', async () => {
    const states = collect<EventData<'tunnel-state'>>((cb) => app.on('tunnel-state', cb));
    const stats = collect<EventData<'stats'>>((cb) => app.on('stats', cb));
    const started = Date.now();
    const results = await Promise.all(names.map((i) => app.call('up', { name: fx.tunnelName(i), configText: fx.configFor(fx.peers[i]!) })));
    const upMs = Date.now() - started;
    for (const r of results) assert.equal(r.state === 'connecting' || r.state === 'up', true, `${r.name}: ${r.state}`);
    const isUp = (n: string) => states.items.some((s) => s.name === n && s.state === 'up');
    await waitFor(() => names.every((i) => isUp(fx.tunnelName(i))), 30_000, 'every tunnel to be up');
    const allUpMs = Date.now() - started;

    // Live stats: every tunnel keeps reporting its peer, with a handshake and traffic. Counted, not
    // timed: at least two more events each after all are up (the wait only stops a hang). Their
    // once-a-second cadence is the monitor's interval, tested on an injected clock in
    // test/unit/control/tunnel-manager.test.ts.
    const mark = stats.items.length;
    const after = (i: number) => stats.items.slice(mark).filter((s) => s.name === fx.tunnelName(i));
    await waitFor(() => names.every((i) => after(i).length >= 2), 30_000, 'two more stats events from every tunnel');
    for (const i of names) {
      const mine = after(i);
      for (let k = 1; k < mine.length; k++) {
        const [a, b] = [mine[k - 1]!, mine[k]!];
        assert.ok(b.at > a.at, `${fx.tunnelName(i)}: each stats event is a new poll`);
        assert.ok(b.peers[0]!.rxBytes >= a.peers[0]!.rxBytes && b.peers[0]!.txBytes >= a.peers[0]!.txBytes, 'counters never go back');
      }
      const peer = mine.at(-1)!.peers[0]!;
      assert.equal(peer.publicKey, fx.peers[i]!.keys.pub);
      assert.equal(peer.endpoint, `192.168.240.2:${52000 + i}`);
      assert.ok(peer.latestHandshake !== null && peer.latestHandshake >= started - 1000, 'a handshake since up');
      assert.ok(peer.rxBytes > 0 && peer.txBytes > 0);
    }
    const list = await app.call('listTunnels', {});
    assert.deepEqual(list.tunnels.map((t) => t.state), names.map(() => 'up'));
    const status = await app.call('status', { name: fx.tunnelName(3) });
    assert.equal(status.tunnels[0]!.mtu, 1420);
    assert.deepEqual(status.tunnels[0]!.peers[0]!.allowedIps, ['10.240.3.2/32']);

    // Traffic really flows through one of them.
    fx.client.exec('ping', ['-c', '1', '-W', '2', '10.240.7.2']);
    states.stop();
    stats.stop();
    process.stdout.write(`# ten tunnels: all up calls returned in ${upMs} ms, all handshake-confirmed in ${allUpMs} ms\n`);
  });

  it('serves its recent log lines, engine lines included, without key material', async () => {
    const { lines } = await app.call('logs', { name: fx.tunnelName(0), limit: 100 });
    assert.ok(lines.some((l) => l.source === 'engine' && /Handshake completed/.test(l.text)));
    assert.ok(lines.some((l) => l.source === 'helper' && /ip -4 address add 10\.240\.0\.1\/24/.test(l.text)));
    const all = JSON.stringify(await app.call('logs', { limit: 5000 }));
    for (const p of fx.peers) assert.equal(all.includes(p.clientKeys.priv), false);
  });

  it('takes every tunnel down on SIGTERM and exits cleanly', async () => {
    const code = await fx.stopHelper();
    assert.equal(code, 0, fx.helperOutput.slice(-2000));
    const links = fx.client.exec('ip', ['-o', 'link', 'show']);
    for (const i of names) assert.equal(links.includes(fx.tunnelName(i)), false, `${fx.tunnelName(i)} is gone`);
    const stateDir = join(fx.dir, 'state');
    assert.deepEqual(existsSync(stateDir) ? readdirSync(stateDir).filter((f) => f.endsWith('.journal')) : [], [], 'no journal left');
    assert.equal(existsSync(fx.socketPath), false, 'the socket is removed');
  });
});
