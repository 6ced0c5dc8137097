// PathWatch (engine/path-watch.ts) over a scripted RouteMonitor and a manual
// clock: which network changes move a peer, and which are only noise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PathWatch, SETTLE_MS } from '../../../tunnel-helper/src/engine/path-watch.js';
import type { NetworkChange, RouteLookup, RouteMonitor } from '../../../tunnel-helper/src/engine/io/route-monitor.js';
import { Endpoint } from '../../../tunnel-helper/src/engine/core/endpoint.js';
import type { Peer } from '../../../tunnel-helper/src/engine/core/peer.js';
import { CorePair } from '../../fakes/core-pair.js';
import { ManualClock } from './manual-clock.js';
import { DevicePair } from './device-pair.js';

const A = Uint8Array.from([10, 77, 1, 2]);
const B = Uint8Array.from([10, 77, 2, 2]);
const GW1 = Uint8Array.from([10, 77, 1, 1]);
const GW2 = Uint8Array.from([10, 77, 2, 1]);

/** A kernel with one default route; the test moves it. Sources not in `local` are refused, as Linux does. */
class ScriptedRoutes implements RouteMonitor {
  route = { oif: 3, prefsrc: A, gateway: GW1 };
  local: Uint8Array[] = [A, B];
  lookups: { mark: number; src: Uint8Array | null }[] = [];
  listener: ((c: NetworkChange) => void) | null = null;
  closed = false;

  onChange(cb: (c: NetworkChange) => void): void { this.listener = cb; }
  lookup(_to: Endpoint, mark: number, src: Uint8Array | null): RouteLookup {
    this.lookups.push({ mark, src });
    if (src && !this.local.some((l) => l.every((v, i) => v === src[i]))) return { ok: false, errno: 101 };
    return { ok: true, ...this.route, prefsrc: src ? null : this.route.prefsrc };
  }
  close(): void { this.closed = true; }
  notify(removed: Uint8Array[] = []): void { this.listener?.({ any: true, removedAddresses: removed }); }
}

function setUp(opts: { sticky?: boolean } = {}) {
  const core = new CorePair();
  const peer = core.peerB;
  if (opts.sticky !== false) core.a.setEndpoint(peer, new Endpoint(core.epB.ip, core.epB.port, 0, A, 3));
  const routes = new ScriptedRoutes();
  const clock = new ManualClock();
  const reports: Peer[][] = [];
  const watch = new PathWatch(routes, { peers: () => core.a.peers(), mark: () => 51820, pathsChanged: (p) => reports.push(p) }, clock);
  watch.start();
  const settle = () => clock.runNextTimer(clock.now() + SETTLE_MS);
  return { core, peer, routes, clock, reports, watch, settle };
}

test('moving the default route to another interface moves a peer with a sticky source', () => {
  const { peer, routes, reports, settle } = setUp();
  assert.deepEqual(reports, []);
  routes.route = { oif: 5, prefsrc: B, gateway: GW2 };
  routes.notify();
  assert.deepEqual(reports, [[peer]], 'the first notification is looked at at once');
  settle();
  assert.deepEqual(reports, [[peer]]);
  assert.ok(routes.lookups.every((l) => l.mark === 51820), 'routes must be looked up under the sockets\' fwmark');
});

test('removing the sticky source address moves the peer', () => {
  const { peer, routes, reports, settle } = setUp();
  routes.local = [B];
  routes.notify([A]);
  settle();
  assert.deepEqual(reports, [[peer]]);
});

test('without a sticky source, a change of route since the last look moves the peer', () => {
  const { peer, routes, reports, settle } = setUp({ sticky: false });
  routes.route = { oif: 3, prefsrc: A, gateway: GW2 };
  routes.notify();
  settle();
  assert.deepEqual(reports, [[peer]]);
});

test('changes that leave the path alone (our own interface\'s address and routes) move nobody', () => {
  const { routes, reports, settle } = setUp();
  for (let i = 0; i < 5; i++) {
    routes.notify();
    settle();
  }
  assert.deepEqual(reports, []);
});

