// Split DNS without systemd-resolved: `wiredesk up --split-dns=corp.example`
// points the namespace's resolv.conf at WireDesk's forwarder, which sends
// corp.example names through the tunnel to the tunnel's dnsmasq and every
// other name to the "system" dnsmasq of the resolv.conf it replaced. That
// system server also answers corp.example, with another address, so an
// answer says which server gave it. tcpdump on the underlay proves no
// corp.example query leaves outside the tunnel.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { wiredeskBin } from '../../support/cli.js';
import { hasCommand } from '../../support/netns.js';
import { Dnsmasq } from './dnsmasq.js';
import { driver, killEngine, snapshot } from './state.js';
import { LAN_PEER_V4, ORIGINAL_RESOLV, TUNNEL_PEER_V4, skipReason, withTopology, type Topology } from './topology.js';
import { UnderlayCapture, type Packet } from './underlay-capture.js';

const skip = skipReason || (!hasCommand('dnsmasq') ? 'needs dnsmasq (dnsmasq-base)' : !hasCommand('tcpdump') ? 'needs tcpdump' : false);

const CORP_BY_TUNNEL = '10.99.0.1';
const CORP_BY_SYSTEM = '203.0.113.66';
const OTHER_BY_SYSTEM = '198.51.100.7';
/** 40 A records: an answer over 512 bytes, truncated over UDP (glibc sends no EDNS0 here), so the resolver asks again over TCP. */
const BIG = Array.from({ length: 40 }, (_, i) => `10.99.1.${i + 1}`);

async function servers(t: Topology): Promise<{ tunnel: Dnsmasq; system: Dnsmasq }> {
  return {
    tunnel: await Dnsmasq.start(t.peer, TUNNEL_PEER_V4, { 'corp.example': CORP_BY_TUNNEL }, join(t.dir, 'tunnel-dns.log'),
      BIG.map((a) => `--host-record=big.corp.example,${a}`)),
    system: await Dnsmasq.start(t.peer, LAN_PEER_V4, { 'corp.example': CORP_BY_SYSTEM, 'other.example': OTHER_BY_SYSTEM }, join(t.dir, 'system-dns.log')),
  };
}

/** glibc's resolver in the client namespace (ip netns exec gives it the namespace's resolv.conf). */
function lookup(t: Topology, name: string): string {
  const r = t.runInClient('getent', ['ahostsv4', name]);
  return r.stdout.split(/\s+/)[0] ?? '';
}

/** The DNS name in wire form, as it would appear in a captured query. */
function wireName(name: string): Buffer {
  return Buffer.concat(name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])));
}

/** One A query over TCP (length-prefixed) to `server`, from the client namespace; the first answer's address. */
function tcpLookup(t: Topology, server: string, name: string): string {
  const script = `const n=require('node:net');const labels=${JSON.stringify(name)}.split('.');`
    + `const q=Buffer.concat([Buffer.from([0x12,0x34,1,0,0,1,0,0,0,0,0,0]),...labels.map(l=>Buffer.concat([Buffer.from([l.length]),Buffer.from(l)])),Buffer.from([0,0,1,0,1])]);`
    + `const s=n.connect(53,${JSON.stringify(server)},()=>{const f=Buffer.alloc(2);f.writeUInt16BE(q.length);s.write(Buffer.concat([f,q]));});`
    + `let b=Buffer.alloc(0);s.on('data',d=>{b=Buffer.concat([b,d]);if(b.length>=2&&b.length>=2+b.readUInt16BE(0)){const m=b.subarray(2);`
    + `if(m.readUInt16BE(0)!==0x1234)process.exit(3);const a=m.subarray(m.length-4);console.log([...a].join('.'));s.end();}});`;
  return t.runInClient(process.execPath, ['-e', script]).stdout.trim();
}

/** Malformed DNS over UDP and TCP to the forwarder: short, random, response-shaped, pointer loops, a zero and a huge TCP frame. */
function garbage(t: Topology, server: string): void {
  const script = `const d=require('node:dgram'),n=require('node:net');const s=d.createSocket('udp4');const S=${JSON.stringify(server)};`
    + `const ps=[Buffer.alloc(0),Buffer.from([1]),Buffer.alloc(12),Buffer.from([0,1,0x81,0x80,0,1,0,0,0,0,0,0,0,0,1,0,1]),`
    + `Buffer.from([0,2,1,0,0,1,0,0,0,0,0,0,0xc0,12,0,1,0,1]),Buffer.from([0,3,1,0,0,1,0,0,0,0,0,0,63,97])];`
    + `for(let i=0;i<200;i++)ps.push(require('node:crypto').randomBytes(i%90));`
    + `let k=0;const next=()=>{if(k>=ps.length){s.close();tcp();return;}s.send(ps[k++],53,S,next);};s.bind(next);`
    + `const tcp=()=>{let left=2;for(const f of [Buffer.from([0,0,1,2]),Buffer.from([255,255,1,2,3])]){const c=n.connect(53,S,()=>c.end(f));`
    + `c.on('error',()=>{});c.on('close',()=>{if(--left===0)process.exit(0);});}};`;
  const r = t.runInClient(process.execPath, ['-e', script]);
  assert.equal(r.status, 0, r.stderr);
}

