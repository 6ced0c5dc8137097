import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RT_TABLE_MAIN, defaultRoute, dumpRequest, formatIp, parseAddress, parseNeighbour, parseRoute, subnetOf,
} from '../../../../tunnel-helper/src/helper/system/rtnetlink.js';
import { AF_INET, NLMSG_DONE, RTM, RtnetlinkError, splitMessages } from '../../../../shared/netlink/rtnetlink.js';
import { identityOf } from '../../../../tunnel-helper/src/helper/system/network-identity.js';
import { ssidText } from '../../../../tunnel-helper/src/helper/system/nm-identity.js';
import { attr, ip4, u32 } from './rtnetlink-kit.js';


function rtmsg(opts: { dstLen: number; table: number; type?: number }, attrs: Buffer[]): Buffer {
  const h = Buffer.alloc(12);
  h[0] = AF_INET; h[1] = opts.dstLen; h[4] = opts.table; h[7] = opts.type ?? 1;
  return Buffer.concat([h, ...attrs]);
}

function nlmsg(type: number, seq: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt32LE(16 + payload.length, 0);
  h.writeUInt16LE(type, 4);
  h.writeUInt32LE(seq, 8);
  return Buffer.concat([h, payload, Buffer.alloc(((16 + payload.length + 3) & ~3) - 16 - payload.length)]);
}

describe('rtnetlink messages', () => {
  it('builds a dump request of the size each family header needs', () => {
    assert.equal(dumpRequest(RTM.getRoute, AF_INET, 7).length, 28);
    assert.equal(dumpRequest(RTM.getAddr, AF_INET, 7).length, 24);
    assert.equal(dumpRequest(RTM.getLink, 0, 7).length, 32);
    assert.equal(dumpRequest(RTM.getRoute, AF_INET, 7).readUInt16LE(6), 0x301, 'NLM_F_REQUEST | NLM_F_DUMP');
  });
  it('picks the main table\'s default route with the lowest metric, skipping tunnels', () => {
    const routes = [
      rtmsg({ dstLen: 0, table: RT_TABLE_MAIN }, [attr(5, ip4('10.0.0.1')), attr(4, u32(3)), attr(6, u32(600))]),
      rtmsg({ dstLen: 0, table: RT_TABLE_MAIN }, [attr(5, ip4('10.9.0.1')), attr(4, u32(4)), attr(6, u32(100))]),
      rtmsg({ dstLen: 0, table: 252 }, [attr(4, u32(9)), attr(15, u32(51820))]),
      rtmsg({ dstLen: 24, table: RT_TABLE_MAIN }, [attr(1, ip4('10.0.0.0')), attr(4, u32(3))]),
    ].map((p) => parseRoute(p));
    assert.equal(routes[2]!.table, 51820, 'RTA_TABLE beats the 8-bit field');
    assert.equal(defaultRoute(routes, () => false)?.gateway, '10.9.0.1');
    assert.equal(defaultRoute(routes, (i) => i === 4)?.gateway, '10.0.0.1');
  });
  it('reads neighbours and addresses', () => {
    const nd = Buffer.alloc(12);
    nd[0] = AF_INET; nd.writeInt32LE(3, 4); nd.writeUInt16LE(0x02, 8);
    const n = parseNeighbour(Buffer.concat([nd, attr(1, ip4('10.0.0.1')), attr(2, Buffer.from([0x52, 0x54, 0, 0xab, 0xcd, 0xef]))]));
    assert.deepEqual(n, { family: AF_INET, ifindex: 3, state: 2, dst: '10.0.0.1', lladdr: '52:54:00:ab:cd:ef' });
    const ifa = Buffer.alloc(8);
    ifa[0] = AF_INET; ifa[1] = 24; ifa.writeUInt32LE(3, 4);
    assert.deepEqual(parseAddress(Buffer.concat([ifa, attr(2, ip4('10.0.0.7'))])), { family: AF_INET, prefixLen: 24, ifindex: 3, address: '10.0.0.7' });
  });
  it('splits a datagram into messages and refuses lengths past its end', () => {
    const d = Buffer.concat([nlmsg(RTM.newRoute, 5, Buffer.alloc(13)), nlmsg(NLMSG_DONE, 5, u32(0))]);
    assert.deepEqual(splitMessages(d).map((m) => [m.type, m.seq, m.payload.length]), [[RTM.newRoute, 5, 13], [NLMSG_DONE, 5, 4]]);
    const bad = nlmsg(RTM.newRoute, 5, Buffer.alloc(8));
    bad.writeUInt32LE(400, 0);
    assert.throws(() => splitMessages(bad), RtnetlinkError);
    assert.throws(() => parseRoute(Buffer.concat([Buffer.alloc(12), Buffer.from([200, 0, 5, 0])])), RtnetlinkError);
    assert.throws(() => parseRoute(Buffer.alloc(5)), RtnetlinkError);
  });
  it('formats addresses and subnets', () => {
    assert.equal(formatIp(Buffer.from('20010db8000000000000000000000001', 'hex')), '2001:db8::1');
    assert.equal(subnetOf('192.168.17.42', 24), '192.168.17.0/24');
    assert.equal(subnetOf('10.1.2.3', 8), '10.0.0.0/8');
    assert.equal(subnetOf('2001:db8:1:2:aaaa::1', 64), '2001:db8:1:2::/64');
  });
});

describe('network identity', () => {
  it('names Wi-Fi by SSID, other NetworkManager connections by name, and the rest by gateway MAC and subnet', () => {
    assert.equal(identityOf({ name: 'Cafe 5G', ssid: 'Cafe', type: '802-11-wireless' }, null, 1).key, 'wifi:Cafe');
    assert.equal(identityOf({ name: 'Wired 1', ssid: null, type: '802-3-ethernet' }, null, 1).key, 'connection:Wired 1');
    assert.equal(identityOf(null, { gatewayMac: '52:54:00:ab:cd:ef', subnet: '10.0.0.0/24', ifname: 'eth0' }, 1).key, 'gateway:52:54:00:ab:cd:ef@10.0.0.0/24');
    assert.deepEqual(identityOf(null, null, 1), { key: null, source: 'none', connectionName: null, ssid: null, gatewayMac: null, subnet: null, at: 1 });
  });
  it('reads an SSID\'s octets, and refuses what cannot be one', () => {
    assert.equal(ssidText([...Buffer.from('カフェ')]), 'カフェ');
    assert.equal(ssidText([0xff, 0x41]), '\ufffdA');
    assert.equal(ssidText([]), null);
    assert.equal(ssidText(Array<number>(33).fill(65)), null);
    assert.equal(ssidText('Cafe'), null);
    assert.equal(ssidText([256]), null);
  });
});
