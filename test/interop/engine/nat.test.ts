// NAT traversal as netns.sh check 11 tests it: the client sits behind a
// router doing SNAT with a 2-second conntrack UDP timeout, and persistent
// keepalive 1 keeps the mapping alive, so the server can still reach the
// client after the timeout. Run with each side as the client.
//
//   ns1 (client) 192.168.1.100 -- 192.168.1.1 ns0 (router, SNAT to 10.0.0.1) 10.0.0.1 -- 10.0.0.2 ns2 (server)
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Netns, run } from '../../support/netns.js';
import { Secrets, genKeys, ifname, ping, pingEventually, skipReason, sleep, startDaemon, stopDaemon, lingering, wg, type Daemon } from './topology.js';

const skip = skipReason(['nft']);
const started: string[] = [];

function veth(a: Netns, aIf: string, aAddr: string, b: Netns, bIf: string, bAddr: string): void {
  run('ip', ['link', 'add', aIf, 'netns', a.name, 'type', 'veth', 'peer', 'name', bIf, 'netns', b.name]);
  a.exec('ip', ['addr', 'add', aAddr, 'dev', aIf]);
  b.exec('ip', ['addr', 'add', bAddr, 'dev', bIf]);
  a.exec('ip', ['link', 'set', aIf, 'up']);
  b.exec('ip', ['link', 'set', bIf, 'up']);
}

describe('NAT traversal between wiredesk-tunnel and wireguard-go (netns.sh check 11)', { skip }, () => {
  after(async () => assert.deepEqual(await lingering(started), [], 'a wiredesk-tunnel outlived its interface'));

  for (const client of ['wiredesk', 'wireguard-go'] as const) {
    const server = client === 'wiredesk' ? 'wireguard-go' : 'wiredesk';
    it(`keeps a ${client} client behind SNAT reachable with persistent keepalive 1, and the ${server} server sees the NAT address`, async () => {
      const [ns0, ns1, ns2] = [new Netns('n0'), new Netns('n1'), new Netns('n2')];
      const secrets = new Secrets();
      const daemons: [Daemon, Netns][] = [];
      try {
        veth(ns0, 'vethrc', '192.168.1.1/24', ns1, 'vethc', '192.168.1.100/24');
        veth(ns0, 'vethrs', '10.0.0.1/24', ns2, 'veths', '10.0.0.2/24');
        ns1.exec('ip', ['route', 'add', 'default', 'via', '192.168.1.1']);
        ns0.exec('sh', ['-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward; echo 2 > /proc/sys/net/netfilter/nf_conntrack_udp_timeout; '
          + 'echo 2 > /proc/sys/net/netfilter/nf_conntrack_udp_timeout_stream']);
        ns0.exec('nft', ['-f', '-'], {
          input: 'table ip wdnat {\n chain post {\n  type nat hook postrouting priority 100;\n'
            + '  ip saddr 192.168.1.0/24 ip daddr 10.0.0.0/24 snat to 10.0.0.1\n }\n}\n',
        });

        const c = await startDaemon(client, ns1, ifname(client === 'wiredesk' ? 'co' : 'cg'));
        daemons.push([c, ns1]);
        const s = await startDaemon(server, ns2, ifname(server === 'wiredesk' ? 'so' : 'sg'));
        daemons.push([s, ns2]);
        started.push(client === 'wiredesk' ? c.ifname : s.ifname);
        const [ck, sk] = [genKeys(), genKeys()];
        // The server first: the client's keepalive starts a handshake at once.
        wg('set', s.ifname, 'private-key', secrets.file(sk.priv), 'listen-port', '2', 'peer', ck.pub, 'allowed-ips', '192.168.241.1/32');
        wg('set', c.ifname, 'private-key', secrets.file(ck.priv), 'listen-port', '1',
          'peer', sk.pub, 'allowed-ips', '192.168.241.2/32', 'endpoint', '10.0.0.2:2', 'persistent-keepalive', '1');
        for (const [d, ns, addr] of [[c, ns1, '192.168.241.1/24'], [s, ns2, '192.168.241.2/24']] as const) {
          ns.exec('ip', ['addr', 'add', addr, 'dev', d.ifname]);
          ns.exec('ip', ['link', 'set', d.ifname, 'up']);
        }
        const logs = () => `\n${c.kind}:\n${c.output}\n${s.kind}:\n${s.output}`;

        assert.ok(await pingEventually(ns1, '192.168.241.2'), `client to server failed${logs()}`);
        assert.ok(ping(ns2, '192.168.241.1'), `server to client failed${logs()}`);
        assert.equal(wg('show', s.ifname, 'endpoints').trim(), `${ck.pub}\t10.0.0.1:1`);
        // Longer than the conntrack timeout: only the keepalives keep the mapping.
        await sleep(3000);
        assert.ok(ping(ns2, '192.168.241.1'), `server to client failed after the conntrack timeout${logs()}`);
        wg('set', c.ifname, 'peer', sk.pub, 'persistent-keepalive', '0');
        assert.equal(wg('show', c.ifname, 'persistent-keepalive').trim(), `${sk.pub}\toff`);
      } finally {
        for (const [d, ns] of daemons) await stopDaemon(d, ns).catch(() => {});
        for (const ns of [ns1, ns2, ns0]) ns.destroy();
        secrets.cleanup();
      }
    });
  }
});
