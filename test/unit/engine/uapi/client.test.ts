import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { startUapiServer, type UapiServer } from '../../../../tunnel-helper/src/engine/uapi/server.js';
import { MemoryDevice } from '../../../../tunnel-helper/src/engine/uapi/memory-device.js';
import { listInterfaces, uapiGet, uapiRequest, uapiSet } from '../../../../tunnel-helper/src/engine/uapi/client.js';
import { UapiError } from '../../../../tunnel-helper/src/engine/uapi/errors.js';
import { hexKey, keyOf, tempSocketDir } from './uapi-test-kit.js';

describe('UAPI client', () => {
  const tmp = tempSocketDir();
  const opts = { directory: tmp.dir };
  let server: UapiServer;
  before(async () => {
    server = await startUapiServer(tmp.path('wdcli0'), new MemoryDevice());
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('sets with body text and reads the state back', async () => {
    await uapiSet('wdcli0', `private_key=${hexKey(0x41)}\nlisten_port=51820\npublic_key=${hexKey(0xaa)}\nendpoint=[fd00::1]:9\nallowed_ip=10.0.0.0/8`, opts);
    const state = await uapiGet('wdcli0', opts);
    assert.equal(state.listenPort, 51820);
    assert.deepEqual(state.privateKey, keyOf(0x41).map((b, i) => (i === 0 ? b & 248 : i === 31 ? (b & 127) | 64 : b)));
    assert.equal(state.peers.length, 1);
    assert.equal(state.peers[0]?.endpoint, '[fd00::1]:9');
    assert.deepEqual(state.peers[0]?.allowedIps, ['10.0.0.0/8']);
  });

  it('sets with a SetRequest', async () => {
    await uapiSet('wdcli0', { replacePeers: true, fwmark: 3, peers: [] }, opts);
    const state = await uapiGet('wdcli0', opts);
    assert.deepEqual([state.fwmark, state.peers.length], [3, 0]);
  });

  it('accepts a whole request text, and an empty one', async () => {
    await uapiSet('wdcli0', 'set=1\nfwmark=4\n\n', opts);
    assert.equal((await uapiGet('wdcli0', opts)).fwmark, 4);
    await uapiSet('wdcli0', '', opts);
    assert.equal((await uapiGet('wdcli0', opts)).fwmark, 4);
  });

  it('throws the errno the device sent', async () => {
    await assert.rejects(uapiSet('wdcli0', 'listen_port=70000', opts), (err: unknown) => err instanceof UapiError && err.errno === 22);
    await assert.rejects(uapiSet('wdcli0', 'listen_port', opts), (err: unknown) => err instanceof UapiError && err.errno === 71);
  });

  it('fails clearly when nothing listens', async () => {
    await assert.rejects(uapiGet('wdnone', opts), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
  });

  it('times out on a daemon that never answers', async () => {
    const mute = createServer((s) => s.resume()); // reads, never answers
    await new Promise<void>((r) => mute.listen(tmp.path('wdmute'), r));
    await assert.rejects(uapiRequest(tmp.path('wdmute'), 'get=1\n\n', { timeoutMs: 100 }), /no reply/);
    await new Promise<void>((r) => mute.close(() => r()));
  });

  it('lists live interfaces, skips other files and unlinks stale sockets like wg(8)', async () => {
    writeFileSync(tmp.path('notasocket'), '');
    const stale = createServer();
    await new Promise<void>((r) => stale.listen(tmp.path('wdstale'), r));
    renameSync(tmp.path('wdstale'), `${tmp.path('wdstale')}.keep`);
    await new Promise<void>((r) => stale.close(() => r()));
    renameSync(`${tmp.path('wdstale')}.keep`, tmp.path('wdstale'));
    assert.deepEqual(await listInterfaces(opts), ['wdcli0']);
    assert.equal(existsSync(tmp.path('wdstale')), false);
    assert.equal(existsSync(tmp.path('notasocket')), true);
  });

  it('lists nothing when the directory does not exist', async () => {
    assert.deepEqual(await listInterfaces({ directory: `${tmp.dir}/missing` }), []);
  });
});