test('a sticky source on another link than the route uses is reported once, not on every notification', () => {
  const { core, peer, routes, reports, settle } = setUp();
  routes.route = { oif: 5, prefsrc: B, gateway: GW2 }; // replies keep arriving on link 3, the route leaves by 5
  for (let i = 0; i < 5; i++) {
    core.a.setEndpoint(peer, new Endpoint(core.epB.ip, core.epB.port, 0, A, 3)); // the next reply re-sticks it
    routes.notify();
    settle();
  }
  assert.deepEqual(reports, [[peer]]);
  routes.local = [B];
  routes.notify([A]);
  assert.deepEqual(reports, [[peer], [peer]], 'the removal of that source is news');
});

test('a burst of notifications costs a look at once and one after the burst', () => {
  const { routes, settle, reports, peer } = setUp();
  const before = routes.lookups.length;
  routes.notify();
  const first = routes.lookups.length - before;
  routes.route = { oif: 5, prefsrc: B, gateway: GW2 }; // the burst finishes the change
  for (let i = 0; i < 50; i++) routes.notify();
  assert.equal(routes.lookups.length - before, first, 'looked again inside the settle time');
  assert.deepEqual(reports, []);
  settle();
  assert.deepEqual(reports, [[peer]], 'the state after the burst was not looked at');
  assert.equal(settle(), true);
  assert.equal(settle(), false, 'kept looking with nothing new');
});

test('a route that goes away and comes back moves the peer both times', () => {
  const { routes, reports, settle, peer, core } = setUp({ sticky: false });
  const ok = routes.route;
  routes.lookup = (): RouteLookup => ({ ok: false, errno: 101 });
  routes.notify();
  settle();
  routes.lookup = ScriptedRoutes.prototype.lookup.bind(routes);
  routes.route = { ...ok, oif: 5, prefsrc: B };
  routes.notify();
  settle();
  assert.deepEqual(reports, [[peer], [peer]]);
  assert.equal(core.peerB.endpoint?.key, '192.0.2.2:51821');
});

test('a new endpoint is not compared with the old one\'s route', () => {
  const { routes, reports, settle, core, peer } = setUp({ sticky: false });
  core.a.setEndpoint(peer, Endpoint.parse('198.51.100.7:1'));
  routes.route = { oif: 5, prefsrc: B, gateway: GW2 };
  routes.notify();
  settle();
  assert.deepEqual(reports, []);
});

test('stop closes the monitor and ignores what was pending', () => {
  const { routes, reports, watch, clock } = setUp();
  routes.route = { oif: 5, prefsrc: B, gateway: GW2 };
  routes.notify();
  routes.notify();
  reports.length = 0;
  watch.stop();
  assert.equal(routes.closed, true);
  assert.equal(clock.runNextTimer(Infinity), false);
  routes.notify();
  assert.deepEqual(reports, []);
});

test('a device re-handshakes at once when its path moves, and the tunnel carries traffic after', async () => {
  const routes = new ScriptedRoutes();
  const pair = new DevicePair({ routes: { a: routes } });
  try {
    pair.ping('a');
    await pair.settle();
    assert.equal(pair.tun.b.written.length, 1);
    routes.notify(); // a look at the routes as they are: nothing moves
    await pair.advance(1000); // past the responder's 20 ms flood window
    assert.deepEqual(pair.events.a.filter((e) => e.type === 'path-changed'), []);
    const before = pair.events.a.length;
    routes.route = { oif: 5, prefsrc: B, gateway: GW2 };
    routes.notify();
    await pair.advance(SETTLE_MS);
    assert.deepEqual(pair.events.a.slice(before).map((e) => e.type), ['path-changed', 'handshake-initiated', 'handshake-completed']);
    pair.ping('a');
    await pair.settle();
    assert.equal(pair.tun.b.written.length, 2);
  } finally {
    pair.close();
  }
});
