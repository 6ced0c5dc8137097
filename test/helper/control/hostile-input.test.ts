// Bad input on the control socket: fuzzed frames, floods, a second user, an
// app from the future, conflicting and invalid configs. The helper answers
// or closes that one connection, and keeps serving everyone else.
//
// What the protocol promises for each frame (frame.ts, connection.ts, server.ts,
// protocol.ts), and what these tests hold it to exactly:
//   body not UTF-8 / not JSON           {id: null, bad-frame "The frame is not valid UTF-8." / "...JSON (N bytes)."}, reads on
//   JSON that is not a request          {id: null, bad-request} (not an object, or no valid id), reads on
//   unknown method / unknown field      {id, unknown-method} / {id, bad-request}, reads on
//   params the schema refuses           {id, invalid-params}, reads on
//   a length over MAX_FRAME_BYTES       answers what was read before it, then {id: null, bad-frame "Frame of N bytes
//                                       exceeds the 1048576-byte limit."} last, and closes
//   a frame cut short by EOF            answers what came before, closes without a word
//   a frame left waiting                {id: null, bad-frame "An incomplete frame waited more than 10000 ms; closing."}, closes
//   requests beyond 64 queued           {id, busy}; connections beyond 16: {id: null, busy} and closed
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectHelper, type HelperClient } from '../../../electron/app-core/helper/control-client.js';
import { FrameDecoder, MAX_FRAME_BYTES, encodeFrame } from '../../../shared/control/frame.js';
import { CheckError, ProtocolError, methods, type MethodName } from '../../../shared/control/protocol.js';
import { hasCommand, isRoot, run, waitFor } from '../../support/netns.js';
import { repoRoot } from '../../support/cli.js';
import { HelperFixture, OWNER_UID } from './fixture.js';

const skip = !isRoot() ? 'needs root' : !hasCommand('wireguard-go') ? 'needs wireguard-go' : false;

