// Recovery after the network under the tunnel changes (issue 10 §2): our
// engine as the client of a wireguard-go server (underlay.ts). When the
// default route moves to another link with another address, or the address
// in use goes away, traffic flows again, the server sees the new source, and
// the engine re-handshook because of the change, not because a 5 s or 15 s
// timer ran out. How fast is for `npm run bench` (test/bench/network-change.ts).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lingering, skipReason } from './topology.js';
import { waitFor } from '../../support/netns.js';
import { Underlay } from './underlay.js';

const skip = skipReason();
const started: string[] = [];

/** The log lines the engine printed for one peer since `from`. */
function linesSince(u: Underlay, from: number): string[] {
  return u.clientLog.slice(from).split('\n').filter((l) => l.includes('peer('));
}

async function recovers(scenario: 'route' | 'address' | 'link', family: 4 | 6): Promise<void> {
  const u = await Underlay.create(`${scenario[0]!}${family}`, { client: 'wiredesk', family, backupRoute: scenario !== 'route' });
  started.push(u.client.ifname);
  try {
    await waitFor(() => u.ping(), 10_000, 'the first ping through the tunnel');
    const seen = u.endpointAtServer();
    const port = seen.slice(seen.lastIndexOf(':') + 1);
    assert.equal(seen, u.endpointText(u.addr.a, port), `the server should first see address A${u.logs()}`);
    await waitFor(() => /Route to endpoint changed|Handshake completed/.test(u.clientLog), 5000, 'the handshake log line');

    const mark = u.clientLog.length;
    if (scenario === 'route') u.moveDefaultRoute();
    else if (scenario === 'address') u.removeAddressInUse();
    else u.takeLinkDown();

    await waitFor(() => u.ping(), 10_000, `a ping after the change${u.logs()}`);
    await waitFor(() => u.endpointAtServer() === u.endpointText(u.addr.b, port), 10_000, `the server to see address B${u.logs()}`);

    // The change itself started the handshake: the engine reported it and sent an
    // initiation right away (not a retry, which a timer would have sent).
    // (The log arrives through a pipe: give the event loop turns to read it.)
    await waitFor(() => /Route to endpoint changed[^]*Handshake completed/.test(u.clientLog.slice(mark)), 10_000,
      `the change and a completed handshake in the engine's log${u.logs()}`).catch(() => {});
    const lines = linesSince(u, mark);
    const changed = lines.findIndex((l) => l.includes('Route to endpoint changed'));
    assert.ok(changed >= 0, `the engine did not notice the change:\n${lines.join('\n')}${u.logs()}`);
    assert.match(lines[changed + 1] ?? '', /Sending handshake initiation$/, `no initiation right after the change:\n${lines.join('\n')}`);
    assert.ok(lines.slice(changed + 1).some((l) => l.includes('Handshake completed')), `the new handshake did not complete:\n${lines.join('\n')}`);
    assert.equal(lines.filter((l) => l.includes('(retry)')).length, 0, `a timer retry was needed:\n${lines.join('\n')}`);
  } finally {
    await u.destroy();
  }
}

describe('recovery after an underlay change, against a wireguard-go server', { skip }, () => {
  after(async () => assert.deepEqual(await lingering(started), [], 'a wiredesk-tunnel outlived its interface'));

  for (const family of [4, 6] as const) {
    it(`follows the default route to another link with another address (IPv${family} underlay)`, () => recovers('route', family));

    it(`moves off an address that was removed while in use (IPv${family} underlay)`, () => recovers('address', family));

    it(`moves off a link that went down while in use (IPv${family} underlay)`, () => recovers('link', family));
  }

  it('reports nothing and sends no handshake for changes that leave the path alone', async () => {
    const u = await Underlay.create('n', { client: 'wiredesk' });
    started.push(u.client.ifname);
    try {
      await waitFor(() => u.ping(), 10_000, 'the first ping through the tunnel');
      await waitFor(() => u.clientLog.includes('Handshake completed'), 5000, 'the handshake log line');
      const mark = u.clientLog.length;
      // Our own interface's address and route, and an unrelated link: netlink reports them all.
      u.nsC.exec('ip', ['addr', 'add', '10.93.0.2/24', 'dev', u.client.ifname]);
      u.nsC.exec('ip', ['route', 'add', '10.94.0.0/24', 'dev', u.client.ifname]);
      u.nsC.exec('ip', ['link', 'add', 'wdux', 'type', 'veth', 'peer', 'name', 'wduy']);
      u.nsC.exec('ip', ['link', 'set', 'wdux', 'up']);
      u.nsC.exec('ip', ['link', 'set', 'wduy', 'up']);
      u.nsC.exec('ip', ['addr', 'add', '10.95.0.1/24', 'dev', 'wdux']);
      u.nsC.exec('ip', ['link', 'set', u.client.ifname, 'mtu', '1400']);
      assert.ok(u.ping(), `the tunnel broke${u.logs()}`);
      await new Promise((r) => setTimeout(r, 200)); // let the pipe deliver what the engine logged
      const lines = linesSince(u, mark);
      assert.deepEqual(lines.filter((l) => /Route to endpoint changed|handshake initiation/.test(l)), []);
    } finally {
      await u.destroy();
    }
  });
});
