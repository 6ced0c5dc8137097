import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkForwarderConfig, resolvConfServers } from '../../../../tunnel-helper/src/helper/dns-forwarder/forwarder-config.js';
import { resolvectlDomainArgs, serversOutsideTunnel } from '../../../../tunnel-helper/src/helper/netconfig/split-dns.js';
import { loadConfig } from '../../../../shared/config/index.js';
import { withSplitDns } from '../../../../tunnel-helper/src/cli/show-command.js';

const good = {
  ifname: 'wg0', stateDir: '/run/wiredesk', listen: '127.0.54.1', port: 53, splitDomains: ['corp.example'],
  tunnelServers: ['10.0.0.1'], tunnelSources: { v4: '10.0.0.2' }, systemServers: ['192.168.1.1', 'fd00::1'],
};

describe('the split DNS forwarder\'s inputs', () => {
  it('accepts a complete config and refuses anything off', () => {
    assert.deepEqual(checkForwarderConfig(good), good);
    const bad: Record<string, unknown>[] = [
      { listen: '10.0.0.1' }, { listen: '::1' }, { port: 0 }, { ifname: '../x' }, { stateDir: 'run' },
      { splitDomains: ['Corp.example'] }, { splitDomains: [1] }, { tunnelServers: [] }, { tunnelServers: ['dns.example'] },
      { systemServers: ['x'] }, { tunnelSources: { v4: 'fd00::2' } }, { tunnelSources: null },
    ];
    for (const change of bad) assert.equal(checkForwarderConfig({ ...good, ...change }), null, JSON.stringify(change));
    assert.equal(checkForwarderConfig('x'), null);
    assert.equal(checkForwarderConfig(null), null);
  });

  it('keeps the servers of the resolv.conf it replaces', () => {
    const text = '# comment\nnameserver 192.168.1.1\nnameserver  fd00::53\nnameserver bogus\nsearch lan\noptions edns0\nnameserver 192.168.1.1\n';
    assert.deepEqual(resolvConfServers(text), ['192.168.1.1', 'fd00::53']);
  });

  it('gives resolved routing-only domains instead of ~., then the search domains', () => {
    assert.deepEqual(resolvectlDomainArgs('wg0', ['corp.example', 'lab'], ['corp.example']), ['domain', '--', 'wg0', '~corp.example', '~lab', 'corp.example']);
  });

  it('adds nothing to wg show\'s text for a tunnel without split DNS', () => {
    const text = 'interface: nosuchtunnel0\n  listening port: 1\n\npeer: x\n';
    assert.equal(withSplitDns(text, 'nosuchtunnel0'), text);
  });

  it('finds the tunnel DNS servers no AllowedIPs cover (their queries would leave outside the tunnel)', () => {
    const text = (dns: string, allowed: string) => `[Interface]\nPrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=\nAddress = 10.0.0.2/32\nDNS = ${dns}\n\n`
      + `[Peer]\nPublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=\nAllowedIPs = ${allowed}\n`;
    const outside = (dns: string, allowed: string) => serversOutsideTunnel(loadConfig(text(dns, allowed)).config!);
    assert.deepEqual(outside('10.0.0.1, fd00::1', '10.0.0.0/24, fd00::/64'), []);
    assert.deepEqual(outside('10.0.0.1, 192.168.1.1', '10.0.0.0/24'), ['192.168.1.1']);
    assert.deepEqual(outside('10.0.0.1, fd00::1', '0.0.0.0/0'), ['fd00::1'], 'a v4 /0 does not cover a v6 server');
    assert.deepEqual(outside('1.1.1.1', '0.0.0.0/0, ::/0'), []);
  });
});
