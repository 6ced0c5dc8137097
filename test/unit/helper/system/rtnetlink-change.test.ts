// The requests up sends instead of spawning `ip`, checked byte for byte
// against encodings written by hand (rtnetlink-kit.ts), and the route
// replies it reads the MTU from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  NLM_F_ACK, getLinkRequest, getRouteRequest, newAddressRequest, newRouteRequest, parseLinkInfo, parseRouteEntry, setLinkUpRequest,
} from '../../../../tunnel-helper/src/helper/system/rtnetlink-change.js';
import { NLM_F_REQUEST, RTM } from '../../../../shared/netlink/rtnetlink.js';
import { attr, ip4, u32 } from './rtnetlink-kit.js';

const CREATE_EXCL = 0x400 | 0x200;

function header(b: Buffer): { len: number; type: number; flags: number; seq: number } {
  return { len: b.readUInt32LE(0), type: b.readUInt16LE(4), flags: b.readUInt16LE(6), seq: b.readUInt32LE(8) };
}

describe('rtnetlink change requests', () => {
  it('adds an address as `ip address add` does: IFA_LOCAL and IFA_ADDRESS, create exclusively', () => {
    const b = newAddressRequest(7, ip4('10.240.0.1'), 24, 42);
    assert.deepEqual(header(b), { len: b.length, type: RTM.newAddr, flags: NLM_F_REQUEST | NLM_F_ACK | CREATE_EXCL, seq: 42 });
    const body = Buffer.concat([Buffer.from([2, 24, 0, 0]), u32(7), attr(2, ip4('10.240.0.1')), attr(1, ip4('10.240.0.1'))]);
    assert.deepEqual(b.subarray(16), body);
  });

  it('sets the MTU and IFF_UP in one RTM_NEWLINK', () => {
    const b = setLinkUpRequest(7, 1420, 1);
    const ifinfo = Buffer.alloc(16);
    ifinfo.writeInt32LE(7, 4); ifinfo.writeUInt32LE(1, 8); ifinfo.writeUInt32LE(1, 12);
    assert.equal(header(b).type, RTM.newLink);
    assert.deepEqual(b.subarray(16), Buffer.concat([ifinfo, attr(4, u32(1420))]));
  });

  it('adds a link-scope unicast route; a table past 255 goes in RTA_TABLE', () => {
    const main = newRouteRequest(ip4('10.99.0.0'), 24, 7, 254, 3);
    assert.deepEqual(main.subarray(16, 28), Buffer.from([2, 24, 0, 0, 254, 3, 253, 1, 0, 0, 0, 0]));
    assert.deepEqual(main.subarray(28), Buffer.concat([attr(1, ip4('10.99.0.0')), attr(4, u32(7))]));
    const policy = newRouteRequest(ip4('0.0.0.0'), 0, 7, 51820, 4);
    assert.equal(policy[16 + 4], 0, 'RT_TABLE_UNSPEC in the rtmsg');
    assert.deepEqual(policy.subarray(28), Buffer.concat([attr(1, ip4('0.0.0.0')), attr(4, u32(7)), attr(15, u32(51820))]));
    assert.equal(header(policy).len, policy.length);
  });

  it('asks for a link by name (NUL-terminated) or by index, and for the route to one address', () => {
    assert.deepEqual(getLinkRequest('wg0', 5).subarray(32), attr(3, Buffer.from('wg0\0')));
    assert.equal(getLinkRequest(9, 5).readInt32LE(20), 9);
    const get = getRouteRequest(ip4('192.0.2.7'), 6);
    assert.equal(header(get).type, RTM.getRoute);
    assert.deepEqual(get.subarray(16, 18), Buffer.from([2, 32]));
    assert.deepEqual(get.subarray(28), attr(1, ip4('192.0.2.7')));
  });
});

describe('rtnetlink route and link replies', () => {
  it('reads the MTU metric (RTA_METRICS/RTAX_MTU), the device and the destination of a route', () => {
    const rtmsg = Buffer.from([2, 32, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0]);
    const withMtu = Buffer.concat([rtmsg, attr(1, ip4('192.0.2.7')), attr(4, u32(3)), attr(8, attr(2, u32(1400)))]);
    const r = parseRouteEntry(withMtu);
    assert.equal(r.mtu, 1400);
    assert.equal(r.oif, 3);
    assert.equal(r.dst, '192.0.2.7');
    assert.equal(parseRouteEntry(Buffer.concat([rtmsg, attr(4, u32(3))])).mtu, null, 'no metric: the device decides');
  });

  it('reads a link index and MTU', () => {
    const ifinfo = Buffer.alloc(16);
    ifinfo.writeInt32LE(12, 4);
    assert.deepEqual(parseLinkInfo(Buffer.concat([ifinfo, attr(3, Buffer.from('eth0\0')), attr(4, u32(9000))])), { ifindex: 12, mtu: 9000 });
  });
});
