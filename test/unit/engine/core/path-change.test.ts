// DeviceCore.networkChanged: the route or local address toward a peer's
// endpoint moved. Sticky sources go, and peers in use re-handshake at once
// rather than after the 15 s new-handshake or 5 s retransmit timers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CorePair, ipv4Packet } from '../../../fakes/core-pair.js';
import { Endpoint } from '../../../../tunnel-helper/src/engine/core/endpoint.js';
import { MESSAGE_INITIATION } from '../../../../tunnel-helper/src/engine/core/constants.js';

const PING = () => ipv4Packet('10.0.0.1', '10.0.0.2', 84);
const SRC = Uint8Array.from([192, 0, 2, 1]);

/** A's endpoint for B with a sticky source, as a bind hands it over after a reply. */
function sticky(p: CorePair): Endpoint {
  const ep = new Endpoint(p.epB.ip, p.epB.port, 0, SRC, 7);
  p.a.setEndpoint(p.peerB, ep);
  return ep;
}

function changed(p: CorePair): void {
  p.run('a', p.a.networkChanged([p.peerB], p.now, p.wallNow));
}

test('clears the sticky source but keeps the endpoint address', () => {
  const p = new CorePair();
  sticky(p);
  changed(p);
  const ep = p.peerB.endpoint!;
  assert.equal(ep.key, p.epB.key);
  assert.equal(ep.srcIp, null);
  assert.equal(p.eventsOf('a', 'path-changed').length, 1);
});

test('an idle peer with no session gets no handshake, only a cleared source', () => {
  const p = new CorePair();
  sticky(p);
  changed(p);
  p.pump();
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 0);
});

test('a peer with a current session re-handshakes at once, within REKEY_TIMEOUT of the last one', () => {
  const p = new CorePair();
  p.handshake();
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 1);
  p.advance(1_000); // well inside the 5 s that normally separates initiations
  sticky(p);
  const first = p.peerB.keypairs.current;
  changed(p);
  const order = p.events.filter((e) => e.side === 'a').slice(-3).map((e) => e.action.type);
  assert.deepEqual(order, ['path-changed', 'send-datagram', 'handshake-initiated']);
  p.pump();
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 2);
  assert.equal(p.eventsOf('a', 'handshake-completed').length, 2);
  assert.notEqual(p.peerB.keypairs.current, first);
});

test('staged packets waiting on a handshake are re-initiated at once and then delivered', () => {
  const p = new CorePair();
  p.drop.b = true; // the first initiation is lost on the old path
  p.queue('a', PING());
  p.pump();
  p.advance(300);
  p.drop.b = false;
  changed(p);
  p.pump();
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 2);
  assert.equal(p.tun.b.length, 1, 'the staged packet was not delivered after the new handshake');
  assert.equal(p.a.peerSnapshot(p.peerB).stagedPackets, 0);
});

test('a change within 20 ms of the last initiation sends the next one when the 20 ms are over', () => {
  const p = new CorePair();
  p.drop.b = true;
  p.queue('a', PING());
  p.pump();
  p.advance(5);
  changed(p);
  p.pump();
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 1, 'sent inside the peer\'s flood window');
  p.drop.b = false;
  p.advance(14);
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 1);
  p.advance(1);
  assert.equal(p.sent('a', MESSAGE_INITIATION).length, 2);
  assert.equal(p.tun.b.length, 1);
});

test('a burst of changes sends at most one initiation per 20 ms', () => {
  const p = new CorePair();
  p.handshake();
  p.advance(1_000);
  const start = p.now;
  const initiations = () => p.eventsOf('a', 'handshake-initiated').length;
  const at: number[] = [];
  let seen = initiations();
  for (let ms = 0; ms <= 70; ms++) {
    if (ms <= 55 && ms % 5 === 0) changed(p);
    for (; seen < initiations(); seen++) at.push(p.now - start);
    p.advance(1);
    for (; seen < initiations(); seen++) at.push(p.now - start);
  }
  // A change every 5 ms from 0 to 55 ms: an initiation every 20 ms, the last one owed to the change at 55 ms.
  assert.deepEqual(at, [0, 20, 40, 60]);
});

test('a removed peer or one without an endpoint is left alone', () => {
  const p = new CorePair();
  p.b.removePeer(p.peerA);
  const actions = p.b.networkChanged([p.peerA], p.now, p.wallNow);
  assert.deepEqual(actions, []);
  const q = new CorePair();
  assert.deepEqual(q.b.networkChanged([q.peerA], q.now, q.wallNow), []);
});
