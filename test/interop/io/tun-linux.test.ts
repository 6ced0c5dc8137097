// LinuxTun against the real kernel, inside namespaces these tests create.
import { mock, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { openSync } from 'node:fs';
import { LinuxTun } from '../../../tunnel-helper/src/engine/io/tun-linux.js';
import { PacketVector } from '../../../tunnel-helper/src/engine/io/packet-vector.js';
import { TunClosedError } from '../../../tunnel-helper/src/engine/io/tun.js';
import { sys } from '../../../tunnel-helper/src/engine/io/libc.js';
import { TUNSETIFF, ifreq } from '../../../tunnel-helper/src/engine/io/netdev-linux.js';
import { Netns, isRoot, run, waitFor } from '../../support/netns.js';
import { inNetns } from './in-netns.js';
import { ipv4UdpPacket, parseIpv4Udp } from './ip-packets.js';

const skip = isRoot() ? false : 'needs root for namespaces and TUN devices';

function namespace(t: TestContext, tag: string): Netns {
  const ns = new Netns(tag);
  t.after(() => ns.destroy());
  return ns;
}

/** Creates a TUN inside `ns`, closed after the test. */
function tunIn(t: TestContext, ns: Netns, mtu = 1420): LinuxTun {
  const tun = inNetns(ns.name, () => LinuxTun.create('wdt%d', { mtu }));
  t.after(() => tun.close());
  return tun;
}

/** Addresses the TUN, brings it up, and turns IPv6 off on it so no router solicitations join the traffic. */
function configure(ns: Netns, tun: LinuxTun, cidr: string): void {
  ns.exec('sysctl', ['-qw', `net.ipv6.conf.${tun.name()}.disable_ipv6=1`]);
  ns.exec('ip', ['addr', 'add', cidr, 'dev', tun.name()]);
  tun.up();
}

/** Sends `count` UDP datagrams from inside `ns` (payload `${prefix}${i}`). */
function sendUdpFrom(ns: Netns, host: string, port: number, prefix: string, count = 1, size = 0): void {
  const code = `const d=require('dgram').createSocket('udp4');let left=${count};
    for(let i=0;i<${count};i++){const m=Buffer.alloc(Math.max(${size},${JSON.stringify(prefix)}.length+3),0x2e);m.write(${JSON.stringify(prefix)}+i);
    d.send(${size} ? m : Buffer.from(${JSON.stringify(prefix)}+i),${port},'${host}',()=>{if(--left===0)d.close();});}`;
  ns.exec(process.execPath, ['-e', code], { timeoutMs: 10_000 });
}

/** Reads batches until `want` UDP packets to `port` have arrived (or the timeout). */
async function readUdp(tun: LinuxTun, vec: PacketVector, port: number, want: number, timeoutMs = 5000) {
  const got: ReturnType<typeof parseIpv4Udp>[] = [];
  const batches: number[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < want) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`read ${got.length} of ${want} packets before the timeout`);
    const n = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no packet from the TUN within ${timeoutMs} ms`)), remaining);
      tun.readBatch(vec, (err, count) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(count);
      });
    });
    batches.push(n);
    for (let i = 0; i < n; i++) {
      const udp = vec.lengths[i]! > 0 ? parseIpv4Udp(vec.packet(i)) : null;
      if (udp?.dstPort === port) got.push(udp);
    }
  }
  return { got, batches };
}

test('creates the interface in the namespace it is opened in, and sets its MTU and up state', { skip }, (t) => {
  const ns = namespace(t, 'io');
  const tun = tunIn(t, ns, 1420);
  const name = tun.name();
  assert.match(name, /^wdt\d+$/);
  assert.match(ns.exec('ip', ['link', 'show', name]), /mtu 1420/);
  assert.equal(tun.mtu(), 1420);
  assert.equal(tun.isUp(), false);
  tun.up();
  assert.equal(tun.isUp(), true);
  assert.match(ns.exec('ip', ['link', 'show', name]), /<[^>]*\bUP\b/);
  tun.setMtu(1380);
  assert.match(ns.exec('ip', ['link', 'show', name]), /mtu 1380/);
  const index = Number(ns.exec('cat', [`/sys/class/net/${name}/ifindex`]).trim());
  assert.equal(tun.ifIndex(), index);
  tun.down();
  assert.equal(tun.isUp(), false);
});

test('reads the packets the namespace routes into the tunnel, in batches at the headroom', { skip }, async (t) => {
  const ns = namespace(t, 'io');
  const tun = tunIn(t, ns);
  configure(ns, tun, '10.200.0.1/24');
  const vec = new PacketVector({ capacity: 64 });
  sendUdpFrom(ns, '10.200.0.2', 5555, 'to-the-tunnel-', 20);
  const { got } = await readUdp(tun, vec, 5555, 20);
  assert.equal(got[0]!.src, '10.200.0.1');
  assert.equal(got[0]!.dst, '10.200.0.2');
  assert.deepEqual(got.map((u) => u!.payload.toString()).sort(), Array.from({ length: 20 }, (_, i) => `to-the-tunnel-${i}`).sort());
  assert.equal(vec.offsets[0], vec.headroom);
  assert.ok(tun.stats.packetsRead >= 20);
});

test('writes a batch of packets that a socket in the namespace receives', { skip }, async (t) => {
  const ns = namespace(t, 'io');
  const tun = tunIn(t, ns);
  configure(ns, tun, '10.201.0.1/24');
  const listener = ns.spawn(process.execPath, ['-e', `const s=require('dgram').createSocket('udp4');
    s.on('message',(m)=>console.log(m.toString()));s.bind(7777,'10.201.0.1',()=>console.log('ready'));`]);
  let output = '';
  listener.stdout!.on('data', (d: Buffer) => { output += d.toString(); });
  await waitFor(() => output.includes('ready'), 5000, 'the UDP listener in the namespace');
  const vec = new PacketVector({ capacity: 4 });
  for (const word of ['alpha', 'beta', 'gamma']) vec.push(ipv4UdpPacket([10, 201, 0, 2], [10, 201, 0, 1], 40000, 7777, Buffer.from(word)));
  vec.push(Buffer.from('\x00 is no IP version'));
  assert.equal(tun.writeBatch(vec), 3, 'the kernel refuses the non-IP packet');
  assert.equal(tun.stats.dropped, 1);
  await waitFor(() => ['alpha', 'beta', 'gamma'].every((w) => output.includes(w)), 5000, 'the three datagrams');
});

test('keeps working through its fd after the interface moves to other namespaces', { skip }, async (t) => {
  const ns1 = namespace(t, 'io');
  const ns2 = namespace(t, 'io');
  // Created in our own namespace and moved, the way wg-go's netns.sh moves wg1.
  const name = `wdm${process.pid % 100000}`;
  const tun = LinuxTun.create(name, { mtu: 1420 });
  t.after(() => tun.close());
  run('ip', ['link', 'set', name, 'netns', ns1.name]);
  assert.equal(tun.name(), name);
  assert.equal(tun.mtu(), 1420);
  ns1.exec('ip', ['link', 'set', name, 'netns', ns2.name]);
  ns2.exec('ip', ['link', 'set', name, 'name', 'wdmoved']);
  assert.equal(tun.name(), 'wdmoved', 'the name comes from the fd, so renames are followed');
  tun.setMtu(1300);
  assert.match(ns2.exec('ip', ['link', 'show', 'wdmoved']), /mtu 1300/);
  assert.equal(tun.ifIndex(), Number(ns2.exec('cat', ['/sys/class/net/wdmoved/ifindex']).trim()));
  configure(ns2, tun, '10.202.0.1/24');
  assert.equal(tun.isUp(), true);
  const vec = new PacketVector({ capacity: 8 });
  sendUdpFrom(ns2, '10.202.0.2', 6666, 'moved-');
  const { got } = await readUdp(tun, vec, 6666, 1);
  assert.equal(got[0]!.payload.toString(), 'moved-0');
  vec.clear();
  vec.push(ipv4UdpPacket([10, 202, 0, 2], [10, 202, 0, 1], 1, 9, 10));
  assert.equal(tun.writeBatch(vec), 1);
});

test('deleting the interface ends a pending read through the poll, not the liveness timer, and fires onClosed', { skip }, async (t) => {
  // The one-second liveness check runs on a mocked setInterval that never ticks here, so only
  // the pending read (EPOLLERR/EBADFD on the fd) can notice. No time bound: the guard below
  // only stops a hang. How fast it notices is a figure in `npm run bench`.
  mock.timers.enable({ apis: ['setInterval'] });
  t.after(() => mock.timers.reset());
  const ns = namespace(t, 'io');
  const tun = tunIn(t, ns);
  const closed = new Promise<TunClosedError>((resolve) => tun.onClosed(resolve));
  const read = new Promise<Error | null>((resolve) => tun.readBatch(new PacketVector({ capacity: 1 }), (err) => resolve(err)));
  ns.exec('ip', ['link', 'del', tun.name()]);
  let guard: NodeJS.Timeout | undefined;
  const err = await Promise.race([read, new Promise<never>((_, reject) => {
    guard = setTimeout(() => reject(new Error('the pending read never noticed the deletion (the liveness timer was frozen)')), 10_000);
  })]).finally(() => clearTimeout(guard));
  assert.ok(err instanceof TunClosedError && err.deleted, String(err));
  assert.match(err.message, /was deleted/);
  assert.equal((await closed).deleted, true);
  assert.ok(tun.closed);
  assert.throws(() => tun.writeBatch(new PacketVector({ capacity: 1 })), TunClosedError);
});

test('deleting an idle interface (no read pending) fires onClosed at the one-second liveness check', { skip }, async (t) => {
  // An injected clock (mocked setInterval): not at 999 ms, at 1000 ms.
  mock.timers.enable({ apis: ['setInterval'] });
  t.after(() => mock.timers.reset());
  const ns = namespace(t, 'io');
  const tun = tunIn(t, ns);
  let fired: TunClosedError | null = null;
  tun.onClosed((e) => { fired = e; });
  ns.exec('ip', ['link', 'del', tun.name()]);
  const turns = () => new Promise((r) => setImmediate(r));
  mock.timers.tick(999);
  await turns();
  assert.equal(fired, null, 'nothing polls an idle device before its liveness check');
  assert.equal(tun.closed, false);
  mock.timers.tick(1);
  await turns();
  assert.ok((fired as TunClosedError | null)?.deleted, 'the liveness check at 1000 ms saw the deletion');
  assert.ok(tun.closed);
});

test('destroying the namespace the interface was moved into deletes it and fires onClosed', { skip }, async (t) => {
  // (A TUN opened inside a namespace keeps that namespace alive through its fd, as with wg-go:
  // only a namespace it was moved into can vanish under it.)
  const ns = new Netns('io');
  t.after(() => ns.destroy());
  const name = `wdd${process.pid % 100000}`;
  const tun = LinuxTun.create(name);
  t.after(() => tun.close());
  run('ip', ['link', 'set', name, 'netns', ns.name]);
  const closed = new Promise<TunClosedError>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('onClosed did not fire within 3 s')), 3000);
    tun.onClosed((e) => { clearTimeout(timer); resolve(e); });
  });
  tun.readBatch(new PacketVector({ capacity: 1 }), () => {});
  ns.destroy();
  assert.equal((await closed).deleted, true);
});

test('close() fails the pending read and the kernel removes the interface', { skip }, async (t) => {
  const ns = namespace(t, 'io');
  const tun = tunIn(t, ns);
  const name = tun.name();
  const read = new Promise<Error | null>((resolve) => tun.readBatch(new PacketVector({ capacity: 1 }), (err) => resolve(err)));
  tun.close();
  const err = await read;
  assert.ok(err instanceof TunClosedError && !err.deleted);
  await waitFor(() => ns.status('ip', ['link', 'show', name]) !== 0, 3000, `${name} to disappear`);
  tun.close(); // idempotent
});

test('drops a packet that would not leave room for padding and tag, and keeps the rest', { skip }, async (t) => {
  const ns = namespace(t, 'io');
  const tun = tunIn(t, ns);
  configure(ns, tun, '10.203.0.1/24');
  const vec = new PacketVector({ capacity: 8, slotSize: 256 }); // room for 256 - 16 - 32 = 208 bytes
  sendUdpFrom(ns, '10.203.0.2', 7000, 'big-', 1, 300);
  sendUdpFrom(ns, '10.203.0.2', 7001, 'small-');
  const { got } = await readUdp(tun, vec, 7001, 1);
  assert.equal(got[0]!.payload.toString(), 'small-0');
  assert.equal(tun.stats.dropped, 1);
});

test('adopts a TUN fd opened by a parent process (WG_TUN_FD), even a blocking one', { skip }, async (t) => {
  const ns = namespace(t, 'io');
  const fd = inNetns(ns.name, () => openSync('/dev/net/tun', 'r+'));
  const req = ifreq('wdfd0');
  req.writeUInt16LE(0x1001, 16); // IFF_TUN | IFF_NO_PI
  assert.equal(sys.ioctl(fd, TUNSETIFF, req), 0);
  const tun = LinuxTun.fromFd(fd);
  t.after(() => tun.close());
  assert.equal(tun.name(), 'wdfd0');
  configure(ns, tun, '10.204.0.1/24');
  sendUdpFrom(ns, '10.204.0.2', 7100, 'adopted-');
  const { got } = await readUdp(tun, new PacketVector({ capacity: 4 }), 7100, 1);
  assert.equal(got[0]!.payload.toString(), 'adopted-0');
});
