// Static keys: private-key changes, our own key as a peer, zero and low-order keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Action } from '../../../../tunnel-helper/src/engine/core/actions.js';
import { CookieGenerator } from '../../../../tunnel-helper/src/engine/core/cookie.js';
import {
  INITIATION_SIZE, MESSAGE_INITIATION, MESSAGE_RESPONSE, MESSAGE_TRANSPORT, RESPONSE_SIZE,
} from '../../../../tunnel-helper/src/engine/core/constants.js';
import { DeviceCore } from '../../../../tunnel-helper/src/engine/core/device-core.js';
import { kdf1, kdf3 } from '../../../../tunnel-helper/src/engine/core/kdf.js';
import { writeU32 } from '../../../../tunnel-helper/src/engine/core/messages.js';
import { initialWireGuardState } from '../../../../tunnel-helper/src/engine/core/noise-handshake.js';
import { cloneState, writeMessage1 } from '../../../../tunnel-helper/src/engine/core/noise-ikpsk2.js';
import { tai64n } from '../../../../tunnel-helper/src/engine/core/tai64n.js';
import { nodeCrypto as crypto } from '../../../../tunnel-helper/src/engine/crypto-node.js';
import { transportCipher } from '../../../../tunnel-helper/src/engine/crypto-transport.js';
import { CorePair, endpoint, ipv4Packet } from '../../../fakes/core-pair.js';

const PING = () => ipv4Packet('10.0.0.1', '10.0.0.2', 84);

// The seven low-order Curve25519 points of the kernel's netns.sh.
const LOW_ORDER = [
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  '4Ot6fDtBuK4WVuP68Z/EatoJjeucMrH9hmIFFl9JuAA=', 'X5yVvKNQjCSx0LFVnIPvWwREXMRYHI6G2CJO3dCfEVc=',
  '7P///////////////////////////////////////38=', '7f///////////////////////////////////////38=',
  '7v///////////////////////////////////////38=',
].map((k) => new Uint8Array(Buffer.from(k, 'base64')));

const datagrams = (actions: Action[]) =>
  actions.flatMap((a) => (a.type === 'send-datagram' ? [a] : []));

test('changing the private key expires sessions; the next packet handshakes under the new key', () => {
  const p = new CorePair();
  p.handshake();
  const skA2 = crypto.generatePrivateKey();
  assert.deepEqual(p.a.setPrivateKey(skA2), []);
  assert.deepEqual(p.a.publicKey, crypto.publicKey(skA2));
  const out = p.a.send(p.peerB, PING(), p.now, p.wallNow);
  const sent = datagrams(out);
  assert.deepEqual(sent.map((d) => d.data[0]), [MESSAGE_INITIATION], 'no data under the old session');
  const init = sent[0]!.data;
  // B does not know the new key yet, then learns it.
  assert.deepEqual(datagrams(p.b.receive(Uint8Array.from(init), p.epA, p.now, p.wallNow, { underLoad: false })), []);
  p.b.removePeer(p.pkA);
  const peerA2 = p.b.addPeer(crypto.publicKey(skA2))!;
  const reply = datagrams(p.b.receive(Uint8Array.from(init), p.epA, p.now, p.wallNow, { underLoad: false }));
  assert.equal(reply[0]?.data[0], MESSAGE_RESPONSE);
  const done = p.a.receive(reply[0]!.data, p.epB, p.now, p.wallNow, { underLoad: false });
  const ping = datagrams(done).find((d) => d.data.length === 128)!;
  const got = p.b.receive(ping.data, p.epA, p.now, p.wallNow, { underLoad: false });
  assert.ok(got.some((a) => a.type === 'write-tun' && a.peer === peerA2));
});

test('setting the same private key again keeps the session', () => {
  const p = new CorePair();
  p.handshake();
  assert.deepEqual(p.a.setPrivateKey(Uint8Array.from(p.skA)), []);
  p.send('a', PING());
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 1);
  assert.equal(p.tun.b.length, 2);
});

test('a peer whose public key equals our own is ignored', () => {
  const p = new CorePair();
  assert.equal(p.a.addPeer(p.pkA), null);
  assert.equal([...p.a.peers()].length, 1);
});

