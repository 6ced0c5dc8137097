// The ActionRunner (engine/action-runner.ts): what the device does with the
// core's actions, against an in-memory TUN device and sockets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeKey } from '../../../shared/config/keys.js';
import type { Action } from '../../../tunnel-helper/src/engine/core/actions.js';
import { DeviceCore } from '../../../tunnel-helper/src/engine/core/device-core.js';
import { Endpoint } from '../../../tunnel-helper/src/engine/core/endpoint.js';
import type { Peer } from '../../../tunnel-helper/src/engine/core/peer.js';
import { ActionRunner } from '../../../tunnel-helper/src/engine/action-runner.js';
import { AllowedIps } from '../../../tunnel-helper/src/engine/allowed-ips.js';
import { nodeCrypto } from '../../../tunnel-helper/src/engine/crypto-node.js';
import { transportCipher } from '../../../tunnel-helper/src/engine/crypto-transport.js';
import { EngineEvents, type EngineEvent } from '../../../shared/engine-events/events.js';
import { ChannelTun, createChannelBinds } from '../../../tunnel-helper/src/engine/io/fakes.js';
import { ipv4Packet } from '../../fakes/core-pair.js';

function setUp() {
  const core = new DeviceCore(nodeCrypto, transportCipher);
  const allowedIps = new AllowedIps<Peer>();
  const tun = new ChannelTun();
  const [bind, far] = createChannelBinds();
  bind.open(0);
  far.open(0);
  const sent: { data: Buffer; to: Endpoint }[] = [];
  bind.network.filter = (data, _from, to) => (sent.push({ data, to }), true);
  const events = new EngineEvents();
  const seen: EngineEvent[] = [];
  events.on((e) => seen.push(e));
  const runner = new ActionRunner(core, allowedIps, tun, bind, events);
  const publicKey = nodeCrypto.publicKey(nodeCrypto.generatePrivateKey());
  const peer = core.addPeer(publicKey)!;
  allowedIps.insert(Uint8Array.of(10, 0, 0, 2), 32, peer);
  return { core, allowedIps, tun, far, sent, seen, runner, peer, publicKey };
}

test('writes an authenticated packet only if its inner source belongs to its peer (cryptokey routing)', () => {
  const s = setUp();
  const own = ipv4Packet('10.0.0.2', '10.0.0.1', 84, 1);
  const spoofed = ipv4Packet('10.0.0.9', '10.0.0.1', 84, 2);
  s.runner.run([
    { type: 'write-tun', peer: s.peer, packet: spoofed, source: spoofed.subarray(12, 16) },
    { type: 'write-tun', peer: s.peer, packet: own, source: own.subarray(12, 16) },
  ], 0);
  assert.deepEqual(s.tun.written.map((b) => [...b]), [[...own]]);
});

test('a retried handshake goes out without the cached source address, which the peer forgets', () => {
  const s = setUp();
  const sticky = new Endpoint(Uint8Array.of(127, 0, 0, 1), s.far.port, 0, Uint8Array.of(127, 0, 0, 5), 1);
  s.core.setEndpoint(s.peer, sticky);
  const datagram = (clearSource: boolean): Action => ({ type: 'send-datagram', peer: s.peer, endpoint: s.peer.endpoint!, data: Uint8Array.of(1), clearSource });
  s.runner.run([datagram(false)], 0);
  assert.equal(s.sent[0]!.to.srcToString(), '127.0.0.5', 'kept while the handshake is not being retried');
  s.runner.run([datagram(true)], 0);
  assert.equal(s.sent[1]!.to.srcIp, null);
  assert.equal(s.sent[1]!.to.key, sticky.key);
  assert.equal(s.core.peerSnapshot(s.peer).endpoint?.srcIp, null);
});

test('a cookie reply goes to the source of the handshake it answers', () => {
  const s = setUp();
  const source = Endpoint.parse(`127.0.0.1:${s.far.port}`);
  s.runner.run([{ type: 'send-to-source', endpoint: source, data: Uint8Array.of(3, 0, 0, 0) }], 0);
  assert.deepEqual(s.sent.map((x) => [x.to.key, [...x.data]]), [[source.key, [3, 0, 0, 0]]]);
});

test('announces the protocol news as events naming the peer by its public key, dated by the wall clock', () => {
  const s = setUp();
  const { peer } = s;
  const from = Endpoint.parse('192.0.2.1:1');
  const to = Endpoint.parse('[fd00::1]:2');
  s.runner.run([
    { type: 'handshake-initiated', peer, retry: true },
    { type: 'handshake-completed', peer, wallMs: 42 },
    { type: 'endpoint-changed', peer, endpoint: to, previous: from },
    { type: 'endpoint-changed', peer, endpoint: from, previous: null },
    { type: 'cookie-received', peer },
    { type: 'handshake-response-invalid', peer },
    { type: 'handshake-failed', peer, attempts: 20 },
    { type: 'keys-zeroed', peer },
    { type: 'peer-removed', peer },
  ], 1000);
  const publicKey = encodeKey(s.publicKey);
  assert.deepEqual(s.seen, [
    { type: 'handshake-initiated', publicKey, retry: true, wallMs: 1000 },
    { type: 'handshake-completed', publicKey, wallMs: 42 },
    { type: 'endpoint-changed', publicKey, from: '192.0.2.1:1', to: '[fd00::1]:2', wallMs: 1000 },
    { type: 'endpoint-changed', publicKey, from: null, to: '192.0.2.1:1', wallMs: 1000 },
    { type: 'cookie-received', publicKey, wallMs: 1000 },
    { type: 'handshake-response-invalid', publicKey, wallMs: 1000 },
    { type: 'handshake-failed', publicKey, attempts: 20, wallMs: 1000 },
    { type: 'keys-zeroed', publicKey, wallMs: 1000 },
    { type: 'peer-removed', publicKey, wallMs: 1000 },
  ]);
  assert.equal(s.allowedIps.lookup(Uint8Array.of(10, 0, 0, 2)), undefined, 'a removed peer routes nothing');
});
