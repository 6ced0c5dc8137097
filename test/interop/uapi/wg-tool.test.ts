// The real wg(8) drives our UAPI server exactly as it drives wireguard-go.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { unlinkSync } from 'node:fs';
import { keyToHex } from '../../../shared/config/keys.js';
import { listInterfaces, uapiGet } from '../../../tunnel-helper/src/engine/uapi/client.js';
import { uapiSocketPath } from '../../../tunnel-helper/src/engine/uapi/socket-file.js';
import { startUapiServer } from '../../../tunnel-helper/src/engine/uapi/server.js';
import { Errno, UapiError } from '../../../tunnel-helper/src/engine/uapi/errors.js';
import { newKeyPair } from '../../unit/engine/uapi/uapi-test-kit.js';
import { interopSkipReason, scratch, startTestDevice, uniqueIfname, wg, wgOk, type TestDevice } from './wg-harness.js';

const skip = interopSkipReason();

describe('wg(8) against our UAPI server', { skip: skip ?? false }, () => {
  let dev: TestDevice;
  const files = scratch();
  const me = newKeyPair();
  const peer = newKeyPair();
  const psk = Buffer.alloc(32, 7).toString('base64');
  before(async () => {
    dev = await startTestDevice(uniqueIfname('wg'));
  });
  after(async () => {
    await dev.close();
    files.cleanup();
  });

  it('configures everything with wg set and shows it in dump form', async () => {
    await wgOk('set', dev.ifname, 'private-key', files.file('sk', me.privateB64), 'listen-port', '51820', 'fwmark', '0x10',
      'peer', peer.publicB64, 'preshared-key', files.file('psk', psk), 'endpoint', '[fd00::1]:51820',
      'allowed-ips', '10.1.2.3/8,fd00::/64', 'persistent-keepalive', '25');
    const dump = await wgOk('show', dev.ifname, 'dump');
    assert.equal(dump,
      `${me.privateB64}\t${me.publicB64}\t51820\t0x10\n` +
      `${peer.publicB64}\t${psk}\t[fd00::1]:51820\t10.0.0.0/8,fd00::/64\t0\t0\t0\t25\n`);
    const req = dev.device.history.at(-1);
    assert.equal(req?.peers[0]?.allowedIps.length, 2, 'wg sends one allowed_ip line each');
  });

  it('prints the config back with wg showconf', async () => {
    assert.equal(await wgOk('showconf', dev.ifname),
      `[Interface]\nListenPort = 51820\nFwMark = 0x10\nPrivateKey = ${me.privateB64}\n\n` +
      `[Peer]\nPublicKey = ${peer.publicB64}\nPresharedKey = ${psk}\nAllowedIPs = 10.0.0.0/8, fd00::/64\n` +
      'Endpoint = [fd00::1]:51820\nPersistentKeepalive = 25\n');
  });

  it('answers the single-field forms of wg show', async () => {
    assert.equal(await wgOk('show', dev.ifname, 'public-key'), `${me.publicB64}\n`);
    assert.equal(await wgOk('show', dev.ifname, 'endpoints'), `${peer.publicB64}\t[fd00::1]:51820\n`);
    assert.equal(await wgOk('show', dev.ifname, 'latest-handshakes'), `${peer.publicB64}\t0\n`);
    assert.equal(await wgOk('show', dev.ifname, 'transfer'), `${peer.publicB64}\t0\t0\n`);
    assert.match(await wgOk('show', dev.ifname), new RegExp(`^interface: ${dev.ifname}\n  public key: ${escape(me.publicB64)}\n`));
  });

  it('is listed by wg show interfaces, wg show all, and our own listInterfaces', async () => {
    assert.ok((await wgOk('show', 'interfaces')).trim().split(/\s+/).includes(dev.ifname));
    assert.match(await wgOk('show', 'all', 'dump'), new RegExp(`^${dev.ifname}\t${escape(me.privateB64)}\t`, 'm'));
    assert.ok((await listInterfaces()).includes(dev.ifname));
  });

  it('reads back through our client the same state wg shows', async () => {
    const state = await uapiGet(dev.ifname);
    assert.equal(state.listenPort, 51820);
    assert.equal(keyToHex(state.peers[0]?.publicKey ?? new Uint8Array()), Buffer.from(peer.publicB64, 'base64').toString('hex'));
  });

  it('removes a peer with wg set … remove', async () => {
    await wgOk('set', dev.ifname, 'peer', peer.publicB64, 'remove');
    assert.equal(await wgOk('show', dev.ifname, 'peers'), '');
    assert.equal(dev.device.history.at(-1)?.peers[0]?.remove, true);
  });

  it('shows a device refusal with the errno text, proving the sign convention', async () => {
    const ifname = uniqueIfname('err');
    const server = await startUapiServer(uapiSocketPath(ifname), {
      get: () => ({ privateKey: null, listenPort: 0, fwmark: 0, peers: [] }),
      set: () => {
        throw new UapiError(Errno.EADDRINUSE, 'port taken');
      },
    });
    try {
      const r = await wg('set', ifname, 'listen-port', '1');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /Unable to modify interface: Address already in use/);
    } finally {
      await server.close();
    }
  });

  it('fails for an interface that does not exist, as netns.sh expects', async () => {
    const r = await wg('show', 'wdnosuchif0');
    assert.notEqual(r.code, 0);
  });

  it('tells its owner when wg-quick down deletes the socket', async () => {
    const other = await startTestDevice(uniqueIfname('rm'));
    const gone = new Promise<string>((resolve) => other.server.onSocketRemoved(() => resolve('removed')));
    unlinkSync(uapiSocketPath(other.ifname));
    assert.equal(await gone, 'removed');
    await other.close();
    assert.equal((await wg('show', other.ifname)).code === 0, false);
  });
});

function escape(s: string): string {
  return s.replace(/[+/=]/g, (c) => `\\${c}`);
}
