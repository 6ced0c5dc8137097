import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroPlanner, VNET_HDR_LEN, mergeHead, restoreHead } from '../../../../tunnel-helper/src/engine/io/tcp-gro.js';
import { PacketVector } from '../../../../tunnel-helper/src/engine/io/packet-vector.js';
import { ACK, PSH, SYN, fold, sum16, tcpChecksum, tcpPacket, type TcpSpec } from './tcp-packets.js';

function vectorOf(packets: Buffer[]): PacketVector {
  const vec = new PacketVector({ capacity: packets.length, slotSize: 2048 });
  for (const p of packets) vec.push(p);
  return vec;
}

function plan(packets: Buffer[]): number[][] {
  const planner = new GroPlanner();
  const n = planner.plan(vectorOf(packets));
  return Array.from({ length: n }, (_, k) => [planner.first[k]!, planner.count[k]!]);
}

/** A TSO-like run: `count` segments of `size` bytes from seq 1, IDs from 100. */
function run(count: number, size: number, over: Partial<TcpSpec> = {}): Buffer[] {
  return Array.from({ length: count }, (_, i) => tcpPacket({ seq: 1 + i * size, id: 100 + i, payload: size, ...over }));
}

test('consecutive segments of one flow merge into one write; other packets stay single, in order', () => {
  const udpLike = Buffer.from('4500001c0000400040110000', 'hex');
  assert.deepEqual(plan([...run(5, 1000), udpLike, ...run(3, 1000)]), [[0, 5], [5, 1], [6, 3]]);
  assert.deepEqual(plan(run(5, 1000, { v6: true })), [[0, 5]]);
});

test('a train ends at a PSH segment (kept) and at a shorter segment (kept)', () => {
  const psh = run(4, 1000);
  psh[2] = tcpPacket({ seq: 2001, id: 102, payload: 1000, flags: ACK | PSH });
  assert.deepEqual(plan(psh), [[0, 3], [3, 1]]);
  const short = [...run(3, 1000), tcpPacket({ seq: 3001, id: 103, payload: 500 }), tcpPacket({ seq: 3501, id: 104, payload: 500 })];
  assert.deepEqual(plan(short), [[0, 4], [4, 1]]);
});

test('segments do not merge across a sequence gap, another ACK, other options, other flags or a larger payload', () => {
  const base = () => run(2, 1000);
  const cases: [string, Buffer][] = [
    ['seq gap', tcpPacket({ seq: 5001, id: 102, payload: 1000 })],
    ['other ack', tcpPacket({ seq: 2001, id: 102, payload: 1000, ack: 2000 })],
    ['other options', tcpPacket({ seq: 2001, id: 102, payload: 1000, options: Uint8Array.of(1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 1) })],
    ['SYN', tcpPacket({ seq: 2001, id: 102, payload: 1000, flags: ACK | SYN })],
    ['larger payload', tcpPacket({ seq: 2001, id: 102, payload: 1200 })],
    ['other port', tcpPacket({ seq: 2001, id: 102, payload: 1000, dstPort: 22 })],
    ['other TTL', tcpPacket({ seq: 2001, id: 102, payload: 1000, ttl: 5 })],
    ['IP ID jump', tcpPacket({ seq: 2001, id: 150, payload: 1000 })],
    ['IPv6 after IPv4', tcpPacket({ v6: true, seq: 2001, payload: 1000 })],
  ];
  for (const [what, third] of cases) assert.deepEqual(plan([...base(), third]), [[0, 2], [2, 1]], what);
  assert.deepEqual(plan([tcpPacket({ seq: 1, payload: 0 }), ...run(1, 10)]), [[0, 1], [1, 1]], 'a bare ACK does not start a train');
});

test('empty slots are skipped and without merging every packet is its own write', () => {
  const packets = run(4, 100);
  const vec = vectorOf(packets);
  vec.lengths[1] = 0;
  const planner = new GroPlanner();
  assert.equal(planner.plan(vec), 2); // [0] alone (slot 1 breaks the run), then [2, 3]
  assert.deepEqual([planner.first[0], planner.count[0], planner.first[1], planner.count[1]], [0, 1, 2, 2]);
  assert.equal(planner.plan(vectorOf(run(4, 100)), false), 4);
});

for (const v6 of [false, true]) {
  test(`the merged IPv${v6 ? 6 : 4} header and checksum are what the kernel needs to rebuild the whole segment`, () => {
    const opts = Uint8Array.of(1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 1); // NOP NOP timestamps
    const segs = [...run(3, 1000, { v6, options: opts })];
    segs.push(tcpPacket({ v6, seq: 3001, id: 103, payload: 400, flags: ACK | PSH, options: opts }));
    const vec = vectorOf(segs.map((s) => Buffer.from(s)));
    const vnet = Buffer.alloc(VNET_HDR_LEN);
    const saved = mergeHead(vec, 0, 4, vnet);
    const ipHl = v6 ? 40 : 20;
    const hdrLen = ipHl + 32;
    assert.deepEqual([vnet[0], vnet[1], vnet.readUInt16LE(2), vnet.readUInt16LE(4), vnet.readUInt16LE(6), vnet.readUInt16LE(8)],
      [1, v6 ? 4 : 1, hdrLen, 1000, ipHl, 16]);
    // What the kernel sees: the head's headers, then every segment's payload.
    const merged = Buffer.concat([vec.packet(0), ...segs.slice(1).map((s) => s.subarray(hdrLen))]);
    // It completes the partial checksum over the TCP header and payload (CHECKSUM_PARTIAL).
    merged.writeUInt16BE(~fold(sum16(merged, ipHl, merged.length)) & 0xffff, ipHl + 16);
    const expected = tcpPacket({ v6, seq: 1, id: 100, payload: merged.subarray(hdrLen), flags: ACK | PSH, options: opts });
    assert.equal(merged.toString('hex'), expected.toString('hex'));
    assert.equal(tcpChecksum(merged, ipHl), merged.readUInt16BE(ipHl + 16));
    restoreHead(vec, 0, saved);
    assert.equal(vec.packet(0).toString('hex'), segs[0]!.toString('hex'), 'restoreHead undoes the merge exactly');
  });
}
