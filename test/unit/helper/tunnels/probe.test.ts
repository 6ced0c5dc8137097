// The probe's steps over fake parts (the real ones: test/helper/control/probe.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeKey } from '../../../../shared/config/keys.js';
import type { DeviceState } from '../../../../tunnel-helper/src/engine/uapi/device-api.js';
import { Prober, type ProbeDeps } from '../../../../tunnel-helper/src/helper/tunnels/probe.js';

const PRIV = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
const PEER = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
const conf = (endpoint = 'Endpoint = 192.0.2.1:51820\n') =>
  `[Interface]\nPrivateKey = ${PRIV}\nAddress = 10.0.0.2/24\nDNS = 10.0.0.1\n\n[Peer]\nPublicKey = ${PEER}\nAllowedIPs = 0.0.0.0/0\n${endpoint}`;

function fake(opts: { handshakeAfterMs?: number; mark?: number; failStart?: boolean } = {}) {
  let now = 0;
  const steps: string[] = [];
  const sets: string[] = [];
  const deps: ProbeDeps = {
    startEngine: async (n) => { steps.push(`start ${n}`); if (opts.failStart) throw new Error('engine exited'); },
    stopEngine: async (n) => { steps.push(`stop ${n}`); },
    linkUp: async (n) => { steps.push(`up ${n}`); },
    get: async (): Promise<DeviceState> => ({
      privateKey: null, listenPort: 0, fwmark: 0,
      peers: [{ publicKey: decodeKey(PEER)!, presharedKey: null, endpoint: '192.0.2.1:51820', rxBytes: 0n, txBytes: 0n, allowedIps: [], persistentKeepaliveInterval: 1,
        lastHandshakeSec: opts.handshakeAfterMs !== undefined && now >= opts.handshakeAfterMs ? 1 : 0, lastHandshakeNsec: 0 }],
    }),
    set: async (_n, req) => { sets.push(typeof req === 'string' ? req : JSON.stringify(req, (_k, v: unknown) => (v instanceof Uint8Array ? `<${v.length} bytes>` : v))); },
    bypassMark: async () => opts.mark ?? 0,
    now: () => now,
    sleep: async (ms) => { now += ms; },
  };
  const lines: string[] = [];
  return { prober: new Prober(deps, (_t, l) => lines.push(l)), steps, sets, lines };
}

describe('probe', () => {
  it('configures keys and endpoints only (no allowed IPs, no address, no DNS), kicks a handshake, and tears down', async () => {
    const f = fake({ handshakeAfterMs: 300, mark: 51820 });
    const r = await f.prober.probe('office', conf());
    assert.deepEqual(r, { name: 'office', healthy: true, handshakeMs: 300, reason: null });
    assert.match(f.steps[0]!, /^start wdpb\d+0$/);
    assert.deepEqual(f.steps.slice(1).map((s) => s.split(' ')[0]), ['up', 'stop']);
    const setconf = JSON.parse(f.sets[0]!) as { fwmark?: number; listenPort?: number; peers: { allowedIps: unknown[]; endpoint?: unknown }[] };
    assert.equal(setconf.fwmark, 51820, 'the running full tunnel\'s mark: the probe leaves by the underlay');
    assert.equal(setconf.listenPort, undefined, 'a random port');
    assert.deepEqual(setconf.peers[0]!.allowedIps, [], 'nothing can be routed into it');
    assert.ok(setconf.peers[0]!.endpoint);
    assert.match(f.sets[1]!, /update_only=true\npersistent_keepalive_interval=1\n$/);
    assert.ok(!f.lines.join('\n').includes(PRIV), 'no private key in the log');
  });

  it('answers not healthy with the reason at the timeout, and when the engine cannot start, and always tears down', async () => {
    const slow = fake();
    const r = await slow.prober.probe('office', conf(), 2000);
    assert.deepEqual(r, { name: 'office', healthy: false, handshakeMs: null, reason: 'No handshake completed with 1 of 1 peer within 2 s.' });
    assert.equal(slow.steps.at(-1)?.split(' ')[0], 'stop');
    const broken = fake({ failStart: true });
    const b = await broken.prober.probe('office', conf());
    assert.equal(b.healthy, false);
    assert.match(b.reason ?? '', /^The probe could not run: engine exited/);
    assert.equal(broken.steps.at(-1)?.split(' ')[0], 'stop');
  });

  it('refuses a tunnel that is up, a second probe of the same tunnel, and a bad config; a config with no endpoint has nothing to probe', async () => {
    const f = fake({ handshakeAfterMs: 10_000 });
    await assert.rejects(f.prober.probe('office', conf(), 8000, true), /is up; its own state says whether it is healthy/);
    const first = f.prober.probe('office', conf(), 1000);
    await assert.rejects(f.prober.probe('office', conf()), /being probed already/);
    await first;
    await assert.rejects(f.prober.probe('office', '[Interface]\nPrivateKey = nope\n'), /has errors/);
    assert.deepEqual(await f.prober.probe('office', conf('')), { name: 'office', healthy: false, handshakeMs: null, reason: 'No peer has an endpoint, so there is nothing to probe.' });
  });
});
