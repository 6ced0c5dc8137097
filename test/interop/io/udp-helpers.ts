// Shared setup for the LinuxUdpBind tests: binds created inside test
// namespaces, and receive loops bounded by a timeout.
import { type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { LinuxUdpBind } from '../../../tunnel-helper/src/engine/io/udp-linux.js';
import { PacketVector } from '../../../tunnel-helper/src/engine/io/packet-vector.js';
import type { Endpoint } from '../../../tunnel-helper/src/engine/core/endpoint.js';
import type { UdpReceiver } from '../../../tunnel-helper/src/engine/io/udp-bind.js';
import { Netns, vethPair } from '../../support/netns.js';
import { inNetns } from './in-netns.js';

export function namespace(t: TestContext): Netns {
  const ns = new Netns('io');
  t.after(() => ns.destroy());
  return ns;
}

export function bindIn(t: TestContext, ns: Netns, port = 0, sticky = true) {
  const bind = new LinuxUdpBind({ sticky });
  const opened = inNetns(ns.name, () => bind.open(port));
  t.after(() => bind.close());
  return { bind, ...opened };
}

export function receiver(r: readonly UdpReceiver[], family: 4 | 6): UdpReceiver {
  const found = r.find((x) => x.family === family);
  assert.ok(found, `an IPv${family} receiver`);
  return found;
}

/** Receives batches until `want` datagrams arrived; returns the batch sizes and the datagrams (copied). */
export async function receive(r: UdpReceiver, vec: PacketVector, want: number, timeoutMs = 5000) {
  const packets: { data: string; from: Endpoint | null }[] = [];
  const batches: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (packets.length < want) {
    const n = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`received ${packets.length} of ${want} datagrams before the timeout`)), Math.max(1, deadline - Date.now()));
      r.receiveBatch(vec, (err, count) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(count);
      });
    });
    batches.push(n);
    for (let i = 0; i < n; i++) packets.push({ data: vec.packet(i).toString(), from: vec.endpoints[i]! });
  }
  return { packets, batches };
}

export function vectorOf(words: string[]): PacketVector {
  const vec = new PacketVector({ capacity: words.length });
  for (const w of words) vec.push(Buffer.from(w));
  return vec;
}

export function twoNamespaces(t: TestContext, mtu = 1500) {
  const a = namespace(t);
  const b = namespace(t);
  const { aIf, bIf } = vethPair(a, '10.220.0.1/24', b, '10.220.0.2/24');
  a.exec('ip', ['link', 'set', aIf, 'mtu', String(mtu)]);
  b.exec('ip', ['link', 'set', bIf, 'mtu', String(mtu)]);
  return { a, b };
}

