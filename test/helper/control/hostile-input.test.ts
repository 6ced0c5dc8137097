// Bad input on the control socket: fuzzed frames, floods, a second user, an
// app from the future, conflicting and invalid configs. The helper answers
// or closes that one connection, and keeps serving everyone else.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectHelper, type HelperClient } from '../../../tunnel-helper/src/control/client.js';
import { FrameDecoder, MAX_FRAME_BYTES, encodeFrame } from '../../../tunnel-helper/src/control/frame.js';
import { ProtocolError } from '../../../tunnel-helper/src/control/protocol.js';
import { hasCommand, isRoot, run } from '../../support/netns.js';
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

/** A frame the helper answers and reads on after (fatal = false), or one that ends the connection. */
function fuzzFrame(rnd: () => number, fatalAllowed: boolean): { bytes: Buffer; fatal: boolean } {
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
    case 0: return { bytes: junk(Math.floor(rnd() * 64)), fatal: true }; // raw garbage: may read as any length
    case 1: return { bytes: be32(MAX_FRAME_BYTES + 1 + Math.floor(rnd() * 0x7fffffff)), fatal: true };
    case 2: { // truncated: promises more than it sends
      const body = Buffer.from(JSON.stringify({ id: 1, method: 'hello', params: { protocolVersion: 1 } }));
      return { bytes: Buffer.concat([be32(body.length + 10), body]), fatal: true };
    }
    case 3: { const body = junk(Math.floor(rnd() * 100)); return { bytes: Buffer.concat([be32(body.length), body]), fatal: false }; }
    default: {
      const msg = rnd() < 0.2 ? value(0) : {
        id: pick([Math.floor(rnd() * 1000), -1, 'id', null, 2 ** 40, 1.5]),
        method: pick(['hello', 'listTunnels', 'up', 'down', 'status', 'setOptions', 'logs', 'shutdown', '', '__proto__', 'hasOwnProperty']),
        params: value(0),
        ...(rnd() < 0.1 ? { extra: 1 } : {}),
      };
      return { bytes: Buffer.from(encodeFrame(msg)), fatal: false };
    }
  }
}

/** Writes `bytes`, half-closes, and collects replies until the helper closes (bounded). */
function exchange(path: string, bytes: Buffer, timeoutMs = 15_000): Promise<{ replies: Record<string, unknown>[]; closedBy: string }> {
  return new Promise((resolve) => {
    const s: Socket = connect(path);
    const dec = new FrameDecoder();
    const replies: Record<string, unknown>[] = [];
    const done = (closedBy: string) => { clearTimeout(timer); s.destroy(); resolve({ replies, closedBy }); };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    s.on('data', (c: Buffer) => { for (const f of dec.push(c)) if (f.ok) replies.push(f.message as Record<string, unknown>); });
    s.on('error', () => {});
    s.on('close', () => done('helper'));
    s.on('connect', () => s.end(bytes));
  });
}

describe('the control socket under hostile input', { skip }, () => {
  let fx: HelperFixture;
  let app: HelperClient;

  before(async () => {
    fx = new HelperFixture();
    fx.addPeer(1);
    await fx.startHelper();
    app = await fx.connect();
  });
  after(() => fx?.destroy());

  it('survives thousands of fuzzed, truncated and oversize frames, then still says hello', async () => {
    const seed = Number(process.env.WIREDESK_FUZZ_SEED ?? Date.now() % 100000);
    const rnd = prng(seed);
    let frames = 0;
    let replies = 0;
    const started = Date.now();
    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 8 }, async () => {
        const parts: Buffer[] = [];
        for (let i = 0; i < 60; i++, frames++) parts.push(fuzzFrame(rnd, false).bytes);
        // Half the connections end with a frame that cannot be read past: garbage, oversize or truncated.
        const endsBadly = rnd() < 0.5;
        if (endsBadly) { parts.push(fuzzFrame(rnd, true).bytes); frames++; }
        const r = await exchange(fx.socketPath, Buffer.concat(parts));
        replies += r.replies.length;
        // Every readable frame gets exactly one reply; a bad ending adds at most one.
        assert.ok(r.replies.length >= 60 && r.replies.length <= 61, `seed ${seed}: ${r.replies.length} replies to 60 frames (${r.closedBy})`);
        for (const m of r.replies) assert.ok('result' in m || 'error' in m, `seed ${seed}: ${JSON.stringify(m).slice(0, 200)}`);
      }));
    }
    // A 1 MiB frame of valid JSON that is not a request.
    const big = await exchange(fx.socketPath, Buffer.from(encodeFrame('y'.repeat(MAX_FRAME_BYTES - 2))));
    assert.deepEqual(big.replies.map((m) => (m.error as { code: string }).code), ['bad-request']);
    assert.ok(fx.helperAlive, `seed ${seed}: the helper died: ${fx.helperOutput.slice(-2000)}`);
    const fresh = await fx.connect();
    assert.equal(fresh.helloResult?.protocolVersion, 1);
    assert.deepEqual(await app.call('listTunnels', {}), { tunnels: [] }, 'the long-lived client was not disturbed');
    process.stdout.write(`# fuzz seed ${seed}: ${frames} frames over 80 connections, ${replies} replies, ${Date.now() - started} ms\n`);
  });

  it('closes a connection that sends half a frame and stops', async () => {
    const body = Buffer.from('{"id":1,"method":"hello"');
    const s = connect(fx.socketPath);
    let said = '';
    s.on('error', () => {});
    s.on('data', (d: Buffer) => { said += d.subarray(4).toString(); });
    s.write(Buffer.concat([be32(body.length + 50), body]));
    const closed = await new Promise<number>((resolve) => {
      const t0 = Date.now();
      s.on('close', () => resolve(Date.now() - t0));
      setTimeout(() => resolve(-1), 15_000);
    });
    assert.ok(closed > 5_000 && closed < 15_000, `closed after ${closed} ms`);
    assert.match(said, /"code":"bad-frame","message":"An incomplete frame waited more than 10000 ms; closing\."/);
  });

  it('bounds a flood of connections and requests, and keeps serving', async () => {
    const sockets = await Promise.all(Array.from({ length: 100 }, () => new Promise<{ s: Socket; got: string[] }>((resolve) => {
      const s = connect(fx.socketPath);
      const got: string[] = [];
      const dec = new FrameDecoder();
      s.on('data', (c: Buffer) => { for (const f of dec.push(c)) if (f.ok) got.push(JSON.stringify(f.message)); });
      s.on('error', () => {});
      s.on('connect', () => resolve({ s, got }));
    })));
    await new Promise((r) => setTimeout(r, 500));
    const busy = sockets.filter((x) => x.got.some((g) => g.includes('"busy"') && g.includes('Too many connections'))).length;
    assert.ok(busy >= 80, `${busy} of 100 extra connections were told the helper is busy`);
    for (const x of sockets) x.s.destroy();
    // A request flood on one connection: all answered (busy beyond the queue), none lost.
    const n = 3000;
    const flood = Buffer.concat(Array.from({ length: n }, (_, i) => encodeFrame({ id: i + 1, method: 'status', params: {} })));
    const r = await exchange(fx.socketPath, flood, 30_000);
    assert.equal(r.replies.length, n);
    assert.ok(r.replies.every((m) => 'result' in m || (m.error as { code: string }).code === 'busy'));
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
