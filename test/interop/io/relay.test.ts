// The seams together: a TCP stream crosses two TUN devices joined by UDP
// batches (a WireGuard data path without the crypto) and arrives intact,
// with UDP GSO on the way out and TCP GRO on the way into the second TUN.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { LinuxTun } from '../../../tunnel-helper/src/engine/io/tun-linux.js';
import { LinuxUdpBind } from '../../../tunnel-helper/src/engine/io/udp-linux.js';
import { Endpoint } from '../../../tunnel-helper/src/engine/core/endpoint.js';
import { Netns, isRoot, waitFor } from '../../support/netns.js';
import { inNetns } from './in-netns.js';
import { drain, pump } from './relay.js';

const skip = isRoot() ? false : 'needs root for namespaces and TUN devices';
const MEGABYTES = 8;

function tunnel(t: TestContext, gro: boolean) {
  const a = new Netns('io');
  const b = new Netns('io');
  const link = new Netns('io');
  t.after(() => [a, b, link].forEach((ns) => ns.destroy()));
  const tunA = inNetns(a.name, () => LinuxTun.create('wg0', { mtu: 1420, gro }));
  const tunB = inNetns(b.name, () => LinuxTun.create('wg0', { mtu: 1420, gro }));
  const bindA = new LinuxUdpBind();
  const bindB = new LinuxUdpBind();
  t.after(() => [tunA, tunB, bindA, bindB].forEach((x) => x.close()));
  for (const [ns, tun, v4, v6] of [[a, tunA, '10.230.0.1/24', 'fd00:230::1/64'], [b, tunB, '10.230.0.2/24', 'fd00:230::2/64']] as const) {
    ns.exec('ip', ['addr', 'add', v4, 'dev', 'wg0']);
    ns.exec('ip', ['-6', 'addr', 'add', v6, 'dev', 'wg0', 'nodad']);
    tun.up();
  }
  const openA = inNetns(link.name, () => bindA.open(0));
  const openB = inNetns(link.name, () => bindB.open(0));
  pump(tunA, bindA, Endpoint.parse(`[::1]:${openB.port}`));
  pump(tunB, bindB, Endpoint.parse(`127.0.0.1:${openA.port}`));
  drain(openB.receivers.find((r) => r.family === 6)!, tunB);
  drain(openA.receivers.find((r) => r.family === 4)!, tunA);
  return { a, b, tunA, tunB };
}

/** Streams MEGABYTES of pseudo-random bytes from namespace a to b over TCP; returns both SHA-256 digests. */
async function stream(a: Netns, b: Netns, host: string): Promise<{ sent: string; received: string }> {
  const server = b.spawn(process.execPath, ['-e', `const h=require('crypto').createHash('sha256');let n=0;
    const s=require('net').createServer((c)=>{c.on('data',(d)=>{h.update(d);n+=d.length;});c.on('end',()=>{console.log('got',n,h.digest('hex'));s.close();});});
    s.listen(5201,'${host}',()=>console.log('ready'));`]);
  let out = '';
  server.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  await waitFor(() => out.includes('ready'), 5000, 'the TCP server');
  // Spawned, not exec'd: this process runs the relay, so it must not block while the stream flows.
  const client = a.spawn(process.execPath, ['-e', `const c=require('crypto');const h=c.createHash('sha256');
    const s=require('net').connect(5201,'${host}',()=>{let left=${MEGABYTES * 16};let x=c.createHash('sha256').update('seed').digest();
    const more=()=>{while(left>0){const chunk=Buffer.alloc(65536);for(let o=0;o<65536;o+=32){x=c.createHash('sha256').update(x).digest();x.copy(chunk,o);}
    h.update(chunk);left--;if(!s.write(chunk))return s.once('drain',more);}s.end(()=>console.log('sent',h.digest('hex')));};more();});`]);
  let clientOut = '';
  client.stdout!.on('data', (d: Buffer) => { clientOut += d.toString(); });
  await waitFor(() => out.includes('got'), 30_000, 'the stream to arrive');
  await waitFor(() => clientOut.includes('sent'), 5000, 'the client to finish');
  const [, bytes, received] = out.match(/got (\d+) ([0-9a-f]+)/) ?? [];
  assert.equal(Number(bytes), MEGABYTES << 20);
  return { sent: clientOut.match(/sent ([0-9a-f]+)/)?.[1] ?? '', received: received ?? '' };
}

test('a TCP stream over IPv4 crosses TUN -> UDP -> TUN intact, merged into GSO writes', { skip, timeout: 90_000 }, async (t) => {
  const { a, b, tunB } = tunnel(t, true);
  const { sent, received } = await stream(a, b, '10.230.0.2');
  assert.equal(received, sent);
  assert.ok(tunB.stats.coalesced > 0, `some writes were merged (${tunB.stats.coalesced} of ${tunB.stats.packetsWritten})`);
});

test('a TCP stream over IPv6 crosses intact too, and without GRO as well', { skip, timeout: 90_000 }, async (t) => {
  const { a, b, tunB } = tunnel(t, true);
  const v6 = await stream(a, b, 'fd00:230::2');
  assert.equal(v6.received, v6.sent);
  assert.ok(tunB.stats.coalesced > 0);
  const plain = tunnel(t, false);
  const v4 = await stream(plain.a, plain.b, '10.230.0.2');
  assert.equal(v4.received, v4.sent);
  assert.equal(plain.tunB.stats.coalesced, 0);
});
