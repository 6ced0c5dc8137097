// Hostile clients on the UAPI socket. Each case asserts exactly what the
// protocol promises (connection.ts, after wg-go's device/uapi.go IpcHandle):
//   unknown operation line, or get=1 not followed by its blank line  errno=-22 (EINVAL), closed
//   a line longer than maxLineBytes                                   errno=-5 (EIO), closed
//   a set request larger than maxRequestBytes                         errno=-90 (EMSGSIZE), closed
//   a bad set line: no '=' / anything else                            errno=-71 / -22 after the blank line, stays open
//   EOF in the middle of a request                                    errno=-71 (EPROTO), closed, nothing applied
//   EOF in the middle of an operation line                            closed without a reply (as wg-go)
//   silence in the middle of a request for requestTimeoutMs           closed without a reply, nothing applied
// No assertion here is on elapsed time: waits only stop a hang.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { startUapiServer, type UapiServer } from '../../../../tunnel-helper/src/engine/uapi/server.js';
import { serveConnection, type ConnectionLimits } from '../../../../tunnel-helper/src/engine/uapi/connection.js';
import { MemoryDevice } from '../../../../tunnel-helper/src/engine/uapi/memory-device.js';
import { uapiRequest } from '../../../../tunnel-helper/src/engine/uapi/client.js';
import type { DeviceState, UapiDevice } from '../../../../tunnel-helper/src/engine/uapi/device-api.js';
import { CLOSE_WAIT_MS, hexKey, rawExchange, tempSocketDir, type RawResult } from './uapi-test-kit.js';

const MAX_LINE = 4096;

/** A small deterministic PRNG (mulberry32): the same garbage on every run. */
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

/**
 * Writes `data`, half-closes (as a client that has said all it will), and
 * collects the reply until the server closes. `closed: false` means the
 * server had not closed after `waitMs` of silence, which only stops a hang.
 */
function sendAndEnd(path: string, data: string | Buffer, waitMs = CLOSE_WAIT_MS): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const sock = connect({ path, allowHalfOpen: true });
    const parts: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = (closed: boolean): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ reply: Buffer.concat(parts).toString('latin1'), closed });
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => done(false), waitMs);
    };
    sock.on('connect', () => {
      sock.end(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
      arm();
    });
    sock.on('data', (d: Buffer) => {
      parts.push(d);
      arm();
    });
    sock.on('end', () => done(true));
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET') done(true);
      else reject(err);
    });
  });
}

/**
 * What the server owes a client that sends `bytes` and half-closes, when
 * `bytes` do not start with a valid operation: only the first line counts,
 * because every outcome closes the connection there.
 */
function expectedForGarbage(bytes: Buffer): RawResult & { why: string } {
  const nl = bytes.indexOf(10);
  const lineLength = nl === -1 ? bytes.length : nl;
  if (lineLength > MAX_LINE) return { reply: 'errno=-5\n\n', closed: true, why: 'EIO' };
  if (nl === -1) return { reply: '', closed: true, why: 'half a line' };
  const op = bytes.toString('latin1', 0, nl);
  assert.ok(op !== 'get=1' && op !== 'set=1', 'the garbage is a valid operation: pick another seed');
  return { reply: 'errno=-22\n\n', closed: true, why: 'EINVAL' };
}

