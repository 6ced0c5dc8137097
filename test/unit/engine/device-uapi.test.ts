// The engine's UAPI face (engine/device-uapi.ts) on whole devices over the
// in-memory fakes: configuration semantics as wg-go has them (MemoryDevice
// states them as code), and runtime state read from the core's snapshot.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { Device } from '../../../tunnel-helper/src/engine/device.js';
import { DeviceUapi } from '../../../tunnel-helper/src/engine/device-uapi.js';
import { ChannelBind, ChannelNetwork, ChannelTun } from '../../../tunnel-helper/src/engine/io/fakes.js';
import type { DeviceState } from '../../../tunnel-helper/src/engine/uapi/device-api.js';
import { Errno, UapiError } from '../../../tunnel-helper/src/engine/uapi/errors.js';
import { MemoryDevice } from '../../../tunnel-helper/src/engine/uapi/memory-device.js';
import { parseSet } from '../../../tunnel-helper/src/engine/uapi/protocol-set.js';
import { hexKey, newKeyPair } from './uapi/uapi-test-kit.js';
import { DevicePair } from './device-pair.js';
import { ManualClock } from './manual-clock.js';

const devices: Device[] = [];
let pair: DevicePair | null = null;
afterEach(() => {
  for (const d of devices.splice(0)) d.close();
  pair?.close();
  pair = null;
});

function device(net = new ChannelNetwork()): { dev: Device; uapi: DeviceUapi } {
  const dev = new Device(new ChannelTun(), new ChannelBind(net), { clock: new ManualClock() });
  dev.start();
  devices.push(dev);
  return { dev, uapi: new DeviceUapi(dev) };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** What a set can change, in the order `get` lists it. */
function configuration(s: DeviceState) {
  return {
    privateKey: s.privateKey && hex(s.privateKey), fwmark: s.fwmark,
    peers: s.peers.map((p) => ({
      publicKey: hex(p.publicKey), presharedKey: p.presharedKey && hex(p.presharedKey), endpoint: p.endpoint,
      persistentKeepaliveInterval: p.persistentKeepaliveInterval, allowedIps: p.allowedIps,
    })),
  };
}

test('configures peers, keys and allowed IPs exactly as wireguard-go does', () => {
  const { uapi } = device();
  const memory = new MemoryDevice();
  const own = newKeyPair();
  const requests = [
    [`private_key=${hexKey(0xff)}`, 'fwmark=51820', `public_key=${hexKey(1)}`, `preshared_key=${hexKey(9)}`,
      'endpoint=192.0.2.1:51820', 'allowed_ip=10.0.0.0/8', 'allowed_ip=fd00::/8', `public_key=${hexKey(2)}`,
      'endpoint=[fd00::2]:1', 'allowed_ip=10.0.0.0/8', 'allowed_ip=10.1.2.3/32'],
    [`public_key=${hexKey(1)}`, 'allowed_ip=-fd00::/8', 'allowed_ip=10.9.0.0/16', `public_key=${hexKey(2)}`,
      'replace_allowed_ips=true', 'allowed_ip=192.168.0.0/16', `public_key=${hexKey(3)}`, 'update_only=true'],
    [`public_key=${hexKey(1)}`, `preshared_key=${'0'.repeat(64)}`, 'persistent_keepalive_interval=0',
      `public_key=${hex(own.publicKey)}`, 'allowed_ip=172.16.0.0/12'],
    [`private_key=${hex(own.privateKey)}`, `public_key=${hexKey(2)}`, 'remove=true', `public_key=${hexKey(4)}`],
    ['fwmark=0', `public_key=${hex(own.publicKey)}`, 'allowed_ip=172.17.0.0/16'],
    ['replace_peers=true', `public_key=${hexKey(5)}`, 'allowed_ip=10.5.0.0/16'],
  ];
  for (const lines of requests) {
    uapi.set(parseSet(lines));
    memory.set(parseSet(lines));
    assert.deepEqual(configuration(uapi.get()), configuration(memory.get()), lines.join(' '));
  }
});

test('reports the latest handshake at the injected wall-clock time, and counts bytes as wg-go does', async () => {
  const p = (pair = new DevicePair());
  p.ping('a');
  await p.tun.b.nextWritten();
  await p.settle();
  const wallMs = p.clock.wallNow();
  const a = p.peerOf('a');
  const b = p.peerOf('b');
  assert.equal(a.lastHandshakeSec * 1000 + a.lastHandshakeNsec / 1e6, wallMs);
  // An initiation (148) and the ping, 84 bytes padded to 96 plus 32; a response (92) back.
  assert.deepEqual([a.txBytes, a.rxBytes, b.rxBytes, b.txBytes], [148n + 128n, 92n, 148n + 128n, 92n]);
});

test('a listen port in use fails the request with EADDRINUSE and applies none of it', () => {
  const net = new ChannelNetwork();
  const first = device(net);
  const { dev, uapi } = device(net);
  const port = dev.listenPort;
  assert.throws(() => uapi.set(parseSet([`listen_port=${first.dev.listenPort}`, `public_key=${hexKey(1)}`])),
    (e: unknown) => e instanceof UapiError && e.errno === Errno.EADDRINUSE);
  assert.equal(dev.listenPort, port, 'the old port is kept');
  assert.deepEqual(uapi.get().peers, []);
});

test('uses a numeric IPv6 zone and reports the endpoint without it, as wg-go does', () => {
  const { dev, uapi } = device();
  uapi.set(parseSet([`public_key=${hexKey(1)}`, 'endpoint=[fe80::1%3]:51820']));
  assert.equal(uapi.get().peers[0]!.endpoint, '[fe80::1]:51820');
  const peer = [...dev.core.peers()][0]!;
  assert.equal(dev.core.peerSnapshot(peer).endpoint?.scopeId, 3);
});

test('turning persistent keepalive on sends a keepalive at once, which starts a handshake; off stops them', async () => {
  const p = (pair = new DevicePair());
  const peer = `public_key=${hex(p.publicKey.b)}`;
  p.set('a', [peer, 'update_only=true', 'persistent_keepalive_interval=25']);
  await p.settle();
  assert.deepEqual(p.eventTypes('a'), ['handshake-initiated', 'handshake-completed']);
  const keepalives = () => p.device.b.core.peerSnapshot([...p.device.b.core.peers()][0]!).rxBytes;
  const before = keepalives();
  await p.advance(25_000);
  assert.equal(keepalives() - before, 32, 'one keepalive 25 s later');
  p.set('a', [peer, 'update_only=true', 'persistent_keepalive_interval=0']);
  await p.advance(60_000);
  assert.equal(keepalives() - before, 32, 'none once it is off');
});
