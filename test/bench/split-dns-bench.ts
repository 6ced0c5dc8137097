// A section of `npm run bench` (root): what WireDesk's split DNS forwarder
// adds to a lookup. The netconfig topology with two dnsmasqs (the tunnel's,
// reached through a wireguard-go peer, and the system's, on the underlay), as
// in test/helper/netconfig/split-dns.test.ts. From the client namespace,
// sequential UDP queries are timed straight to each dnsmasq (the reference:
// what a resolver without split DNS pays) and through the forwarder, which
// routes them by name to the same servers; the medians and ratios are printed.
import { join } from 'node:path';
import { wiredeskBin } from '../support/cli.js';
import { isRoot } from '../support/netns.js';
import { Dnsmasq } from '../helper/netconfig/dnsmasq.js';
import { LAN_PEER_V4, TUNNEL_PEER_V4, withTopology, type Topology } from '../helper/netconfig/topology.js';

const QUERIES = Number(process.env.BENCH_DNS_QUERIES ?? 300);

/** Median microseconds of `QUERIES` sequential A queries for `name` to `server`:53, from the client namespace. */
function medianQueryUs(t: Topology, server: string, name: string): number {
  const script = `const d=require('node:dgram');const s=d.createSocket('udp4');const labels=${JSON.stringify(name)}.split('.');`
    + `const q=(id)=>Buffer.concat([Buffer.from([id>>8,id&255,1,0,0,1,0,0,0,0,0,0]),...labels.map(l=>Buffer.concat([Buffer.from([l.length]),Buffer.from(l)])),Buffer.from([0,0,1,0,1])]);`
    + `const times=[];let id=1,t0=0n;const next=()=>{if(times.length>=${QUERIES}){times.sort((a,b)=>a-b);console.log(times[times.length>>1]);s.close();return;}`
    + `t0=process.hrtime.bigint();s.send(q(id),53,${JSON.stringify(server)});};`
    + `s.on('message',(m)=>{if(m.readUInt16BE(0)!==id)return;times.push(Number(process.hrtime.bigint()-t0)/1000);id=(id+1)&65535||1;next();});s.bind(()=>next());`;
  const r = t.runInClient(process.execPath, ['-e', script], {}, 120_000);
  const us = Number(r.stdout.trim());
  if (!Number.isFinite(us) || r.status !== 0) throw new Error(`DNS bench query to ${server} failed: ${r.stderr}`);
  return us;
}

export async function splitDnsBench(): Promise<void> {
  if (!isRoot()) throw new Error('the split DNS bench needs root');
  if (QUERIES <= 0) return;
  await withTopology('sdb', async (t) => {
    await Dnsmasq.start(t.peer, TUNNEL_PEER_V4, { 'corp.example': '10.99.0.1' }, join(t.dir, 'tunnel-dns.log'), ['--no-negcache']);
    await Dnsmasq.start(t.peer, LAN_PEER_V4, { 'other.example': '198.51.100.7' }, join(t.dir, 'system-dns.log'));
    const conf = t.writeConfig(t.config({ iface: [`DNS = ${TUNNEL_PEER_V4}`] }));
    const up = t.runInClient(wiredeskBin, ['up', conf, '--split-dns=corp.example']);
    if (up.status !== 0) throw new Error(`wiredesk up failed: ${up.stderr}`);
    const listen = /^nameserver (\S+)/m.exec(t.client.exec('cat', ['/etc/resolv.conf']))?.[1] ?? '';
    medianQueryUs(t, listen, 'warm.corp.example');
    const tunnelDirect = medianQueryUs(t, TUNNEL_PEER_V4, 'x.corp.example');
    const tunnelVia = medianQueryUs(t, listen, 'x.corp.example');
    const systemDirect = medianQueryUs(t, LAN_PEER_V4, 'other.example');
    const systemVia = medianQueryUs(t, listen, 'other.example');
    t.runInClient(wiredeskBin, ['down', conf]);
    console.log(`\nSplit DNS forwarder (median of ${QUERIES} sequential UDP queries, µs; reference: the same server queried directly)`);
    console.log(`  corp.example via the tunnel: direct ${tunnelDirect.toFixed(0)}, through the forwarder ${tunnelVia.toFixed(0)}  ratio ${(tunnelVia / tunnelDirect).toFixed(2)}`);
    console.log(`  other names, system server:  direct ${systemDirect.toFixed(0)}, through the forwarder ${systemVia.toFixed(0)}  ratio ${(systemVia / systemDirect).toFixed(2)}`);
  });
}

if (process.argv[1]?.endsWith('split-dns-bench.js')) void splitDnsBench();
