// The engine's output for the helper (shared/engine-events/event-stream.ts): typed events
// with full public keys, one JSON record a line, and the helper's monitor
// diagnosing from them, with no log line parsed.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeKey } from '../../../../shared/config/keys.js';
import { TunnelMonitor, type MonitorSink } from '../../../../tunnel-helper/src/helper/tunnels/tunnel-monitor.js';
import type { TunnelHealth } from '../../../../tunnel-helper/src/helper/tunnels/health.js';
import type { EventData } from '../../../../shared/control/protocol.js';
import { formatRecord, parseRecord, type EngineRecord } from '../../../../shared/engine-events/event-stream.js';
import { parseSet } from '../../../../tunnel-helper/src/engine/uapi/protocol-set.js';
import { DevicePair, type Side } from '../../engine/device-pair.js';

let pair: DevicePair | null = null;
afterEach(() => pair?.close());

const KEY = 'pWp0D61O/A6zt4BhvWPqBVxcpujTopGz5XPdxuXy0A0=';

test('every record reads back as written, one line each', () => {
  const records: EngineRecord[] = [
    { type: 'log', line: 'DEBUG: 2026/11/23 18:36:12 (wq0) peer(pWp0…0A0) - Sending handshake initiation' },
    { type: 'handshake-initiated', publicKey: KEY, retry: true, wallMs: 1_795_000_000_123 },
    { type: 'handshake-completed', publicKey: KEY, wallMs: 1 },
    { type: 'handshake-failed', publicKey: KEY, attempts: 20, wallMs: 2 },
    { type: 'cookie-received', publicKey: KEY, wallMs: 3 },
    { type: 'handshake-response-invalid', publicKey: KEY, wallMs: 4 },
    { type: 'keys-zeroed', publicKey: KEY, wallMs: 5 },
    { type: 'endpoint-changed', publicKey: KEY, from: null, to: '[fd00::1]:51820', wallMs: 6 },
    { type: 'endpoint-changed', publicKey: KEY, from: '192.0.2.1:1', to: '192.0.2.1:2', wallMs: 7 },
    { type: 'peer-removed', publicKey: KEY, wallMs: 8 },
    { type: 'path-changed', publicKey: KEY, wallMs: 9 },
  ];
  for (const r of records) {
    const line = formatRecord(r);
    assert.equal(line.indexOf('\n'), line.length - 1, 'exactly one line');
    assert.deepEqual(parseRecord(line.slice(0, -1)), r);
  }
});

test('anything else is not a record: foreign log text, cut-off lines, wrong fields', () => {
  for (const line of [
    'DEBUG: 2026/11/23 18:36:12 (wq0) peer(pWp0…0A0) - Sending handshake initiation',
    '{"type":"cookie-received","publicKey":"pWp0D61O/A6zt4Bhv',
    '{"type":"cookie-received","publicKey":"pWp0","wallMs":1}',
    `{"type":"cookie-received","publicKey":"${KEY}"}`,
    `{"type":"handshake-initiated","publicKey":"${KEY}","wallMs":1}`,
    `{"type":"handshake-failed","publicKey":"${KEY}","attempts":"20","wallMs":1}`,
    `{"type":"endpoint-changed","publicKey":"${KEY}","from":7,"to":"192.0.2.1:2","wallMs":1}`,
    `{"type":"private-key","publicKey":"${KEY}","wallMs":1}`,
    '{"type":"log","line":7}', 'null', '[]', '{}',
  ]) assert.equal(parseRecord(line), null, line);
});

test('the engine names peers by their full public key and dates events by its wall clock', async () => {
  const p = (pair = new DevicePair());
  p.ping('a');
  await p.tun.b.nextWritten();
  await p.settle();
  const initiated = p.events.a[0]!;
  assert.equal(initiated.publicKey, encodeKey(p.publicKey.b));
  assert.equal(initiated.wallMs, p.clock.wallNow());
});

/** A helper's monitor watching side `side` of the pair, reading only the
 *  engine's event records: no log lines are written at all. */
function watch(p: DevicePair, side: Side) {
  const lines: string[] = [];
  p.device[side].events.on((e) => lines.push(formatRecord(e).slice(0, -1)));
  const seen = { health: [] as TunnelHealth[], handshake: [] as EventData<'handshake'>[], engineLines: [] as string[] };
  const sink: MonitorSink = {
    stats: () => {}, roaming: () => {}, handshake: (d) => seen.handshake.push(d), health: (h) => seen.health.push(h),
    engineLine: (l) => seen.engineLines.push(l), engineGone: () => {},
  };
  const monitor = new TunnelMonitor('wq0', p.clock.wallNow(), {
    get: async () => p.uapi[side].get(),
    set: async (_name, body) => p.uapi[side].set(parseSet(body.split('\n'))),
    readLog: async () => lines.splice(0),
    now: () => p.clock.wallNow(),
  }, sink);
  return { monitor, seen };
}

test('a preshared key only one side has is diagnosed as mismatched keys, from the typed event alone', async () => {
  const p = (pair = new DevicePair({ presharedKey: { a: new Uint8Array(32).fill(7) } }));
  const { monitor, seen } = watch(p, 'a');
  // The monitor polls once a second; its probe makes the engine initiate.
  for (let s = 0; s < 20; s++) {
    await monitor.tick();
    await p.advance(1000);
  }
  assert.ok(p.events.a.some((e) => e.type === 'handshake-response-invalid'), 'the engine reported the undecryptable response');
  assert.deepEqual(seen.engineLines, [], 'nothing was read from log text');
  const degraded = seen.health.find((h) => h.state === 'degraded');
  assert.equal(degraded?.diagnosis?.code, 'key-mismatch');
  assert.equal(degraded?.diagnosis?.publicKey, encodeKey(p.publicKey.b));
  assert.ok(seen.handshake.some((h) => h.kind === 'initiated' && h.publicKey === encodeKey(p.publicKey.b)));
});

test('events older than the watch (read back by a restarted helper) are no evidence', async () => {
  const p = (pair = new DevicePair());
  p.set('b', ['listen_port=9']); // B moves away unannounced, so no handshake completes
  const { monitor, seen } = watch(p, 'a');
  const publicKey = encodeKey(p.publicKey.b);
  const before = p.clock.wallNow() - 60_000;
  p.device.a.events.emit({ type: 'handshake-initiated', publicKey, retry: false, wallMs: before });
  p.device.a.events.emit({ type: 'cookie-received', publicKey, wallMs: before });
  for (let s = 0; s < 20; s++) {
    await monitor.tick();
    await p.advance(1000);
  }
  assert.ok(seen.handshake.filter((h) => h.kind === 'initiated').every((h) => h.at > before), 'the old initiation is not announced');
  const degraded = seen.health.find((h) => h.state === 'degraded');
  assert.equal(degraded?.diagnosis?.code, 'no-reply', 'not "peer under load" from the old cookie');
});
