// Recovery on an injected clock and a scripted device: when a tunnel counts
// as dead, what a reconnect sends over UAPI, when "reconnecting" ends, and
// when a host-name endpoint is looked up again and the peer moved.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnosis, EventData } from '../../../../shared/control/protocol.js';
import { RECONNECT_WINDOW_MS, RESOLVE_EVERY_MS, Recovery } from '../../../../tunnel-helper/src/helper/tunnels/recovery.js';
import { pickAddress } from '../../../../tunnel-helper/src/helper/tunnels/endpoint-names.js';
import { FakeDevice, KEYS, peerState } from './fakes.js';

const PUB = KEYS[1].pub;

function setup(names: { host: string; port: number }[] = [], deadAfterMs = 20_000) {
  const dev = new FakeDevice();
  dev.peers = [peerState(PUB, { lastHandshakeSec: 990, rxBytes: 1000n, txBytes: 1000n })];
  const addresses = new Map<string, string[]>();
  const seen = { lines: [] as string[], roaming: [] as EventData<'roaming'>[], reconnecting: [] as (Diagnosis | null)[], moved: [] as string[] };
  const r = new Recovery('wq0', names.map((n) => ({ publicKey: PUB, ...n })), {
    get: dev.get, set: dev.set, now: dev.now,
    resolve: async (h) => { const a = addresses.get(h); if (!a) throw new Error('NXDOMAIN'); return a; },
  }, {
    line: (l) => seen.lines.push(l), roaming: (d) => seen.roaming.push(d), reconnecting: (d) => seen.reconnecting.push(d),
    endpointMoved: (_k, ep) => seen.moved.push(ep),
  }, deadAfterMs);
  const poll = async (advanceMs = 1000) => {
    dev.clock += advanceMs;
    r.observe(await dev.get('wq0'), dev.clock);
    for (let i = 0; i < 5; i++) await new Promise((res) => setImmediate(res));
  };
  const send = (bytes: bigint, reply = 0n) => {
    const p = dev.peers[0]!;
    dev.peers[0] = { ...p, txBytes: p.txBytes + bytes, rxBytes: p.rxBytes + reply };
  };
  return { dev, r, seen, poll, send, addresses };
}

