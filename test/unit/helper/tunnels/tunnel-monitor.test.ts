import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TunnelMonitor, type MonitorSink } from '../../../../tunnel-helper/src/helper/tunnels/tunnel-monitor.js';
import type { TunnelHealth } from '../../../../tunnel-helper/src/helper/tunnels/health.js';
import type { EventData } from '../../../../shared/control/protocol.js';
import { FakeDevice, KEYS, peerState } from './fakes.js';

const PUB = KEYS[1].pub;
const HEX = Buffer.from(PUB, 'base64').toString('hex');

function setup() {
  const dev = new FakeDevice();
  const seen = { stats: [] as EventData<'stats'>[], roaming: [] as EventData<'roaming'>[], handshake: [] as EventData<'handshake'>[], health: [] as TunnelHealth[], lines: [] as string[], gone: [] as string[] };
  const sink: MonitorSink = {
    stats: (d) => seen.stats.push(d), roaming: (d) => seen.roaming.push(d), handshake: (d) => seen.handshake.push(d),
    health: (h) => seen.health.push(h), engineLine: (l) => seen.lines.push(l), engineGone: (w) => seen.gone.push(w),
  };
  const upAt = dev.clock;
  const mon = new TunnelMonitor('wq0', upAt, dev, sink);
  const tick = async (ms = 1000) => { dev.clock += ms; await mon.tick(); };
  return { dev, seen, mon, tick, upAt };
}

describe('the tunnel monitor', () => {
  it('streams per-peer stats every poll', async () => {
    const { dev, seen, tick } = setup();
    dev.peers = [peerState(PUB, { rxBytes: 92n, txBytes: 148n })];
    await tick();
    await tick();
    assert.equal(seen.stats.length, 2);
    assert.deepEqual(seen.stats[1]!.peers, [{ publicKey: PUB, endpoint: '192.0.2.1:51820', latestHandshake: null, rxBytes: 92, txBytes: 148 }]);
  });

  it('carries the totals on when the peer is re-added and its counters restart (a reconnect after sleep)', async () => {
    const { dev, seen, mon, tick } = setup();
    dev.peers = [peerState(PUB, { rxBytes: 1000n, txBytes: 2000n })];
    await tick();
    dev.peers = [peerState(PUB, { rxBytes: 30n, txBytes: 40n })];
    await tick();
    dev.peers = [peerState(PUB, { rxBytes: 50n, txBytes: 90n })];
    await tick();
    assert.deepEqual(seen.stats.map((s) => [s.peers[0]!.rxBytes, s.peers[0]!.txBytes]), [[1000, 2000], [1030, 2040], [1050, 2090]]);
    assert.deepEqual([mon.peerStatus[0]!.rxBytes, mon.peerStatus[0]!.txBytes], [1050, 2090]);
  });

  it('probes a peer without PersistentKeepalive so a handshake starts, and leaves keepalive off again', async () => {
    const { dev, tick } = setup();
    dev.peers = [peerState(PUB)];
    await tick();
    assert.deepEqual(dev.sets, [
      `public_key=${HEX}\nupdate_only=true\npersistent_keepalive_interval=25\n`,
      `public_key=${HEX}\nupdate_only=true\npersistent_keepalive_interval=0\n`,
    ]);
    await tick();
    assert.equal(dev.sets.length, 2, 'not again within 30 s');
    await tick(30_000);
    assert.equal(dev.sets.length, 4, 'again after 30 s without a handshake');
  });

  it('does not probe a peer that has its own keepalive or no endpoint', async () => {
    const { dev, tick } = setup();
    dev.peers = [peerState(PUB, { persistentKeepaliveInterval: 25 }), peerState(KEYS[0].pub, { endpoint: null })];
    await tick();
    assert.deepEqual(dev.sets, []);
  });

  it('reports a completed handshake, turns up, and probes again before the session expires', async () => {
    const { dev, seen, tick } = setup();
    dev.peers = [peerState(PUB)];
    await tick();
    const hsSec = Math.floor(dev.clock / 1000) + 1;
    dev.peers = [peerState(PUB, { lastHandshakeSec: hsSec, lastHandshakeNsec: 500_000_000 })];
    await tick();
    assert.deepEqual(seen.handshake, [{ name: 'wq0', publicKey: PUB, kind: 'completed', at: hsSec * 1000 + 500, diagnosis: null }]);
    assert.deepEqual(seen.health.map((h) => h.state), ['connecting', 'up']);
    await tick();
    assert.equal(seen.handshake.length, 1, 'the same handshake is reported once');
    dev.sets = [];
    dev.clock = hsSec * 1000 + 166_000;
    await tick(0);
    assert.equal(dev.sets.length, 2, 'a probe at 165 s renews the session before the 180 s limit');
  });

  it('sends a roaming event when the endpoint changes', async () => {
    const { dev, seen, tick } = setup();
    dev.peers = [peerState(PUB)];
    await tick();
    dev.peers = [peerState(PUB, { endpoint: '192.0.2.7:40000' })];
    await tick();
    assert.deepEqual(seen.roaming, [{ name: 'wq0', publicKey: PUB, from: '192.0.2.1:51820', to: '192.0.2.7:40000', at: dev.clock, reason: 'roamed' }]);
    await tick();
    assert.equal(seen.roaming.length, 1);
  });

  it('turns engine log lines into handshake events and diagnoses', async () => {
    const { dev, seen, tick } = setup();
    dev.peers = [peerState(PUB, { txBytes: 148n })];
    const abbrev = `peer(${PUB.slice(0, 4)}…${PUB.slice(40, 43)})`;
    dev.logLines = [`DEBUG: 2026/11/23 18:36:12 (wq0) ${abbrev} - Sending handshake initiation`];
    await tick();
    assert.deepEqual(seen.handshake.map((h) => h.kind), ['initiated']);
    assert.equal(seen.lines.length, 1);
    dev.logLines = [`DEBUG: 2026/11/23 18:36:13 (wq0) ${abbrev} - Received cookie reply: peer is under load`];
    for (let i = 0; i < 15; i++) await tick();
    const last = seen.health.at(-1)!;
    assert.equal(last.state, 'degraded');
    assert.equal(last.diagnosis?.code, 'peer-under-load');
    const failed = seen.handshake.filter((h) => h.kind === 'failed');
    assert.equal(failed.length, 1, 'one failed event when the peer degrades');
    assert.equal(failed[0]!.diagnosis?.code, 'peer-under-load');
  });

  it('degrades with "no reply" when tx grows and rx stays 0', async () => {
    const { dev, seen, tick } = setup();
    for (let i = 1; i <= 16; i++) {
      dev.peers = [peerState(PUB, { txBytes: BigInt(148 * Math.ceil(i / 5)) })];
      await tick();
    }
    assert.equal(seen.health.at(-1)?.state, 'degraded');
    assert.equal(seen.health.at(-1)?.diagnosis?.code, 'no-reply');
  });

  it('reports the engine gone after three failed reads, and stops', async () => {
    const { dev, seen, tick } = setup();
    dev.peers = [peerState(PUB)];
    await tick();
    dev.failGet = new Error('connect ECONNREFUSED /var/run/wireguard/wq0.sock');
    await tick();
    await tick();
    assert.deepEqual(seen.gone, []);
    await tick();
    assert.deepEqual(seen.gone, ['connect ECONNREFUSED /var/run/wireguard/wq0.sock']);
    await tick();
    assert.equal(seen.gone.length, 1);
  });
});
