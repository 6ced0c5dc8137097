// The manager during a reconnect: "reconnecting" (never "up" with the old
// keys) from the resume until a handshake newer than the reconnect, and the
// status says why. Injected clock and a scripted device, as in tunnel-manager.test.ts.
import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TunnelManager } from '../../../../tunnel-helper/src/helper/tunnels/tunnel-manager.js';
import type { EventData, EventName } from '../../../../shared/control/protocol.js';
import { FakeDevice, FakeNetconfig, KEYS, conf, peerState } from './fakes.js';

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}

describe('the tunnel manager, reconnecting', () => {
  it('shows reconnecting after a resume until a new handshake completes, then up', async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      const dev = new FakeDevice();
      const states: EventData<'tunnel-state'>[] = [];
      const manager = new TunnelManager({
        netconfig: new FakeNetconfig(), policy: () => ({ allowScripts: false }), logDir: mkdtempSync(join(tmpdir(), 'wd-mgr-')),
        emit: <E extends EventName>(event: E, data: EventData<E>) => { if (event === 'tunnel-state') states.push(data as EventData<'tunnel-state'>); },
        now: dev.now, monitorDeps: () => dev,
      });
      dev.peers = [peerState(KEYS[1].pub, { lastHandshakeSec: Math.floor(dev.clock / 1000) + 1 })];
      await manager.up({ name: 'wq0', configText: conf() });
      await settle();
      assert.equal(manager.status('wq0').tunnels[0]!.state, 'up');

      dev.clock += 60_000;
      manager.resumed();
      await settle();
      assert.ok(dev.sets.some((b) => b.includes('remove=true')), 'the peer was re-added: its old keys are gone');
      const status = manager.status('wq0').tunnels[0]!;
      assert.equal(status.state, 'reconnecting');
      assert.equal(status.diagnosis?.code, 'resumed-from-sleep');
      assert.match(status.reason ?? '', /woke from sleep/);

      // The engine still shows the handshake from before the sleep: no "up" on that.
      mock.timers.tick(1000);
      await settle();
      assert.equal(manager.status('wq0').tunnels[0]!.state, 'reconnecting');
      dev.peers = [peerState(KEYS[1].pub, { lastHandshakeSec: Math.floor(dev.clock / 1000) + 1 })];
      mock.timers.tick(1000);
      await settle();
      assert.equal(manager.status('wq0').tunnels[0]!.state, 'up');
      assert.deepEqual(states.map((s) => s.state), ['connecting', 'up', 'reconnecting', 'up']);
      await manager.shutdown();
    } finally {
      mock.timers.reset();
    }
  });
});