describe('Recovery', () => {
  it('reconnects when traffic waits with nothing back for the dead time: re-bind, then re-handshake', async () => {
    const { dev, seen, poll, send } = setup([], 20_000);
    await poll();
    // The first poll that sees bytes go out starts the clock.
    for (let i = 0; i < 20; i++) { send(148n); await poll(); }
    assert.equal(seen.reconnecting.length, 0, 'not before 20 s');
    send(148n);
    await poll();
    assert.equal(seen.reconnecting.length, 1);
    const d = seen.reconnecting[0]!;
    assert.equal(d.code, 'dead-tunnel');
    assert.deepEqual(d.tried, ['re-bound', 're-handshaken']);
    assert.equal(d.deadSeconds, 20);
    const hex = Buffer.from(PUB, 'base64').toString('hex');
    assert.deepEqual(dev.sets.slice(0, 2), ['listen_port=0\n', 'listen_port=51820\n'], 'the sockets are reopened on the same port');
    assert.equal(dev.sets[2], `public_key=${hex}\nremove=true\npublic_key=${hex}\nendpoint=192.0.2.1:51820\nreplace_allowed_ips=true\nallowed_ip=10.0.0.0/24\n`);
    assert.deepEqual(dev.sets.slice(3), [
      `public_key=${hex}\nupdate_only=true\npersistent_keepalive_interval=25\n`, `public_key=${hex}\nupdate_only=true\npersistent_keepalive_interval=0\n`,
    ], 'a keepalive now, which with no keys is a handshake');
  });

  it('never counts one-way traffic that is answered as dead', async () => {
    const { seen, poll, send } = setup([], 20_000);
    await poll();
    for (let i = 0; i < 60; i++) { send(1400n, i % 10 === 9 ? 32n : 0n); await poll(); }
    assert.equal(seen.reconnecting.length, 0);
  });

  it('stays reconnecting until a handshake completes after the reconnect, then ends', async () => {
    const { dev, seen, poll, send } = setup([], 5_000);
    await poll();
    for (let i = 0; i < 6; i++) { send(148n); await poll(); }
    assert.equal(seen.reconnecting.length, 1);
    dev.peers[0] = { ...dev.peers[0]!, rxBytes: 0n, txBytes: 148n, lastHandshakeSec: 0 }; // re-added: counters restart
    await poll();
    assert.equal(seen.reconnecting.length, 1, 'still reconnecting');
    dev.peers[0] = { ...dev.peers[0]!, rxBytes: 92n, txBytes: 296n, lastHandshakeSec: Math.ceil(dev.clock / 1000) };
    await poll();
    assert.deepEqual(seen.reconnecting.slice(1), [null]);
    assert.ok(seen.lines.some((l) => /A new handshake completed/.test(l)));
  });

  it('hands the state back after the reconnect window when no handshake comes', async () => {
    const { seen, poll, send } = setup([], 5_000);
    await poll();
    for (let i = 0; i < 6; i++) { send(148n); await poll(); }
    assert.equal(seen.reconnecting.length, 1);
    await poll(RECONNECT_WINDOW_MS);
    assert.deepEqual(seen.reconnecting.slice(1), [null], 'one attempt at a time, then the monitor speaks');
    for (let i = 0; i < 4; i++) { send(148n); await poll(); }
    assert.equal(seen.reconnecting.length, 2, 'the next attempt waits the dead time again');
    send(148n);
    await poll();
    assert.equal(seen.reconnecting.length, 3);
  });

  it('reconnects after sleep: resume re-handshakes every peer with an endpoint', async () => {
    const { dev, r, seen, poll } = setup();
    await poll();
    await r.resumed();
    assert.equal(seen.reconnecting[0]?.code, 'resumed-from-sleep');
    assert.ok(dev.sets.some((b) => b.includes('remove=true')));
  });

  it('looks a host name up again when nothing comes back for 3 s, and moves the peer once', async () => {
    const { dev, seen, poll, send, addresses } = setup([{ host: 'vpn.example', port: 51820 }]);
    addresses.set('vpn.example', ['192.0.2.1']);
    await poll();
    addresses.set('vpn.example', ['198.51.100.9']);
    for (let i = 0; i < 6; i++) { send(96n); await poll(); }
    assert.deepEqual(seen.moved, ['198.51.100.9:51820']);
    assert.equal(dev.sets.at(-1), `public_key=${Buffer.from(PUB, 'base64').toString('hex')}\nupdate_only=true\nendpoint=198.51.100.9:51820\n`);
    assert.deepEqual(seen.roaming.map((x) => [x.reason, x.host, x.from, x.to]), [['resolved', 'vpn.example', '192.0.2.1:51820', '198.51.100.9:51820']]);
    assert.ok(seen.lines.some((l) => /vpn\.example resolved to a new address \(no reply\)/.test(l)));
  });

  it('looks names up every few minutes while up, and keeps the endpoint when the name cannot be resolved', async () => {
    const { dev, seen, poll } = setup([{ host: 'vpn.example', port: 51820 }]);
    await poll();
    await poll(RESOLVE_EVERY_MS);
    assert.ok(seen.lines.some((l) => /Could not look up vpn\.example again \(periodic check\): NXDOMAIN\. Keeping 192\.0\.2\.1:51820\./.test(l)));
    assert.equal(dev.sets.length, 0);
  });
});

describe('pickAddress', () => {
  it('stays while the current address is still the name\'s, else prefers the same family', () => {
    assert.equal(pickAddress('192.0.2.1:51820', ['192.0.2.7', '192.0.2.1']), null);
    assert.equal(pickAddress('192.0.2.1:51820', ['2001:db8::1', '192.0.2.7']), '192.0.2.7');
    assert.equal(pickAddress('[2001:db8::1]:51820', ['192.0.2.7', '2001:db8::2']), '2001:db8::2');
    assert.equal(pickAddress(null, ['192.0.2.7']), '192.0.2.7');
    assert.equal(pickAddress('192.0.2.1:51820', []), null);
  });
});
