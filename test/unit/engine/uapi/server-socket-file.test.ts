import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync, unlinkSync, writeFileSync, renameSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startUapiServer } from '../../../../tunnel-helper/src/engine/uapi/server.js';
import { uapiSocketPath } from '../../../../tunnel-helper/src/engine/uapi/socket-file.js';
import { MemoryDevice } from '../../../../tunnel-helper/src/engine/uapi/memory-device.js';
import { uapiRequest } from '../../../../tunnel-helper/src/engine/uapi/client.js';
import { tempSocketDir } from './uapi-test-kit.js';

/** A socket file whose listener has gone: what a crashed daemon leaves behind. */
async function staleSocket(path: string): Promise<void> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(path, r));
  await new Promise<void>((r) => {
    // Closing a listener unlinks its path in Node; link it back to look stale.
    const tmp = `${path}.keep`;
    renameSync(path, tmp);
    s.close(() => {
      renameSync(tmp, path);
      r();
    });
  });
}

describe('UAPI socket file', () => {
  it('creates a missing directory 0755 and a root-only socket (0700)', async () => {
    const tmp = tempSocketDir();
    const path = join(tmp.dir, 'run', 'wireguard', 'wdsock0.sock');
    const server = await startUapiServer(path, new MemoryDevice());
    try {
      assert.equal(statSync(join(tmp.dir, 'run', 'wireguard')).mode & 0o777, 0o755);
      const st = statSync(path);
      assert.ok(st.isSocket());
      assert.equal(st.mode & 0o777, 0o700);
    } finally {
      await server.close();
      tmp.cleanup();
    }
  });

  it('leaves the process umask as it was', async () => {
    const tmp = tempSocketDir();
    const before = process.umask();
    const server = await startUapiServer(tmp.path('wdsock1'), new MemoryDevice());
    assert.equal(process.umask(), before);
    await server.close();
    tmp.cleanup();
  });

  it('replaces a stale socket left by a dead daemon', async () => {
    const tmp = tempSocketDir();
    const path = tmp.path('wdsock2');
    await staleSocket(path);
    assert.ok(statSync(path).isSocket());
    const server = await startUapiServer(path, new MemoryDevice());
    assert.equal(await uapiRequest(path, 'get=1\n\n'), 'errno=0\n\n');
    await server.close();
    tmp.cleanup();
  });

  it('refuses to start while another daemon serves the path', async () => {
    const tmp = tempSocketDir();
    const path = tmp.path('wdsock3');
    const first = await startUapiServer(path, new MemoryDevice());
    await assert.rejects(startUapiServer(path, new MemoryDevice()), (err: NodeJS.ErrnoException) => err.code === 'EADDRINUSE');
    assert.equal(await uapiRequest(path, 'get=1\n\n'), 'errno=0\n\n'); // the first is unharmed
    await first.close();
    tmp.cleanup();
  });

  it('refuses a path that is not a socket instead of deleting it', async () => {
    const tmp = tempSocketDir();
    const path = tmp.path('wdsock4');
    writeFileSync(path, 'precious');
    await assert.rejects(startUapiServer(path, new MemoryDevice()), /not a socket/);
    assert.ok(existsSync(path));
    tmp.cleanup();
  });

  it('reports the socket file being deleted, once', async () => {
    const tmp = tempSocketDir();
    const path = tmp.path('wdsock5');
    const server = await startUapiServer(path, new MemoryDevice(), { watchIntervalMs: 50 });
    let calls = 0;
    const gone = new Promise<void>((resolve) => server.onSocketRemoved(() => {
      calls++;
      resolve();
    }));
    unlinkSync(path);
    await gone;
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(calls, 1);
    let late = false;
    server.onSocketRemoved(() => (late = true));
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(late, true, 'a callback registered afterwards still runs');
    await server.close();
    tmp.cleanup();
  });

  it('reports the socket file being replaced by another daemon, and leaves that one alone on close', async () => {
    const tmp = tempSocketDir();
    const path = tmp.path('wdsock6');
    const server = await startUapiServer(path, new MemoryDevice(), { watchIntervalMs: 50 });
    const gone = new Promise<void>((resolve) => server.onSocketRemoved(resolve));
    unlinkSync(path);
    const other = createServer();
    await new Promise<void>((r) => other.listen(path, r));
    await gone;
    await server.close();
    assert.ok(statSync(path).isSocket(), 'the new daemon keeps its socket');
    await new Promise<void>((r) => other.close(() => r()));
    tmp.cleanup();
  });

  it('removes its socket file on close, and close is idempotent', async () => {
    const tmp = tempSocketDir();
    const path = tmp.path('wdsock7');
    const server = await startUapiServer(path, new MemoryDevice());
    await Promise.all([server.close(), server.close()]);
    assert.equal(existsSync(path), false);
    tmp.cleanup();
  });

  it('names sockets as wg(8) finds them and rejects names it could not reach', () => {
    assert.equal(uapiSocketPath('wg0'), '/var/run/wireguard/wg0.sock');
    for (const bad of ['', 'a/b', '..', 'sixteen-chars-xx', 'a b']) assert.throws(() => uapiSocketPath(bad), /not a valid interface name/);
  });
});
