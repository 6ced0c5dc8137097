// The data path's under-load estimate, through whole engines on in-memory
// TUN devices and sockets (io/fakes.ts): junk thrown at the listen port does
// not make a peer's real initiation wait for a cookie, while a flood of
// initiations with a valid mac1 still does.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { INITIATION_SIZE, MESSAGE_COOKIE_REPLY, MESSAGE_RESPONSE, UNDER_LOAD_QUEUE_DEPTH } from '../../../tunnel-helper/src/engine/core/constants.js';
import { mac1Key } from '../../../tunnel-helper/src/engine/core/cookie.js';
import { Device } from '../../../tunnel-helper/src/engine/device.js';
import { nodeCrypto as crypto } from '../../../tunnel-helper/src/engine/crypto-node.js';
import { Endpoint } from '../../../tunnel-helper/src/engine/core/endpoint.js';
import { ChannelBind, ChannelNetwork, ChannelTun } from '../../../tunnel-helper/src/engine/io/fakes.js';
import { PacketVector, slotSizeFor } from '../../../tunnel-helper/src/engine/io/packet-vector.js';
import { ipv4Packet } from '../../fakes/core-pair.js';

interface Seen { type: number; length: number; from: number; to: number }

const devices: Device[] = [];
afterEach(() => {
  for (const d of devices.splice(0)) d.close();
});

/** Our engine and a peer engine on one in-memory network, plus a spare socket for junk. */
function setUp() {
  const net = new ChannelNetwork();
  const seen: Seen[] = [];
  net.filter = (data, from, to) => {
    seen.push({ type: data[0] ?? -1, length: data.length, from: from.port, to: to.port });
    return true;
  };
  const ourTun = new ChannelTun('ours');
  const theirTun = new ChannelTun('theirs');
  const ours = new Device(ourTun, new ChannelBind(net));
  const theirs = new Device(theirTun, new ChannelBind(net));
  devices.push(ours, theirs);
  ours.start();
  theirs.start();
  const skO = crypto.generatePrivateKey();
  const skT = crypto.generatePrivateKey();
  const pkO = crypto.publicKey(skO);
  ours.core.setPrivateKey(skO);
  theirs.core.setPrivateKey(skT);
  const theirPeer = ours.core.addPeer(crypto.publicKey(skT))!;
  ours.allowedIps.insert(Uint8Array.of(10, 0, 0, 2), 32, theirPeer);
  const ourPeer = theirs.core.addPeer(pkO, { endpoint: Endpoint.parse(`127.0.0.1:${ours.listenPort}`) })!;
  theirs.allowedIps.insert(Uint8Array.of(10, 0, 0, 1), 32, ourPeer);
  const spare = new ChannelBind(net);
  spare.open(0);
  /** Sends `datagrams` to our engine from the spare port and waits until it has read them. */
  const throwAtUs = async (datagrams: Uint8Array[]) => {
    const before = ours.bind.stats.packetsReceived;
    const vec = new PacketVector({ capacity: datagrams.length, slotSize: slotSizeFor(2048) });
    for (const d of datagrams) vec.push(d);
    spare.sendBatch(vec, Endpoint.parse(`127.0.0.1:${ours.listenPort}`));
    await until(() => ours.bind.stats.packetsReceived >= before + datagrams.length, 'our engine to read the junk');
  };
  return { ours, theirs, ourTun, theirTun, pkO, seen, spare, throwAtUs };
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), `gave up waiting for ${what}`);
}

function junk(type: number, length: number): Uint8Array {
  const b = crypto.randomBytes(length);
  b.set([type, 0, 0, 0].slice(0, length));
  return b;
}

test('junk at the listen port does not make a real initiation wait for a cookie', async () => {
  const s = setUp();
  const flood: Uint8Array[] = [];
  for (let i = 0; i < 4 * UNDER_LOAD_QUEUE_DEPTH; i++) {
    flood.push(i % 8 === 1 ? junk(1, INITIATION_SIZE) : i % 8 === 2 ? junk(2, 92) : i % 8 === 3 ? junk(3, 64)
      : i % 8 === 4 ? junk(1, 1 + (i % 300)) : Uint8Array.of(1));
  }
  await s.throwAtUs(flood);
  const ping = ipv4Packet('10.0.0.2', '10.0.0.1', 84);
  s.theirTun.inject(ping);
  const arrived = await s.ourTun.nextWritten();
  assert.deepEqual([...arrived], [...ping]);
  const fromUs = s.seen.filter((x) => x.from === s.ours.listenPort).map((x) => x.type);
  assert.ok(fromUs.includes(MESSAGE_RESPONSE), `we sent ${fromUs.join(',')}`);
  assert.equal(fromUs.filter((t) => t === MESSAGE_COOKIE_REPLY).length, 0, `we sent ${fromUs.join(',')}`);
});

test('a flood of initiations with a valid mac1 still puts the engine under load', async () => {
  const s = setUp();
  const key = mac1Key(crypto, s.pkO);
  const flood = Array.from({ length: 2 * UNDER_LOAD_QUEUE_DEPTH }, () => {
    const m = junk(1, INITIATION_SIZE);
    m.set(crypto.mac(key, m.subarray(0, INITIATION_SIZE - 32)), INITIATION_SIZE - 32);
    m.fill(0, INITIATION_SIZE - 16);
    return m;
  });
  await s.throwAtUs(flood);
  const repliesToFlood = s.seen.filter((x) => x.to === s.spare.port && x.type === MESSAGE_COOKIE_REPLY).length;
  assert.ok(repliesToFlood > 0, 'the valid-mac1 flood earned no cookie replies');
  s.theirTun.inject(ipv4Packet('10.0.0.2', '10.0.0.1', 84));
  const toTheirs = () => s.seen.filter((x) => x.from === s.ours.listenPort && x.to === s.theirs.listenPort).map((x) => x.type);
  await until(() => toTheirs().length > 0, 'an answer to their initiation');
  assert.deepEqual(toTheirs(), [MESSAGE_COOKIE_REPLY]);
});
