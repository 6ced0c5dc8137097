// A spare engine's UAPI listener: bound at a private name before the engine
// knows its interface, then linked in at IFNAME.sock. Before that nothing
// answers at the path and the private name serves nobody; afterwards the
// private name is gone. Names left by dead engines are cleared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listenUapi, startUapiServer } from '../../../../tunnel-helper/src/engine/uapi/server.js';
import { MemoryDevice } from '../../../../tunnel-helper/src/engine/uapi/memory-device.js';
import { uapiRequest } from '../../../../tunnel-helper/src/engine/uapi/client.js';
import { probeSocket } from '../../../../tunnel-helper/src/engine/uapi/socket-file.js';
import { tempSocketDir } from './uapi-test-kit.js';

const privateNames = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.sock.tmp'));

test('a listener serves nobody until it is published, then serves at the path alone', async () => {
  const tmp = tempSocketDir();
  try {
    const path = tmp.path('wdearly0');
    const listener = await listenUapi(tmp.dir);
    const [bound] = privateNames(tmp.dir);
    assert.ok(bound, 'bound at a private name');
    assert.equal(statSync(join(tmp.dir, bound)).mode & 0o777, 0o700);
    assert.equal(await probeSocket(path), 'absent', 'nothing at the path before publishing');
    await assert.rejects(uapiRequest(join(tmp.dir, bound), 'get=1\n\n', { timeoutMs: 2000 }), 'the private name answers no request');

    const server = await listener.publish(path, new MemoryDevice());
    await listener.close(); // a late discard must not close what now serves
    assert.equal(await uapiRequest(path, 'set=1\nfwmark=3\n\n'), 'errno=0\n\n');
    assert.match(await uapiRequest(path, 'get=1\n\n'), /^fwmark=3\n/);
    assert.deepEqual(privateNames(tmp.dir), [], 'the private name is gone');
    await server.close();
    assert.equal(existsSync(path), false);
  } finally {
    tmp.cleanup();
  }
});

test('a listener never published removes its private name when closed', async () => {
  const tmp = tempSocketDir();
  try {
    const listener = await listenUapi(tmp.dir);
    assert.equal(privateNames(tmp.dir).length, 1);
    await listener.close();
    assert.deepEqual(privateNames(tmp.dir), []);
  } finally {
    tmp.cleanup();
  }
});

test('publishing over a live daemon is refused, and the listener closes', async () => {
  const tmp = tempSocketDir();
  try {
    const path = tmp.path('wdearly1');
    const live = await startUapiServer(path, new MemoryDevice());
    const listener = await listenUapi(tmp.dir);
    await assert.rejects(listener.publish(path, new MemoryDevice()), /in use by another running daemon/);
    assert.deepEqual(privateNames(tmp.dir), []);
    assert.equal(await uapiRequest(path, 'get=1\n\n'), 'errno=0\n\n', 'the live daemon still serves');
    await live.close();
  } finally {
    tmp.cleanup();
  }
});

test('names left by engines that died are cleared; a live one\'s stays', async () => {
  const tmp = tempSocketDir();
  try {
    const dead = join(tmp.dir, '.999999999-0.sock.tmp');
    const alive = join(tmp.dir, `.${process.ppid}-0.sock.tmp`);
    writeFileSync(dead, '');
    writeFileSync(alive, '');
    const listener = await listenUapi(tmp.dir);
    assert.equal(existsSync(dead), false);
    assert.equal(existsSync(alive), true);
    await listener.close();
  } finally {
    tmp.cleanup();
  }
});