/** A small deterministic PRNG (mulberry32), so a failing fuzz run can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const be32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };

/** A frame the helper answers and reads on after, or (fatalAllowed) possibly bytes it cannot read past. */
function fuzzFrame(rnd: () => number, fatalAllowed: boolean): Buffer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rnd() * 256)));
  const value = (depth: number): unknown => {
    switch (Math.floor(rnd() * (depth > 2 ? 6 : 9))) {
      case 0: return null;
      case 1: return rnd() < 0.5;
      case 2: return rnd() * 1e12 - 5e11;
      case 3: return Math.floor(rnd() * 100) - 1;
      case 4: return 'x'.repeat(Math.floor(rnd() * 40));
      case 5: return '\u0000\ud800wg0';
      case 6: return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
      case 7: return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) },
        () => [pick(['name', 'configText', 'options', 'killSwitch', 'limit', '__proto__', 'constructor', 'x']), value(depth + 1)]));
      default: return { name: pick(['wg0', '', 'a'.repeat(16), '../etc', 7]), configText: pick(['[Interface]\nPrivateKey = x\n', '', 5]), options: { killSwitch: pick(['on', 'maybe', 1]) } };
    }
  };
  switch (fatalAllowed ? Math.floor(rnd() * 3) : 3 + Math.floor(rnd() * 5)) {
    case 0: return junk(Math.floor(rnd() * 64)); // raw garbage: may read as any length
    case 1: return be32(MAX_FRAME_BYTES + 1 + Math.floor(rnd() * 0x7fffffff));
    case 2: { // truncated: promises more than it sends
      const body = Buffer.from(JSON.stringify({ id: 1, method: 'hello', params: { protocolVersion: 1 } }));
      return Buffer.concat([be32(body.length + 10), body]);
    }
    case 3: { const body = junk(Math.floor(rnd() * 100)); return Buffer.concat([be32(body.length), body]); }
    default: {
      const msg = rnd() < 0.2 ? value(0) : {
        id: pick([Math.floor(rnd() * 1000), -1, 'id', null, 2 ** 40, 1.5]),
        method: pick(['hello', 'listTunnels', 'up', 'down', 'status', 'setOptions', 'logs', 'shutdown', '', '__proto__', 'hasOwnProperty']),
        params: value(0),
        ...(rnd() < 0.1 ? { extra: 1 } : {}),
      };
      return Buffer.from(encodeFrame(msg));
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const requestId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0x7fffffff;

/**
 * The reply the helper owes one whole frame body, as a comparable key, with no
 * tunnel running; `queued` when it reaches a handler (and so counts toward the
 * 64-request queue).
 */
function expectBody(body: Uint8Array): { key: string; queued: boolean } {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { key: 'null:bad-frame:The frame is not valid UTF-8.', queued: false };
  }
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { key: `null:bad-frame:The frame is not valid JSON (${body.length} bytes).`, queued: false };
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return { key: 'null:bad-request', queued: false };
  const m = msg as Record<string, unknown>;
  if (!requestId(m.id)) return { key: 'null:bad-request', queued: false };
  const id = m.id;
  if (typeof m.method !== 'string' || !Object.hasOwn(methods, m.method)) return { key: `${id}:unknown-method`, queued: false };
  if (Object.keys(m).some((k) => k !== 'id' && k !== 'method' && k !== 'params')) return { key: `${id}:bad-request`, queued: false };
  const method = m.method as MethodName;
  const params = (m.params ?? {}) as Record<string, unknown>;
  try {
    methods[method].params(params, 'params', true);
  } catch (e) {
    if (e instanceof CheckError) return { key: `${id}:invalid-params`, queued: true };
    throw e;
  }
  // The handlers, with no tunnel running and none of the fuzzer's config texts valid.
  switch (method) {
    case 'hello': return { key: params.protocolVersion === 1 ? `${id}:result:hello` : `${id}:unsupported-version`, queued: true };
    case 'network': return { key: `${id}:result:network`, queued: true };
    case 'listTunnels': return { key: `${id}:result:{"tunnels":[]}`, queued: true };
    case 'status': return { key: params.name === undefined ? `${id}:result:{"tunnels":[]}` : `${id}:not-found`, queued: true };
    case 'logs': return { key: `${id}:result:lines`, queued: true };
    case 'down': case 'setOptions': return { key: `${id}:not-found`, queued: true };
    case 'up': return { key: `${id}:config-invalid`, queued: true };
    case 'probe': return { key: `${id}:config-invalid`, queued: true };
    case 'launchApp': return { key: `${id}:not-found`, queued: true };
  }
}

/** The key of a reply the helper sent, comparable with expectBody's. */
function replyKey(m: Record<string, unknown>): string {
  if ('error' in m) {
    const e = m.error as { code: string; message: string };
    return e.code === 'bad-frame' ? `${String(m.id)}:bad-frame:${e.message}` : `${String(m.id)}:${e.code}`;
  }
  const r = m.result as Record<string, unknown>;
  const shape = Array.isArray(r.lines) ? 'lines' : 'protocolVersion' in r ? 'hello' : 'source' in r ? 'network' : JSON.stringify(r);
  return `${String(m.id)}:result:${shape}`;
}

/**
 * Everything the helper owes a connection that sends `bytes` and half-closes:
 * one answer per whole frame (in any order: up to 8 run at once), and, after
 * an oversize length, the last word before it closes.
 */
function expectConnection(bytes: Buffer): { answers: string[]; lastWord: string | null } {
  const answers: string[] = [];
  let queued = 0;
  let lastWord: string | null = null;
  for (let pos = 0; bytes.length - pos >= 4;) {
    const length = bytes.readUInt32BE(pos);
    if (length > MAX_FRAME_BYTES) {
      lastWord = `null:bad-frame:Frame of ${length} bytes exceeds the ${MAX_FRAME_BYTES}-byte limit.`;
      break;
    }
    if (bytes.length - pos - 4 < length) break; // cut short by EOF: no answer
    const e = expectBody(bytes.subarray(pos + 4, pos + 4 + length));
    answers.push(e.key);
    if (e.queued) queued++;
    pos += 4 + length;
  }
  assert.ok(queued <= 64, `the fuzzer sent ${queued} requests on one connection: more than the queue, so some would be busy`);
  return { answers, lastWord };
}

/**
 * Writes `bytes`, half-closes unless told not to, and collects replies until
 * the helper closes; `closedBy: 'timeout'` after `timeoutMs` only stops a hang.
 */
function exchange(path: string, bytes: Buffer, timeoutMs = 15_000, halfClose = true): Promise<{ replies: Record<string, unknown>[]; closedBy: string }> {
  return new Promise((resolve) => {
    const s: Socket = connect(path);
    const dec = new FrameDecoder();
    const replies: Record<string, unknown>[] = [];
    const done = (closedBy: string) => { clearTimeout(timer); s.destroy(); resolve({ replies, closedBy }); };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    s.on('data', (c: Buffer) => { for (const f of dec.push(c)) if (f.ok) replies.push(f.message as Record<string, unknown>); });
    s.on('error', () => {});
    s.on('close', () => done('helper'));
    s.on('connect', () => (halfClose ? s.end(bytes) : s.write(bytes)));
  });
}

describe('the control socket under hostile input', { skip }, () => {
  let fx: HelperFixture;
  let app: HelperClient;
  /** Connections of ours the helper holds open (it serves 16 at once). */
  let openClients = 0;
  const client = async (): Promise<HelperClient> => {
    const c = await fx.connect();
    openClients++;
    return c;
  };

  before(async () => {
    fx = new HelperFixture();
    fx.addPeer(1);
    await fx.startHelper();
    app = await client();
  });
  after(() => fx?.destroy());

  it('answers every fuzzed, truncated and oversize frame exactly as the protocol says, then still says hello', async () => {
    const seed = Number(process.env.WIREDESK_FUZZ_SEED ?? Date.now() % 100000);
    const rnd = prng(seed);
    let frames = 0;
    let replies = 0;
    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 8 }, async () => {
        const parts: Buffer[] = [];
        for (let i = 0; i < 60; i++, frames++) parts.push(fuzzFrame(rnd, false));
        // Half the connections end with bytes that cannot be read past: garbage, oversize or truncated.
        if (rnd() < 0.5) { parts.push(fuzzFrame(rnd, true)); frames++; }
        const bytes = Buffer.concat(parts);
        const want = expectConnection(bytes);
        const r = await exchange(fx.socketPath, bytes);
        replies += r.replies.length;
        const got = r.replies.map(replyKey);
        const context = `seed ${seed}, connection of ${bytes.length} bytes`;
        assert.equal(r.closedBy, 'helper', `${context}: the helper closes once it has answered`);
        if (want.lastWord !== null) assert.equal(got.pop(), want.lastWord, `${context}: the oversize frame's error comes last`);
        assert.deepEqual(got.sort(), [...want.answers].sort(), `${context}: one answer per whole frame`);
      }));
    }
    // A 1 MiB frame of valid JSON that is not a request.
    const big = await exchange(fx.socketPath, Buffer.from(encodeFrame('y'.repeat(MAX_FRAME_BYTES - 2))));
    assert.deepEqual(big, {
      replies: [{ id: null, error: { code: 'bad-request', message: 'A request must be a JSON object { id, method, params }.' } }],
      closedBy: 'helper',
    });
    assert.ok(fx.helperAlive, `seed ${seed}: the helper died: ${fx.helperOutput.slice(-2000)}`);
    const fresh = await client();
    assert.equal(fresh.helloResult?.protocolVersion, 1);
    assert.deepEqual(await app.call('listTunnels', {}), { tunnels: [] }, 'the long-lived client was not disturbed');
    process.stdout.write(`# fuzz seed ${seed}: ${frames} frames over 80 connections, ${replies} replies\n`);
  });

  it('closes a connection that sends half a frame and stops: the bad-frame word after the frame timeout, or silence at EOF', async () => {
    const body = Buffer.from('{"id":1,"method":"hello"');
    const half = Buffer.concat([be32(body.length + 50), body]);
    // Not half-closed: the helper decides on its own, frameTimeoutMs (10 s) after the frame's
    // first byte. The 30 s bound only stops a hang. Meanwhile it serves others.
    const waiting = exchange(fx.socketPath, half, 30_000, false);
    let settled = false;
    void waiting.then(() => { settled = true; });
    assert.deepEqual(await app.call('listTunnels', {}), { tunnels: [] });
    assert.equal(settled, false, 'the half frame is still waiting after another client was served');
    assert.deepEqual(await waiting, {
      replies: [{ id: null, error: { code: 'bad-frame', message: 'An incomplete frame waited more than 10000 ms; closing.' } }],
      closedBy: 'helper',
    });
    // Half a frame and then EOF: nothing more can come, so it closes without a word.
    assert.deepEqual(await exchange(fx.socketPath, half), { replies: [], closedBy: 'helper' });
  });

  it('refuses connections beyond 16 with busy, and answers a request flood with results or busy, none lost', async () => {
    const MAX_CONNECTIONS = 16;
    const sockets = await Promise.all(Array.from({ length: 100 }, () => new Promise<{ s: Socket; got: Record<string, unknown>[]; closed: boolean }>((resolve) => {
      const s = connect(fx.socketPath);
      const x = { s, got: [] as Record<string, unknown>[], closed: false };
      const dec = new FrameDecoder();
      s.on('data', (c: Buffer) => { for (const f of dec.push(c)) if (f.ok) x.got.push(f.message as Record<string, unknown>); });
      s.on('error', () => {});
      s.on('close', () => { x.closed = true; });
      s.on('connect', () => resolve(x));
    })));
    // Each asks once: an accepted connection answers, a refused one has said busy and closed.
    for (const x of sockets) x.s.write(encodeFrame({ id: 1, method: 'listTunnels', params: {} }));
    const answered = (x: (typeof sockets)[number]) => x.got.some((m) => m.id === 1);
    await waitFor(() => sockets.every((x) => answered(x) || x.closed), 15_000, 'every connection to be answered or closed');
    const accepted = sockets.filter(answered);
    const refused = sockets.filter((x) => !answered(x));
    assert.equal(accepted.length, MAX_CONNECTIONS - openClients, `${openClients} of ours were open already`);
    for (const x of accepted) {
      assert.deepEqual(x.got, [{ id: 1, result: { tunnels: [] } }]);
      assert.equal(x.closed, false, 'an accepted connection stays open');
    }
    for (const x of refused) {
      assert.deepEqual(x.got, [{ id: null, error: { code: 'busy', message: 'Too many connections to the helper; close some and retry.' } }]);
    }
    for (const x of sockets) x.s.destroy();
    // Once the helper has seen them go (asked, not timed), it accepts connections again.
    const listOnce = () => exchange(fx.socketPath, Buffer.from(encodeFrame({ id: 1, method: 'listTunnels', params: {} })));
    await waitFor(async () => (await listOnce()).replies[0]?.result !== undefined, 15_000, 'a free connection slot');
    // A request flood on one connection: each request answered exactly once, with its result or
    // busy beyond the 64 queued; the first 64 always fit the queue.
    const n = 3000;
    const flood = Buffer.concat(Array.from({ length: n }, (_, i) => encodeFrame({ id: i + 1, method: 'status', params: {} })));
    const r = await exchange(fx.socketPath, flood, 30_000);
    assert.equal(r.closedBy, 'helper');
    assert.deepEqual(r.replies.map((m) => m.id).sort((a, b) => Number(a) - Number(b)), Array.from({ length: n }, (_, i) => i + 1));
    const busy = { code: 'busy', message: 'Too many requests at once on this connection (64 queued); wait for replies.' };
    for (const m of r.replies) {
      if ('result' in m) assert.deepEqual(m, { id: m.id, result: { tunnels: [] } });
      else assert.deepEqual(m, { id: m.id, error: busy });
    }
    const served = new Set(r.replies.filter((m) => 'result' in m).map((m) => m.id));
    for (let id = 1; id <= 64; id++) assert.ok(served.has(id), `request ${id} fit the queue but was refused`);
    assert.deepEqual(await app.call('status', {}), { tunnels: [] });
  });

  it('refuses another user: EACCES on the 0600 socket, and SO_PEERCRED refusal if the socket leaked', async () => {
    const script = `
      const net = require('node:net');
      const s = net.connect(process.argv[1]);
      let out = '';
      s.on('error', (e) => { console.log('error:' + e.code); process.exit(0); });
      s.on('connect', () => s.write(Buffer.from([0,0,0,40, ...Buffer.from(JSON.stringify({id:1,method:'listTunnels',params:{}}).padEnd(40))])));
      s.on('data', (d) => { out += d.toString('latin1'); });
      s.on('close', () => { console.log('closed:' + out.replace(/[^ -~]/g, '')); process.exit(0); });
      setTimeout(() => { console.log('timeout:' + out); process.exit(0); }, 5000);`;
    const asNobody = () => new Promise<string>((resolve) => {
      const c = spawn(process.execPath, ['-e', script, fx.socketPath], { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
      let out = '';
      c.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
      c.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
      c.on('exit', () => resolve(out.trim()));
    });
    assert.equal(await asNobody(), 'error:EACCES');
    chmodSync(fx.socketPath, 0o666); // as if the socket had leaked to everyone
    try {
      const out = await asNobody();
      assert.match(out, /^closed:.*"code":"forbidden","message":"This helper serves uid 4242 only\."/);
      assert.doesNotMatch(out, /"tunnels"/, 'no call was served');
    } finally {
      chmodSync(fx.socketPath, 0o600);
    }
    assert.match(fx.helperOutput, /Refused a connection from uid 65534 \(pid \d+\): this helper serves uid 4242 only/);
  });

  it('is trusted by the app only when root owns the directory and the socket is the user own', async () => {
    await assert.rejects(connectHelper(fx.socketPath, { expectedOwnerUid: 1000, reconnect: false }), /belongs to uid 4242, not to uid 1000: that helper serves another user/);
    chmodSync(fx.dir, 0o777);
    try {
      await assert.rejects(connectHelper(fx.socketPath, { expectedOwnerUid: OWNER_UID, reconnect: false }), /is writable by group or others \(mode 777\)/);
    } finally {
      chmodSync(fx.dir, 0o755);
    }
  });

  it('refuses to start in a directory others can write to', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wd-unsafe-'));
    chmodSync(dir, 0o1777);
    try {
      const r = run('sh', ['-c', `ip netns exec ${fx.client.name} ${process.execPath} ${join(repoRoot, 'tunnel-helper/bin/wiredesk-helper')} --owner-uid 1 --socket ${dir}/h.sock --log-dir ${dir}/logs; echo "exit=$?"`]);
      assert.match(r, /exit=1/);
      assert.equal(existsSync(join(dir, 'h.sock')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an app that speaks another protocol version', async () => {
    const err = await app.call('hello', { protocolVersion: 99 }).catch((e: unknown) => e);
    assert.ok(err instanceof ProtocolError);
    assert.equal(err.code, 'unsupported-version');
    assert.match(err.message, /The app speaks protocol 99 and this helper speaks 1/);
  });

  it('refuses bad config text with line-numbered errors, and touches nothing', async () => {
    const p = fx.peers[0]!;
    const text = fx.configFor(p).replace(`PrivateKey = ${p.clientKeys.priv}`, 'PrivateKey = not-a-key').replace('AllowedIPs = 10.240.1.2/32', 'AllowedIPs = 10.240.1.2/33');
    const err = await app.call('up', { name: fx.tunnelName(1), configText: text }).catch((e: unknown) => e);
    assert.ok(err instanceof ProtocolError);
    assert.equal(err.code, 'config-invalid');
    assert.match(err.message, /^The configuration of "wh\w+" has 2 errors:\nline 2:14: .*\nline 7:14: /);
    assert.deepEqual(err.diagnostics?.filter((d) => d.severity === 'error').map((d) => d.line), [2, 7]);
    assert.equal(fx.client.exec('ip', ['-o', 'link']).includes(fx.tunnelName(1)), false);
  });

  it('refuses a second tunnel on the same name or the same default route, and skips hooks per policy', async () => {
    const p = fx.peers[0]!;
    const full = fx.configFor(p, { allowedIps: '0.0.0.0/0', iface: [`PostUp = touch ${fx.dir}/hook-ran`] });
    const a = await app.call('up', { name: fx.tunnelName(1), configText: full });
    assert.deepEqual(a.hooksSkipped.length, 1);
    assert.equal(existsSync(join(fx.dir, 'hook-ran')), false, 'policy says no scripts');
    const same = await app.call('up', { name: fx.tunnelName(1), configText: fx.configFor(p) }).catch((e: unknown) => e);
    assert.ok(same instanceof ProtocolError && same.code === 'conflict');
    assert.match(same.message, /A tunnel named "wh\w+" is already running/);
    const second = await app.call('up', { name: fx.tunnelName(2), configText: fx.configFor(p, { allowedIps: '0.0.0.0/0' }) }).catch((e: unknown) => e);
    assert.ok(second instanceof ProtocolError && second.code === 'conflict');
    assert.match(second.message, /already routes all IPv4 traffic \(0\.0\.0\.0\/0\), and "wh\w+" would route it too; only one tunnel can carry the default route/);
    assert.equal(fx.client.exec('ip', ['-o', 'link']).includes(fx.tunnelName(2)), false);
    await app.call('down', { name: fx.tunnelName(1) });
  });
});
