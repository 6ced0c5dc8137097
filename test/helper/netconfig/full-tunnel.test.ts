// AllowedIPs = 0.0.0.0/0, ::/0 in a namespace with its own default routes:
// wg-quick's policy routing sends everything through the tunnel while the
// engine's own UDP (fwmark 51820) still reaches the endpoint over the veth.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../support/netns.js';
import { wiredeskBin } from '../../support/cli.js';
import { driver, handshakeDone, snapshot } from './state.js';
import { SERVICE_V4, SERVICE_V6, Topology, skipReason, wgKeyPair } from './topology.js';

const skip = skipReason;

function rxBytes(t: Topology): number {
  const line = t.client.exec('wg', ['show', t.ifname, 'transfer']).trim();
  return Number(line.split('\t')[1] ?? 0);
}

describe('wiredesk up with AllowedIPs = 0.0.0.0/0, ::/0', { skip }, () => {
  it('routes all traffic through the tunnel, keeps the endpoint reachable, and down restores everything', async () => {
    const t = new Topology('f');
    try {
      const before = snapshot(t.client);
      assert.notEqual(t.ping(SERVICE_V4, 1), 0, 'without the tunnel the service is unreachable (the peer drops it on the veth)');
      const conf = t.writeConfig(t.config({ allowedIps: '0.0.0.0/0, ::/0' }));
      const up = t.runInClient(wiredeskBin, ['up', conf]);
      assert.equal(up.status, 0, up.stderr);

      // wg-quick's policy routing, for both families.
      const rules4 = t.client.exec('ip', ['-4', 'rule', 'show']);
      assert.match(rules4, /from all lookup main suppress_prefixlength 0/);
      assert.match(rules4, /not from all fwmark 0xca6c lookup 51820/);
      assert.match(t.client.exec('ip', ['-6', 'rule', 'show']), /not from all fwmark 0xca6c lookup 51820/);
      assert.match(t.client.exec('ip', ['-4', 'route', 'show', 'table', '51820']), new RegExp(`^default dev ${t.ifname} scope link`, 'm'));
      assert.match(t.client.exec('ip', ['-6', 'route', 'show', 'table', '51820']), new RegExp(`^default dev ${t.ifname} metric 1024`, 'm'));
      assert.match(t.client.exec('wg', ['show', t.ifname, 'fwmark']), /^0xca6c$/m);
      assert.equal(t.client.exec('sysctl', ['-n', 'net.ipv4.conf.all.src_valid_mark']).trim(), '1');
      const nft = t.client.exec('nft', ['list', 'ruleset']);
      assert.match(nft, new RegExp(`table ip wiredesk-route-${t.ifname} \\{[^]*iifname != "${t.ifname}" ip daddr 192\\.168\\.201\\.2 fib saddr type != local drop`));
      assert.match(nft, /meta l4proto udp meta mark 0x0000ca6c ct mark set meta mark/);
      assert.match(nft, new RegExp(`table ip6 wiredesk-route-${t.ifname} \\{[^]*ip6 daddr fd77::2 fib saddr type != local drop`));

      // Traffic goes through the tunnel; the endpoint (marked) does not.
      assert.match(t.client.exec('ip', ['route', 'get', SERVICE_V4]), new RegExp(`dev ${t.ifname} table 51820`));
      assert.match(t.client.exec('ip', ['route', 'get', '10.201.0.1', 'mark', '51820']), /dev va\d+/);
      const rxBefore = rxBytes(t);
      assert.equal(t.ping(SERVICE_V4), 0, 'the service answers through the tunnel');
      assert.equal(t.client.status('ping', ['-6', '-c', '1', '-W', '2', SERVICE_V6], 10_000), 0);
      await waitFor(() => handshakeDone(t), 5_000, 'a completed handshake');
      assert.ok(rxBytes(t) > rxBefore, 'the replies arrived through the tunnel');

      const down = t.runInClient(wiredeskBin, ['down', conf]);
      assert.equal(down.status, 0, down.stderr);
      assert.deepEqual(snapshot(t.client), before);
      assert.notEqual(t.ping(SERVICE_V4, 1), 0);
    } finally {
      t.destroy();
    }
  });

  it('with the API: picks the next free table when 51820 is taken, and reports it', async () => {
    const t = new Topology('n');
    try {
      t.client.exec('ip', ['route', 'add', '10.250.0.0/24', 'dev', 'lo', 'table', '51820']);
      const before = snapshot(t.client);
      const conf = t.writeConfig(t.config({ allowedIps: '0.0.0.0/0' }));
      const up = driver(t, ['up', t.ifname, conf]);
      assert.equal(up.error, undefined);
      assert.deepEqual(up.result, { ifname: t.ifname, mtu: 1420, table: 51821, hooksSkipped: [] });
      assert.match(t.client.exec('ip', ['-4', 'rule', 'show']), /not from all fwmark 0xca6d lookup 51821/);
      assert.equal(t.ping(SERVICE_V4), 0);
      assert.deepEqual(driver(t, ['active']).result, [t.ifname]);
      const down = driver(t, ['down', t.ifname]);
      assert.deepEqual(down.result, {});
      assert.deepEqual(snapshot(t.client), before);
    } finally {
      t.destroy();
    }
  });

  it('two full tunnels brought up and down at the same time get their own tables and leave nothing', async () => {
    const t = new Topology('p');
    const second = `${t.ifname.slice(0, 13)}s`;
    t.extraNames.push(second);
    try {
      const before = snapshot(t.client);
      const v4 = t.writeConfig(t.config({ allowedIps: '0.0.0.0/0', iface: ['DNS = 192.168.201.1'] }));
      const other = wgKeyPair();
      const v6 = t.writeConfig([
        '[Interface]', `PrivateKey = ${other.priv}`, 'Address = fd78::2/64', 'DNS = fd78::1',
        '[Peer]', `PublicKey = ${wgKeyPair().pub}`, 'Endpoint = 10.201.0.1:51999', 'AllowedIPs = ::/0', '',
      ].join('\n'), second);
      const up = driver(t, ['parallel-up', JSON.stringify([[t.ifname, v4], [second, v6]])]);
      assert.equal(up.error, undefined);
      const tables = (up.result as { table: number }[]).map((r) => r.table).sort();
      assert.deepEqual(tables, [51820, 51821]);
      assert.equal(t.ping(SERVICE_V4), 0);
      const down = driver(t, ['parallel-down', JSON.stringify([t.ifname, second])]);
      assert.equal(down.error, undefined);
      assert.deepEqual(snapshot(t.client), before);
    } finally {
      t.destroy();
    }
  });
});
