import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ControlConnection, type ConnectionLimits } from '../../../../tunnel-helper/src/helper/control/connection.js';
import { FrameDecoder, MAX_FRAME_BYTES, encodeFrame } from '../../../../shared/control/frame.js';
import { checkParams, methods, ProtocolError, type MethodName } from '../../../../shared/control/protocol.js';
import { ManualClock } from '../../engine/manual-clock.js';

const dir = mkdtempSync(join(tmpdir(), 'wd-conn-'));
let server: Server;
let path: string;
let limits: ConnectionLimits;
let concurrent = 0;
let peak = 0;
const conns: ControlConnection[] = [];

async function dispatch(method: MethodName, params: unknown): Promise<unknown> {
  const p = checkParams(method, params);
  if (method === 'down') throw new ProtocolError('not-found', 'No tunnel named "x" is running.');
  if (method === 'listTunnels') return { tunnels: 'z'.repeat(MAX_FRAME_BYTES) }; // a reply too big for a frame
  if (method === 'logs') {
    concurrent++;
    peak = Math.max(peak, concurrent);
    await new Promise((r) => setTimeout(r, 5));
    concurrent--;
  }
  return { echo: p };
}

/** A raw client: send bytes, collect decoded replies, see when it is closed. */
function client() {
  const s: Socket = connect(path);
  const dec = new FrameDecoder();
  const got: Record<string, unknown>[] = [];
  let closed = false;
  s.on('data', (c: Buffer) => { for (const f of dec.push(c)) if (f.ok) got.push(f.message as Record<string, unknown>); });
  s.on('error', () => {});
  s.on('close', () => { closed = true; });
  const until = async (cond: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out; got ${JSON.stringify(got).slice(0, 300)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  return { s, got, until, get closed() { return closed; } };
}

const header = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };

describe('a control connection under hostile input', () => {
  before(async () => {
    path = join(dir, 'c.sock');
    server = createServer({ allowHalfOpen: true }, (sock) => conns.push(new ControlConnection(sock, dispatch, limits)));
    await new Promise<void>((r) => server.listen(path, r));
  });
  after(() => {
    for (const c of conns) c.destroy();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers calls, and gives every bad message an error without closing', async () => {
    limits = { maxInFlight: 4, maxQueued: 16, maxWriteBuffer: 1 << 20, frameTimeoutMs: 2000 };
    const c = client();
    c.s.write(Buffer.concat([
      encodeFrame({ id: 1, method: 'status', params: { name: 'wg0' } }),
      Buffer.concat([header(5), Buffer.from('nope!')]),
      encodeFrame({ id: 2, method: 'fly' }),
      encodeFrame({ id: 3, method: 'up', params: { name: 'wg0', configText: 7 } }),
      encodeFrame({ id: 4, method: 'down', params: { name: 'x' } }),
      encodeFrame(['not', 'an', 'object']),
      encodeFrame({ id: 5, method: 'hello', params: { protocolVersion: 1 } }),
    ]));
    await c.until(() => c.got.length === 7);
    const byId = (id: unknown) => c.got.filter((m) => m.id === id);
    assert.deepEqual(byId(1), [{ id: 1, result: { echo: { name: 'wg0' } } }]);
    assert.deepEqual(byId(2)[0]!.error, { code: 'unknown-method', message: `Unknown method "fly"; this helper knows ${Object.keys(methods).join(', ')}.` });
    assert.match((byId(2)[0]!.error as { message: string }).message, /knows hello, listTunnels, network, up, down, status/);
    assert.equal((byId(3)[0]!.error as { code: string }).code, 'invalid-params');
    assert.match((byId(3)[0]!.error as { message: string }).message, /up: params\.configText: expected the config text/);
    assert.deepEqual(byId(4)[0]!.error, { code: 'not-found', message: 'No tunnel named "x" is running.' });
    assert.deepEqual(byId(null).map((m) => (m.error as { code: string }).code), ['bad-frame', 'bad-request']);
    assert.deepEqual(byId(5), [{ id: 5, result: { echo: { protocolVersion: 1 } } }]);
    assert.equal(c.closed, false);
    c.s.destroy();
  });

  it('turns a reply too large for a frame into an error, and keeps short messages for huge junk', async () => {
    const c = client();
    const deep = '['.repeat(200_000) + ']'.repeat(200_000); // too deep for JSON.stringify, not for JSON.parse
    const raw = (json: string) => Buffer.concat([header(Buffer.byteLength(json)), Buffer.from(json)]);
    c.s.write(Buffer.concat([
      encodeFrame({ id: 1, method: 'listTunnels', params: {} }),
      encodeFrame({ id: 2, method: 'm'.repeat(900_000) }),
      raw(`{"id":3,"method":${deep}}`),
      raw(`{"id":4,"method":"status","params":{"${'k'.repeat(500_000)}":${deep}}}`),
    ]));
    await c.until(() => c.got.length === 4);
    const err = (id: number) => c.got.find((m) => m.id === id)!.error as { code: string; message: string };
    assert.deepEqual(err(1), { code: 'internal', message: 'The reply would exceed the 1 MiB frame limit; ask for less (e.g. a smaller logs limit).' });
    assert.equal(err(2).code, 'unknown-method');
    assert.ok(err(2).message.length < 300);
    assert.match(err(3).message, /^Unknown method of type array;/);
    assert.equal(err(4).code, 'invalid-params');
    assert.ok(err(4).message.length < 300, err(4).message.slice(0, 100));
    assert.equal(c.closed, false);
    c.s.destroy();
  });

  it('closes on a frame over 1 MiB, after saying why', async () => {
    const c = client();
    c.s.write(header(MAX_FRAME_BYTES + 1));
    await c.until(() => c.closed);
    assert.deepEqual(c.got, [{ id: null, error: { code: 'bad-frame', message: `Frame of ${MAX_FRAME_BYTES + 1} bytes exceeds the ${MAX_FRAME_BYTES}-byte limit.` } }]);
  });

  it('still answers the calls that came before a fatal frame, then says why it closes', async () => {
    const c = client();
    c.s.write(Buffer.concat([
      ...Array.from({ length: 10 }, (_, i) => encodeFrame({ id: i + 1, method: 'logs', params: {} })),
      header(0xffffffff),
      encodeFrame({ id: 99, method: 'status', params: {} }),
    ]));
    await c.until(() => c.closed);
    assert.deepEqual(c.got.slice(0, 10).map((m) => m.id), Array.from({ length: 10 }, (_, i) => i + 1));
    assert.deepEqual(c.got.slice(10), [{ id: null, error: { code: 'bad-frame', message: `Frame of ${0xffffffff} bytes exceeds the ${MAX_FRAME_BYTES}-byte limit.` } }]);
  });

  it('closes a connection that leaves a frame unfinished', async () => {
    limits = { maxInFlight: 4, maxQueued: 16, maxWriteBuffer: 1 << 20, frameTimeoutMs: 200 };
    const c = client();
    c.s.write(Buffer.concat([header(100), Buffer.from('{"id":1')]));
    await c.until(() => c.closed, 3000);
    assert.match((c.got[0]!.error as { message: string }).message, /incomplete frame waited more than 200 ms/);
  });

  it('times each frame from its own first byte, also when one chunk ends a frame and starts the next', () => {
    const clock = new ManualClock();
    const socket = new Duplex({ read() {}, write(_chunk, _enc, done) { done(); } });
    const conn = new ControlConnection(socket as unknown as Socket, dispatch, { maxInFlight: 4, maxQueued: 16, maxWriteBuffer: 1 << 20, frameTimeoutMs: 1000 }, () => {}, clock);
    const a = encodeFrame({ id: 1, method: 'status', params: {} });
    const b = encodeFrame({ id: 2, method: 'status', params: {} });
    const start = clock.now();
    socket.emit('data', Buffer.from(a.subarray(0, 6)));
    clock.moveTo(start + 900);
    socket.emit('data', Buffer.concat([a.subarray(6), b.subarray(0, 6)])); // the second frame begins here
    assert.equal(clock.runNextTimer(start + 1899), false, 'the second frame is not judged by the first one\'s start');
    assert.equal(conn.isOpen, true);
    assert.equal(clock.runNextTimer(start + 1900), true);
    assert.equal(conn.isOpen, false);
    conn.destroy();
  });

  it('bounds a flood: everything answered, busy beyond the queue, never more in flight than allowed', async () => {
    limits = { maxInFlight: 4, maxQueued: 16, maxWriteBuffer: 8 << 20, frameTimeoutMs: 2000 };
    peak = 0;
    const c = client();
    const n = 5000;
    const frames: Uint8Array[] = [];
    for (let i = 1; i <= n; i++) frames.push(encodeFrame({ id: i, method: 'logs', params: { limit: 1 } }));
    c.s.write(Buffer.concat(frames));
    await c.until(() => c.got.length === n, 20_000);
    const ok = c.got.filter((m) => 'result' in m).length;
    const busy = c.got.filter((m) => (m.error as { code?: string } | undefined)?.code === 'busy').length;
    assert.equal(ok + busy, n);
    assert.ok(ok >= 16, `some were served (${ok})`);
    assert.ok(busy > 0, 'some were refused as busy');
    assert.ok(peak <= 4, `peak in flight ${peak}`);
    c.s.destroy();
  });

  it('drops a client that never reads what it is sent', async () => {
    limits = { maxInFlight: 4, maxQueued: 16, maxWriteBuffer: 64 * 1024, frameTimeoutMs: 2000 };
    const before = conns.length;
    const c = client();
    c.s.pause();
    await c.until(() => conns.length > before);
    const conn = conns.at(-1)!;
    const big = encodeFrame({ event: 'log', data: { text: 'x'.repeat(16 * 1024) } });
    for (let i = 0; i < 2000 && conn.isOpen; i++) {
      conn.send(big);
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(conn.isOpen, false);
    c.s.destroy();
  });

  it('answers a request from a client that already half-closed', async () => {
    limits = { maxInFlight: 4, maxQueued: 16, maxWriteBuffer: 1 << 20, frameTimeoutMs: 2000 };
    const c = client();
    c.s.end(encodeFrame({ id: 9, method: 'logs', params: {} }));
    await c.until(() => c.closed);
    assert.deepEqual(c.got, [{ id: 9, result: { echo: {} } }]);
  });
});
