import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readGatewayIdentity, type GatewayReader } from '../../../../tunnel-helper/src/helper/system/gateway-identity.js';
import { NetworkIdentityWatch } from '../../../../tunnel-helper/src/helper/system/network-identity.js';
import { AF_INET, RTM } from '../../../../shared/netlink/rtnetlink.js';
import type { NetworkIdentity } from '../../../../shared/control/protocol.js';
import { attr, ip4, u32 } from './rtnetlink-kit.js';


/** A kernel with eth0 (index 2, 10.0.0.7/24, default via 10.0.0.1) and a tunnel wg0 (index 3) with a lower-metric default. */
function kernel(opts: { macKnown: boolean }): GatewayReader & { nudges: string[] } {
  let known = opts.macKnown;
  const link = (i: number, name: string) => { const h = Buffer.alloc(16); h.writeInt32LE(i, 4); return Buffer.concat([h, attr(3, Buffer.from(`${name}\0`))]); };
  const route = (oif: number, gw: string, metric: number) => { const h = Buffer.alloc(12); h[0] = AF_INET; h[4] = 254; h[7] = 1; return Buffer.concat([h, attr(5, ip4(gw)), attr(4, u32(oif)), attr(6, u32(metric))]); };
  const neigh = () => { const h = Buffer.alloc(12); h[0] = AF_INET; h.writeInt32LE(2, 4); h.writeUInt16LE(0x02, 8); return Buffer.concat([h, attr(1, ip4('10.0.0.1')), attr(2, Buffer.from([2, 0, 0, 0, 0, 1]))]); };
  const addr = () => { const h = Buffer.alloc(8); h[0] = AF_INET; h[1] = 24; h.writeUInt32LE(2, 4); return Buffer.concat([h, attr(2, ip4('10.0.0.7'))]); };
  const k = {
    nudges: [] as string[],
    dump: (type: number, family: number): Buffer[] => {
      if (type === RTM.getLink) return [link(2, 'eth0'), link(3, 'wg0')];
      if (family !== AF_INET) return [];
      if (type === RTM.getRoute) return [route(3, '10.9.0.1', 0), route(2, '10.0.0.1', 100)];
      if (type === RTM.getNeigh) return known ? [neigh()] : [];
      return [addr()];
    },
    sleep: async () => undefined,
    nudge: (gw: string) => { k.nudges.push(gw); known = true; },
  };
  return k;
}

describe('the gateway identity', () => {
  it('skips the tunnels\' own default routes and reads the gateway\'s MAC and subnet', async () => {
    assert.deepEqual(await readGatewayIdentity((n) => n === 'wg0', kernel({ macKnown: true })), { gatewayMac: '02:00:00:00:00:01', subnet: '10.0.0.0/24', ifname: 'eth0' });
  });
  it('nudges the gateway once when its MAC is not in the neighbour table yet', async () => {
    const k = kernel({ macKnown: false });
    assert.equal((await readGatewayIdentity((n) => n === 'wg0', k))?.gatewayMac, '02:00:00:00:00:01');
    assert.deepEqual(k.nudges, ['10.0.0.1']);
  });
});

describe('the network identity watch', () => {
  it('announces a network once, and again only when it changes', async () => {
    let gw: { gatewayMac: string; subnet: string; ifname: string } | null = { gatewayMac: '02:00:00:00:00:01', subnet: '10.0.0.0/24', ifname: 'eth0' };
    const seen: NetworkIdentity[] = [];
    const w = new NetworkIdentityWatch({ isTunnel: () => false, log: () => undefined, openBus: null, readGateway: async () => gw, now: () => 7 });
    w.onChange((n) => seen.push(n));
    await w.refresh();
    await w.refresh();
    gw = { ...gw, gatewayMac: '02:00:00:00:00:02' };
    await w.refresh();
    gw = null;
    await w.refresh();
    w.stop();
    assert.deepEqual(seen.map((n) => n.key), ['gateway:02:00:00:00:00:01@10.0.0.0/24', 'gateway:02:00:00:00:00:02@10.0.0.0/24', null]);
    assert.equal(w.current().source, 'none');
  });
  it('keeps reading after a failed read, and a refresh during a read reads once more', async () => {
    let calls = 0;
    const lines: string[] = [];
    const w = new NetworkIdentityWatch({
      isTunnel: () => false, log: (l) => lines.push(l), openBus: null, now: () => 1,
      readGateway: async () => { calls++; if (calls === 1) throw new Error('netlink said no'); return { gatewayMac: '02:00:00:00:00:01', subnet: '10.0.0.0/24', ifname: null }; },
    });
    const first = w.refresh();
    const second = w.refresh();
    await Promise.all([first, second]);
    w.stop();
    assert.equal(calls, 2);
    assert.match(lines[0] ?? '', /Could not identify the network: netlink said no/);
    assert.equal(w.current().gatewayMac, '02:00:00:00:00:01');
  });
});

describe('the network identity watch without a system bus', () => {
  it('falls back to the gateway and says the bus is missing once, not at every retry', async () => {
    let t = 0;
    const lines: string[] = [];
    let opens = 0;
    const w = new NetworkIdentityWatch({
      isTunnel: () => false, log: (l) => lines.push(l), now: () => t,
      openBus: async () => { opens++; throw new Error('connect ENOENT'); },
      readGateway: async () => ({ gatewayMac: '02:00:00:00:00:01', subnet: '10.0.0.0/24', ifname: 'eth0' }),
    });
    await w.refresh();
    t += 60_000;
    await w.refresh();
    w.stop();
    assert.equal(opens, 2, 'the bus is retried');
    assert.equal(lines.filter((l) => /system bus is not available/.test(l)).length, 1);
    assert.equal(w.current().source, 'gateway');
  });
});
