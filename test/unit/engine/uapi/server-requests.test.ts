import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startUapiServer, type UapiServer } from '../../../../tunnel-helper/src/engine/uapi/server.js';
import { MemoryDevice } from '../../../../tunnel-helper/src/engine/uapi/memory-device.js';
import { uapiRequest } from '../../../../tunnel-helper/src/engine/uapi/client.js';
import { Errno, UapiError } from '../../../../tunnel-helper/src/engine/uapi/errors.js';
import type { DeviceState, SetRequest, UapiDevice } from '../../../../tunnel-helper/src/engine/uapi/device-api.js';
import { CLOSE_WAIT_MS, hexKey, rawExchange, tempSocketDir } from './uapi-test-kit.js';

const PEER_A = `public_key=${hexKey(0xaa)}`;

describe('UAPI server: requests', () => {
  const tmp = tempSocketDir();
  const path = tmp.path('wdreq0');
  const device = new MemoryDevice();
  let server: UapiServer;
  before(async () => {
    server = await startUapiServer(path, device);
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('answers get=1 on a fresh device with only the terminator', async () => {
    assert.equal(await uapiRequest(path, 'get=1\n\n'), 'errno=0\n\n');
  });

  it('applies a set and reports it in the next get', async () => {
    const reply = await uapiRequest(path, `set=1\nlisten_port=51820\n${PEER_A}\nallowed_ip=10.0.0.1/8\n\n`);
    assert.equal(reply, 'errno=0\n\n');
    const state = await uapiRequest(path, 'get=1\n\n');
    assert.match(state, /^listen_port=51820\npublic_key=a{64}\n[\s\S]*allowed_ip=10\.0\.0\.0\/8\nerrno=0\n\n$/);
  });

  it('serves several requests on one connection, even written in one go', async () => {
    const { reply, closed } = await rawExchange(path, 'get=1\n\nset=1\nfwmark=7\n\nget=1\n\nset=1\nfwmark=0\n\n');
    assert.equal(closed, false);
    const parts = reply.split('errno=0\n\n');
    assert.equal(parts.length, 5, reply);
    assert.doesNotMatch(parts[0] ?? '', /fwmark/);
    assert.match(parts[2] ?? '', /^listen_port=51820\nfwmark=7\n/);
  });

  it('reads a request delivered one byte at a time', async () => {
    const bytes = [...'set=1\nfwmark=9\n\nget=1\n\n'];
    const { reply } = await rawExchange(path, bytes);
    assert.match(reply, /^errno=0\n\nlisten_port=51820\nfwmark=9\n/);
    await uapiRequest(path, 'set=1\nfwmark=0\n\n');
  });

  it('leaves the device untouched when any line of a set is bad, and keeps the connection', async () => {
    const before = await uapiRequest(path, 'get=1\n\n');
    const applied = device.history.length;
    const { reply, closed } = await rawExchange(path, `set=1\nlisten_port=1\n${PEER_A}\nremove=true\nallowed_ip=1.2.3.4/33\n\nget=1\n\n`);
    assert.equal(closed, false);
    assert.equal(reply, `errno=-22\n\n${before}`);
    assert.equal(device.history.length, applied);
  });

  it('accepts CRLF set lines and a lone CR as the blank line, as wg-go does', async () => {
    const { reply } = await rawExchange(path, 'set=1\nfwmark=5\r\n\r\nget=1\n\n');
    assert.match(reply, /^errno=0\n\nlisten_port=51820\nfwmark=5\n/);
    assert.equal(await uapiRequest(path, 'set=1\nfwmark=0\n\n'), 'errno=0\n\n');
  });

  it('sends EPROTO for a line with no "=" and EINVAL for a bad get', async () => {
    assert.equal(await uapiRequest(path, 'set=1\nnonsense\n\n'), 'errno=-71\n\n');
    const { reply, closed } = await rawExchange(path, 'get=1\nx\n', CLOSE_WAIT_MS);
    assert.deepEqual({ reply, closed }, { reply: 'errno=-22\n\n', closed: true });
  });

  it('refuses an unknown operation with -EINVAL and closes', async () => {
    for (const first of ['foo=1\n', 'set=1\r\n', 'set=2\n', '\n', 'GET=1\n', 'get=1 \n']) {
      const r = await rawExchange(path, first, CLOSE_WAIT_MS);
      assert.deepEqual(r, { reply: 'errno=-22\n\n', closed: true }, first);
    }
  });

  it('applies nothing from a request cut off by EOF, and says -EPROTO', async () => {
    const applied = device.history.length;
    const reply = await halfClose(path, 'set=1\nlisten_port=9\n');
    assert.equal(reply, 'errno=-71\n\n');
    assert.equal(device.history.length, applied);
  });

  it('still answers a complete request followed by EOF (printf | socat)', async () => {
    const reply = await halfClose(path, 'get=1\n\n');
    assert.match(reply, /^listen_port=51820\n[\s\S]*errno=0\n\n$/);
  });
});

describe('UAPI server: device errors and ordering', () => {
  const tmp = tempSocketDir();
  const path = tmp.path('wdreq1');
  const calls: string[] = [];
  let failWith: unknown = null;
  const device: UapiDevice = {
    async get(): Promise<DeviceState> {
      calls.push('get');
      return { privateKey: null, listenPort: 0, fwmark: 0, peers: [] };
    },
    async set(req: SetRequest): Promise<void> {
      calls.push(`set ${req.listenPort} start`);
      await new Promise((r) => setTimeout(r, 30));
      calls.push(`set ${req.listenPort} end`);
      if (failWith !== null) throw failWith;
    },
  };
  let server: UapiServer;
  before(async () => {
    server = await startUapiServer(path, device);
  });
  after(async () => {
    await server.close();
    tmp.cleanup();
  });

  it('passes the device errno through, negated', async () => {
    failWith = new UapiError(Errno.EADDRINUSE, 'port taken');
    assert.equal(await uapiRequest(path, 'set=1\nlisten_port=1\n\n'), 'errno=-98\n\n');
    failWith = new Error('surprise');
    assert.equal(await uapiRequest(path, 'set=1\nlisten_port=1\n\n'), 'errno=-55\n\n');
    failWith = null;
  });

  it('runs device calls one at a time across connections', async () => {
    calls.length = 0;
    await Promise.all([
      uapiRequest(path, 'set=1\nlisten_port=1\n\n'),
      uapiRequest(path, 'set=1\nlisten_port=2\n\n'),
      uapiRequest(path, 'get=1\n\n'),
    ]);
    assert.equal(calls.length, 5);
    for (let i = 0; i < calls.length; i++) {
      if (calls[i]?.endsWith('start')) assert.equal(calls[i + 1], calls[i]?.replace('start', 'end'), calls.join(', '));
    }
  });
});

/** Sends `text`, shuts down the writing side, and returns all that comes back. */
function halfClose(path: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(path, () => sock.end(text));
    let reply = '';
    sock.on('data', (d: Buffer) => (reply += d.toString('latin1')));
    sock.on('error', reject);
    sock.on('close', () => resolve(reply));
  });
}