function forwarderAddress(t: Topology): string {
  return /^nameserver (127\.0\.54\.\d+)$/m.exec(t.client.exec('cat', ['/etc/resolv.conf']))?.[1] ?? '';
}

describe('split DNS through the forwarder (no resolved in a namespace)', { skip }, () => {
  it('sends corp.example names through the tunnel, others to the system server, and leaks none', () => withTopology('sd', async (t) => {
    const dns = await servers(t);
    assert.equal(lookup(t, 'x.corp.example'), CORP_BY_SYSTEM, 'before up, the system server answers corp.example');
    const conf = t.writeConfig(t.config({ iface: [`DNS = ${TUNNEL_PEER_V4}`] }));
    const capture = await UnderlayCapture.start(t.client, t.clientVeth, join(t.dir, 'underlay.pcap'), t.peer, '10.201.0.255');
    let packets: Packet[];
    try {
      const up = t.runInClient(wiredeskBin, ['up', conf, '--split-dns=corp.example']);
      assert.equal(up.status, 0, up.stderr);
      assert.match(t.client.exec('cat', ['/etc/resolv.conf']), /^nameserver 127\.0\.54\.\d+\noptions timeout:1 attempts:1\n/m);
      assert.equal(lookup(t, 'x.corp.example'), CORP_BY_TUNNEL);
      assert.equal(lookup(t, 'Deep.X.Corp.Example'), CORP_BY_TUNNEL, 'names compare case-insensitively');
      assert.equal(lookup(t, 'other.example'), OTHER_BY_SYSTEM);
      assert.equal(lookup(t, 'notcorp.example'), '', 'a name that only ends with the same letters is not under the domain');
      assert.equal(tcpLookup(t, forwarderAddress(t), 'y.corp.example'), CORP_BY_TUNNEL, 'over TCP too');
      garbage(t, forwarderAddress(t));
      assert.equal(lookup(t, 'z.corp.example'), CORP_BY_TUNNEL, 'still serving after malformed packets');
      const big = t.runInClient('getent', ['ahostsv4', 'big.corp.example']).stdout;
      assert.deepEqual([...new Set(big.split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0]))].sort(), [...BIG].sort(),
        'a truncated UDP answer is fetched again over TCP through the forwarder');
      assert.equal(tcpLookup(t, forwarderAddress(t), 'other.example'), OTHER_BY_SYSTEM);
    } finally {
      packets = await capture.stop().finally(() => capture.kill());
    }
    const dnsOnUnderlay = packets.filter((p) => p.sport === 53 || p.dport === 53);
    assert.ok(dnsOnUnderlay.some((p) => p.payload.includes(wireName('other.example'))), 'the capture sees the system server\'s queries');
    const leaked = dnsOnUnderlay.filter((p) => p.payload.includes(wireName('corp.example')));
    assert.deepEqual(leaked.length, 0, `corp.example queries on the underlay: ${leaked.length}`);
    assert.ok(dns.tunnel.queries().includes('x.corp.example'));
    const underCorp = (q: string) => q === 'corp.example' || q.endsWith('.corp.example');
    assert.deepEqual(dns.system.queries().filter(underCorp), ['x.corp.example'], 'the system server got only the query made before up');
    assert.ok(dns.system.queries().includes('notcorp.example'));
    assert.ok(!dns.tunnel.queries().includes('other.example'));

    const show = t.runInClient(wiredeskBin, ['show', t.ifname]);
    assert.match(show.stdout, /^ {2}split dns: corp\.example$/m);
    const pidFile = `/run/wiredesk/${t.ifname}.dns-forwarder`;
    const pid = Number(readFileSync(pidFile, 'utf8').split(' ')[0]);
    const down = t.runInClient(wiredeskBin, ['down', conf]);
    assert.equal(down.status, 0, down.stderr);
    assert.equal(t.client.exec('cat', ['/etc/resolv.conf']), ORIGINAL_RESOLV);
    assert.ok(!existsSync(pidFile));
    assert.ok(!existsSync(`/proc/${pid}`), 'the forwarder has exited');
  }));

  it('a dead tunnel is recovered: the forwarder stops and resolv.conf comes back', () => withTopology('sd', async (t) => {
    await servers(t);
    const before = snapshot(t.client);
    const conf = t.writeConfig(t.config({ iface: [`DNS = ${TUNNEL_PEER_V4}`] }));
    const up = t.runInClient(wiredeskBin, ['up', conf, '--split-dns', 'corp.example']);
    assert.equal(up.status, 0, up.stderr);
    const pid = Number(readFileSync(`/run/wiredesk/${t.ifname}.dns-forwarder`, 'utf8').split(' ')[0]);
    await killEngine(t);
    // Its source address went with the interface: the tunnel's names are not sent elsewhere.
    assert.equal(lookup(t, 'x.corp.example'), '');
    assert.deepEqual(driver(t, ['recover']).result, [t.ifname]);
    assert.deepEqual(snapshot(t.client), before);
    assert.ok(!existsSync(`/proc/${pid}`));
  }));

  it('refuses bad domains and split DNS without DNS servers, changing nothing', () => withTopology('sd', (t) => {
    const before = snapshot(t.client);
    const withDns = t.writeConfig(t.config({ iface: [`DNS = ${TUNNEL_PEER_V4}`] }));
    const bad = t.runInClient(wiredeskBin, ['up', withDns, '--split-dns=corp..example']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /"corp\.\.example" is not a domain name \(it has an empty label/);
    const noDns = t.writeConfig(t.config());
    const none = t.runInClient(wiredeskBin, ['up', noDns, '--split-dns=corp.example']);
    assert.equal(none.status, 1);
    assert.match(none.stderr, /split DNS needs the tunnel's DNS servers: add DNS = under \[Interface\]/);
    const lanDns = t.writeConfig(t.config({ iface: [`DNS = ${LAN_PEER_V4}`] }));
    const outside = t.runInClient(wiredeskBin, ['up', lanDns, '--split-dns=corp.example']);
    assert.equal(outside.status, 1);
    assert.match(outside.stderr, /the DNS server 10\.201\.0\.1 is not inside any peer's AllowedIPs/);
    assert.deepEqual(snapshot(t.client), before);
  }));

  it('with systemd-resolved: routing-only domains on the link instead of ~., and no default route', () => withTopology('sd', async (t) => {
    const record = join(t.dir, 'resolvectl.log');
    const fake = join(t.dir, 'resolvectl');
    writeFileSync(fake, `#!/bin/sh\necho "$*" >> ${record}\n`);
    chmodSync(fake, 0o755);
    const env = { WIREDESK_DNS_BACKEND: 'resolvectl', PATH: `${t.dir}:${process.env.PATH ?? ''}` };
    const conf = t.writeConfig(t.config({ iface: [`DNS = ${TUNNEL_PEER_V4}, corp.example`] }));
    const up = t.runInClient(wiredeskBin, ['up', conf, '--split-dns=corp.example,~Lab.Internal'], env);
    assert.equal(up.status, 0, up.stderr);
    assert.equal(readFileSync(record, 'utf8'), [
      `dns -- ${t.ifname} ${TUNNEL_PEER_V4}`,
      `domain -- ${t.ifname} ~corp.example ~lab.internal corp.example`,
      `default-route -- ${t.ifname} false`, ''].join('\n'));
    assert.equal(t.client.exec('cat', ['/etc/resolv.conf']), ORIGINAL_RESOLV, 'resolved serves it; the file is not touched');
    assert.ok(!existsSync(`/run/wiredesk/${t.ifname}.dns-forwarder`), 'no forwarder with resolved');
    assert.equal(t.runInClient(wiredeskBin, ['down', conf], env).status, 0);
    assert.match(readFileSync(record, 'utf8'), new RegExp(`revert -- ${t.ifname}\\n$`));
  }));

  it('with resolvconf: the forwarder gets resolvconf\'s exclusive entry', () => withTopology('sd', async (t) => {
    await servers(t);
    const record = join(t.dir, 'resolvconf.log');
    const fake = join(t.dir, 'resolvconf');
    writeFileSync(fake, `#!/bin/sh\necho "args: $*" >> ${record}\ncat >> ${record}\n`);
    chmodSync(fake, 0o755);
    const env = { WIREDESK_DNS_BACKEND: 'resolvconf', PATH: `${t.dir}:${process.env.PATH ?? ''}` };
    const conf = t.writeConfig(t.config({ iface: [`DNS = ${TUNNEL_PEER_V4}`] }));
    const up = t.runInClient(wiredeskBin, ['up', conf, '--split-dns=corp.example'], env);
    assert.equal(up.status, 0, up.stderr);
    assert.match(readFileSync(record, 'utf8'), new RegExp(`^args: -a ${t.ifname} -m 0 -x\\nnameserver 127\\.0\\.54\\.\\d+\\n$`));
    const listen = /nameserver (\S+)/.exec(readFileSync(record, 'utf8'))![1]!;
    assert.equal(tcpLookup(t, listen, 'x.corp.example'), CORP_BY_TUNNEL, 'the forwarder serves at the address given to resolvconf');
    assert.equal(tcpLookup(t, listen, 'other.example'), OTHER_BY_SYSTEM, 'and keeps the servers of the resolv.conf resolvconf wrote');
    assert.equal(t.runInClient(wiredeskBin, ['down', conf], env).status, 0);
    assert.match(readFileSync(record, 'utf8'), new RegExp(`args: -d ${t.ifname} -f\\n$`));
    assert.ok(!existsSync(`/run/wiredesk/${t.ifname}.dns-forwarder`));
  }));
});