test("taking a peer's key as our own removes that peer", () => {
  const p = new CorePair();
  const out = p.a.setPrivateKey(p.skB);
  assert.deepEqual(out.map((a) => a.type), ['peer-removed']);
  assert.equal(p.a.peer(p.pkB), undefined);
  assert.deepEqual(p.a.send(p.peerB, PING(), p.now, p.wallNow), []);
});

test('without a private key nothing is initiated or answered', () => {
  const p = new CorePair();
  p.a.setPrivateKey(new Uint8Array(32)); // all zeros clears it, as in UAPI
  assert.equal(p.a.publicKey, null);
  assert.deepEqual(datagrams(p.a.send(p.peerB, PING(), p.now, p.wallNow)), []);
  p.b.setEndpoint(p.peerA, p.epA);
  p.send('b', PING());
  assert.deepEqual(p.wire.map((w) => w.from), ['b']);
});

test('a low-order peer key never initiates, even with persistent keepalive', () => {
  for (const key of LOW_ORDER) {
    const core = new DeviceCore(crypto, transportCipher);
    core.setPrivateKey(crypto.generatePrivateKey());
    const peer = core.addPeer(key, { endpoint: endpoint('127.0.0.1', 1111) })!;
    const out = [
      ...core.setPersistentKeepalive(peer, 1, 0, 0),
      ...core.send(peer, PING(), 1, 1),
    ];
    for (let t = 0; t <= 10_000; t += 250) out.push(...core.tick(t, t));
    assert.deepEqual(datagrams(out), [], Buffer.from(key).toString('base64'));
    assert.equal(core.nextDeadline(), Infinity);
  }
});

test('a forged initiation from a low-order peer key (all DH results zero) is rejected', () => {
  const responderSk = crypto.generatePrivateKey();
  const responderPk = crypto.publicKey(responderSk);
  const b = new DeviceCore(crypto, transportCipher);
  b.setPrivateKey(responderSk);
  const lowOrder = LOW_ORDER[1]!;
  const peer = b.addPeer(lowOrder)!;
  // Anyone can build this: DH(S_b, low-order) is zero, so no secret is needed.
  const msg = new Uint8Array(INITIATION_SIZE);
  writeU32(msg, 0, MESSAGE_INITIATION);
  writeU32(msg, 4, 1234);
  assert.ok(writeMessage1(crypto, initialWireGuardState(crypto), {
    localStaticPublic: lowOrder, remoteStaticPublic: responderPk, ephemeralPrivate: crypto.generatePrivateKey(),
    staticStatic: new Uint8Array(32), payload: tai64n(1_700_000_000_000),
  }, msg, 8));
  new CookieGenerator(crypto, responderPk).addMacs(msg, 0);
  const out = b.receive(msg, endpoint('198.51.100.7', 9), 0, 0, { underLoad: false });
  assert.deepEqual(out, []);
  assert.equal(peer.rxBytes, 0);
});

test('a forged response with a low-order ephemeral key (ee and se zero) is rejected', () => {
  const p = new CorePair();
  p.drop.b = true;
  p.queue('a', PING());
  const hs = p.peerB.handshake;
  // The forger picks a low-order ephemeral so both DH results it cannot
  // compute are zero; without a PSK the whole response becomes computable.
  const s = cloneState(hs.noise!);
  const e = LOW_ORDER[0]!;
  const zero = new Uint8Array(32);
  s.hash = crypto.hash(s.hash, e);
  s.chainKey = kdf1(crypto, s.chainKey, e);
  s.chainKey = kdf1(crypto, s.chainKey, zero);
  s.chainKey = kdf1(crypto, s.chainKey, zero);
  const [, tau, k] = kdf3(crypto, s.chainKey, zero);
  const h = crypto.hash(s.hash, tau);
  const msg = new Uint8Array(RESPONSE_SIZE);
  writeU32(msg, 0, MESSAGE_RESPONSE);
  writeU32(msg, 4, 99);
  writeU32(msg, 8, hs.localIndex!);
  msg.set(e, 12);
  msg.set(crypto.seal(k, 0n, new Uint8Array(0), h), 44);
  new CookieGenerator(crypto, p.pkA).addMacs(msg, 0);
  const out = p.deliver('a', msg, p.epB);
  assert.deepEqual(out.map((a) => a.type), []);
  assert.equal(p.peerB.keypairs.current, null);
  assert.equal(p.sent('a', MESSAGE_TRANSPORT).length, 0);
});
