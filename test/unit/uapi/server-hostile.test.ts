import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { startUapiServer, type UapiServer } from '../../../tunnel-helper/src/uapi/server.js';
import { MemoryDevice } from '../../../tunnel-helper/src/uapi/memory-device.js';
import { uapiRequest } from '../../../tunnel-helper/src/uapi/client.js';
import type { DeviceState, UapiDevice } from '../../../tunnel-helper/src/uapi/device-api.js';
import { CLOSE_WAIT_MS, hexKey, rawExchange, tempSocketDir } from './uapi-test-kit.js';

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
    server = await startUapiServer(path, counting, { maxRequestBytes: 1 << 20, requestTimeoutMs: 300, maxConnections: 200 });
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

  it('drops a client that never sends the blank line', async () => {
    const start = Date.now();
    const r = await rawExchange(path, 'set=1\nlisten_port=1\n', 5000);
    assert.equal(r.closed, true);
    assert.ok(Date.now() - start < 3000, 'closed by the request timeout');
    assert.equal(device.get().listenPort, 0);
    await serving();
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

  it('survives binary garbage', async () => {
    for (let i = 0; i < 50; i++) {
      const r = await rawExchange(path, randomBytes(1 + (i * 997) % 9000), 100);
      assert.ok(r.closed || r.reply === '' || /^errno=-\d+\n\n/.test(r.reply), JSON.stringify(r.reply.slice(0, 40)));
    }
    const r = await rawExchange(path, Buffer.from('set=1\n\x00\xff=\x01\n\n', 'latin1'));
    assert.equal(r.reply, 'errno=-22\n\n');
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

  it('stops reading from a client that floods requests without reading replies', async () => {
    const before = gets;
    const sock = connect(path);
    await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
    const flood = Buffer.from('get=1\n\n'.repeat(100_000));
    sock.write(flood);
    sock.pause(); // never read
    await new Promise((r) => setTimeout(r, 500));
    const served = gets - before;
    assert.ok(served > 0 && served < 50_000, `served ${served} of 100000 while the client did not read`);
    await serving(); // others are still served meanwhile
    sock.destroy();
  });

  it('refuses connections beyond maxConnections without breaking', async () => {
    const tmp2 = tempSocketDir();
    const small = await startUapiServer(tmp2.path('wdbad1'), device, { maxConnections: 2 });
    const idle = [connect(small.path), connect(small.path)];
    await Promise.all(idle.map((s) => new Promise((r) => s.once('connect', r))));
    await new Promise((r) => setTimeout(r, 50));
    const r = await rawExchange(small.path, 'get=1\n\n', CLOSE_WAIT_MS);
    assert.deepEqual(r, { reply: '', closed: true });
    idle.forEach((s) => s.destroy());
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await uapiRequest(small.path, 'get=1\n\n'), 'errno=0\n\n');
    await small.close();
    tmp2.cleanup();
  });
});