describe('UAPI server: hostile clients', () => {
  const tmp = tempSocketDir();
  const path = tmp.path('wdbad0');
  const device = new MemoryDevice();
  let gets = 0;
  const counting: UapiDevice = {
    get: (): DeviceState => {
      gets++;
      return device.get();
    },
    set: (req) => device.set(req),
  };
  let server: UapiServer;
  const serving = async (): Promise<void> => {
    assert.match(await uapiRequest(path, 'get=1\n\n'), /errno=0\n\n$/);
  };
  before(async () => {
    server = await startUapiServer(path, counting, { maxLineBytes: MAX_LINE, maxRequestBytes: 1 << 20, requestTimeoutMs: 300, maxConnections: 200 });
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('closes on an overlong line with -EIO, then keeps serving', async () => {
    const r = await rawExchange(path, `set=1\nlisten_port=${'1'.repeat(10_000)}\n\n`, CLOSE_WAIT_MS);
    assert.deepEqual(r, { reply: 'errno=-5\n\n', closed: true });
    const r2 = await rawExchange(path, 'x'.repeat(5000), CLOSE_WAIT_MS); // no newline at all
    assert.deepEqual(r2, { reply: 'errno=-5\n\n', closed: true });
    await serving();
  });

  it('closes on a request over the size cap with -EMSGSIZE, applying nothing', async () => {
    const applied = device.history.length;
    const lines = [`public_key=${hexKey(1)}`];
    for (let i = 0; i < 60_000; i++) lines.push(`allowed_ip=10.${(i >> 8) & 255}.${i & 255}.0/24`);
    const r = await rawExchange(path, `set=1\n${lines.join('\n')}\n\n`, CLOSE_WAIT_MS);
    assert.deepEqual(r, { reply: 'errno=-90\n\n', closed: true });
    assert.equal(device.history.length, applied);
    await serving();
  });

  it('drops a client that never sends the blank line: no reply, nothing applied', async () => {
    // Closed by the 300 ms request timeout; the 5 s wait only stops a hang (the next test
    // checks that the timer is the request timeout, armed mid-request only).
    const r = await rawExchange(path, 'set=1\nlisten_port=1\n', CLOSE_WAIT_MS);
    assert.deepEqual(r, { reply: '', closed: true });
    assert.equal(device.get().listenPort, 0);
    await serving();
  });

  it('arms requestTimeoutMs in the middle of a request only, and its expiry closes without applying', async () => {
    const tmp2 = tempSocketDir();
    const own = new MemoryDevice();
    const limits: ConnectionLimits = { maxLineBytes: MAX_LINE, maxRequestBytes: 1 << 20, requestTimeoutMs: 300, idleTimeoutMs: 0 };
    let accepted!: (s: Socket) => void;
    const serverSide = new Promise<Socket>((resolve) => { accepted = resolve; });
    const srv = createServer({ allowHalfOpen: true }, (s) => {
      serveConnection(s, own, limits, (op) => op(), () => {});
      accepted(s);
    });
    await new Promise<void>((resolve) => srv.listen(tmp2.path('wdbad2'), resolve));
    const client = connect(tmp2.path('wdbad2'));
    let reply = '';
    client.on('data', (d: Buffer) => { reply += d.toString('latin1'); });
    const clientClosed = new Promise<void>((resolve) => client.on('close', () => resolve()));
    try {
      const s = await serverSide;
      // The socket's timeout after the server has handled each piece (this listener runs after serveConnection's).
      const timeoutAfter = (piece: string): Promise<number | undefined> => new Promise((resolve) => {
        s.once('data', () => resolve(s.timeout));
        client.write(piece);
      });
      assert.equal(await timeoutAfter('get=1\n'), 300, 'a request has begun');
      assert.equal(await timeoutAfter('\n'), 0, 'no timeout while the device call runs');
      while (!reply.endsWith('errno=0\n\n')) await new Promise((r) => setImmediate(r));
      assert.equal(s.timeout, 0, 'none between requests, as in wg-go');
      assert.equal(await timeoutAfter('set=1\n'), 300);
      assert.equal(await timeoutAfter('listen_port=7\n'), 300);
      s.emit('timeout'); // the deadline passes
      await clientClosed;
      assert.equal(reply, 'errno=0\n\n', 'nothing is said about the abandoned request');
      assert.equal(own.get().listenPort, 0);
      assert.equal(own.history.length, 0);
    } finally {
      client.destroy();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
      tmp2.cleanup();
    }
  });

  it('survives clients that disconnect in the middle of a request', async () => {
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const sock = connect(path, () => {
          sock.write(`set=1\n${i % 2 ? 'listen_port=5\n' : `public_key=${hexKey(2)}\nallowed_ip=1.2`}`);
          sock.destroy();
          resolve();
        });
      });
    }
    await serving();
    assert.equal(device.get().listenPort, 0);
    assert.equal(device.get().peers.length, 0);
  });

  it('answers each kind of bad input with its errno, and closes exactly when the protocol says', async () => {
    const applied = device.history.length;
    const cases: [string, string | Buffer, RawResult][] = [
      ['an unknown operation', 'bogus=1\n', { reply: 'errno=-22\n\n', closed: true }],
      ['an empty operation line', '\n', { reply: 'errno=-22\n\n', closed: true }],
      ['an operation line ending in CRLF (only set lines may)', 'get=1\r\n\n', { reply: 'errno=-22\n\n', closed: true }],
      ['get=1 followed by anything but its blank line', 'get=1\nX\n', { reply: 'errno=-22\n\n', closed: true }],
      ['garbage after a complete get', 'get=1\n\nbogus\n', { reply: 'errno=0\n\nerrno=-22\n\n', closed: true }],
      ['a set key that is not a key', Buffer.from('set=1\n\x00\xff=\x01\n\nget=1\n\n', 'latin1'), { reply: 'errno=-22\n\nerrno=0\n\n', closed: true }],
      ['a set line without "="', 'set=1\nno equals sign\n\nget=1\n\n', { reply: 'errno=-71\n\nerrno=0\n\n', closed: true }],
      ['EOF before the blank line of a set', 'set=1\nlisten_port=1\n', { reply: 'errno=-71\n\n', closed: true }],
      ['EOF before the blank line of a get', 'get=1\n', { reply: 'errno=-71\n\n', closed: true }],
      ['EOF in the middle of the operation line', 'x'.repeat(100), { reply: '', closed: true }],
      ['a line of exactly maxLineBytes', `${'x'.repeat(MAX_LINE)}\n`, { reply: 'errno=-22\n\n', closed: true }],
      ['a line one byte over maxLineBytes', `${'x'.repeat(MAX_LINE + 1)}\n`, { reply: 'errno=-5\n\n', closed: true }],
    ];
    for (const [what, data, want] of cases) assert.deepEqual(await sendAndEnd(path, data), want, what);
    assert.equal(device.history.length, applied, 'nothing was applied');
    assert.equal(device.get().listenPort, 0);
    await serving();
  });

  it('answers binary garbage by what its first line is: -EIO if overlong, -EINVAL if not an operation, silence if cut off', async () => {
    const rnd = prng(0x5eed);
    const seen = new Map<string, number>();
    for (let i = 0; i < 50; i++) {
      // Every third one has no newline at all, so long ones overrun the line limit.
      const byte = i % 3 === 0 ? () => { const b = Math.floor(rnd() * 255); return b >= 10 ? b + 1 : b; } : () => Math.floor(rnd() * 256);
      const bytes = Buffer.from(Array.from({ length: 1 + (i * 997) % 9000 }, byte));
      const { why, ...want } = expectedForGarbage(bytes);
      seen.set(why, (seen.get(why) ?? 0) + 1);
      assert.deepEqual(await sendAndEnd(path, bytes), want, `garbage ${i} (${bytes.length} bytes, ${why})`);
    }
    assert.deepEqual([...seen.keys()].sort(), ['EINVAL', 'EIO', 'half a line'], 'the garbage covers every outcome');
    assert.equal(device.get().listenPort, 0);
    await serving();
  });

  it('handles 1000 rapid connections', async () => {
    const before = gets;
    for (let batch = 0; batch < 20; batch++) {
      const replies = await Promise.all(Array.from({ length: 50 }, () => uapiRequest(path, 'get=1\n\n')));
      for (const reply of replies) assert.equal(reply, 'errno=0\n\n');
    }
    assert.equal(gets - before, 1000);
  });

  it('stops reading from a client that floods requests without reading replies, and serves the rest once it reads', async () => {
    const N = 100_000;
    const before = gets;
    let probes = 0;
    const flooderServed = () => gets - before - probes;
    const sock = connect(path);
    await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
    sock.pause(); // never read, for now
    sock.write(Buffer.from('get=1\n\n'.repeat(N)));
    // Other clients are served meanwhile. The server handles a whole chunk of the flood per
    // turn of the event loop unless it has stopped reading, so once the flooder's count stays
    // put across 20 requests of others, the server has stopped reading from it. (A count, not
    // a time: the loop bound only stops a hang.)
    let last = -1;
    let still = 0;
    for (let i = 0; i < 5000 && still < 20; i++) {
      await serving();
      probes++;
      const now = flooderServed();
      still = now === last ? still + 1 : 0;
      last = now;
    }
    assert.equal(still, 20, `the flooder's count never settled (${last} served)`);
    assert.ok(last > 0 && last < N, `served ${last} of ${N} requests while the client did not read`);
    // Once it reads, every request is answered, in order, and none is lost.
    let received = 0;
    let wrong = false;
    const want = Buffer.from('errno=0\n\n');
    let carry: Buffer = Buffer.alloc(0);
    const all = new Promise<void>((resolve) => {
      sock.on('data', (d: Buffer) => {
        let buf: Buffer = carry.length ? Buffer.concat([carry, d]) : d;
        while (buf.length >= want.length) {
          if (!buf.subarray(0, want.length).equals(want)) wrong = true;
          received++;
          buf = buf.subarray(want.length);
        }
        carry = buf;
        if (received >= N) resolve();
      });
    });
    sock.resume();
    await all;
    assert.equal(wrong, false, 'every reply is errno=0');
    assert.equal(received, N);
    assert.equal(flooderServed(), N);
    sock.destroy();
  });

  it('refuses connections beyond maxConnections without breaking', async () => {
    const tmp2 = tempSocketDir();
    const small = await startUapiServer(tmp2.path('wdbad1'), device, { maxConnections: 2 });
    const idle = [connect(small.path), connect(small.path)];
    await Promise.all(idle.map((s) => new Promise((r) => s.once('connect', r))));
    // The server accepts in connection order, so this third one is over the limit: closed at once, no reply.
    const r = await rawExchange(small.path, 'get=1\n\n', CLOSE_WAIT_MS);
    assert.deepEqual(r, { reply: '', closed: true });
    idle.forEach((s) => s.destroy());
    // Once the server has seen them go, it serves again (tries counted, not timed).
    let served: RawResult = { reply: '', closed: true };
    for (let i = 0; i < 500 && served.reply === ''; i++) served = await sendAndEnd(small.path, 'get=1\n\n');
    assert.deepEqual(served, { reply: 'errno=0\n\n', closed: true });
    await small.close();
    tmp2.cleanup();
  });
});
