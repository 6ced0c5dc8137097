// "Exclude the network I'm on" with real namespaces: a /0 tunnel to a
// wireguard-go peer whose AllowedIPs also hold half of each LAN subnet, so
// that without the bypass a LAN host is sent into the tunnel (the peer cannot
// reach it; wg-quick's suppress_prefixlength rule does not help against a
// route more specific than the LAN's). The LAN host lives in its own namespace.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createInterface } from 'node:readline';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Netns, vethPair, waitFor } from '../../support/netns.js';
import { wiredeskBin } from '../../support/cli.js';
import { driver, snapshot } from './state.js';
import { Topology, skipReason } from './topology.js';

const watcherJs = fileURLToPath(new URL('./lan-bypass-driver.js', import.meta.url));
const LAN_A = { net: '10.77.1.0/24', client: '10.77.1.2/24', host: '10.77.1.1' };
// Not a private range: the kill switch's allow-lan accepts it only because the bypass names it.
const LAN_B = { net: '198.51.100.0/24', client: '198.51.100.2/24', host: '198.51.100.1' };

type Routes = { prefix: string; dev: string }[];

function lines(child: ChildProcess): { next: (want: (v: { routes?: Routes; error?: string }) => boolean) => Promise<{ routes?: Routes }> } {
  const seen: { routes?: Routes; error?: string }[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => { try { seen.push(JSON.parse(l) as never); } catch { /* not ours */ } });
  return {
    async next(want) {
      await waitFor(() => seen.some((v) => v.error !== undefined || want(v)), 20_000, 'the LAN bypass to follow the network');
      const hit = seen.find((v) => v.error !== undefined || want(v))!;
      assert.equal(hit.error, undefined);
      return hit;
    },
  };
}

const has = (prefix: string) => (v: { routes?: Routes }) => !!v.routes?.some((r) => r.prefix === prefix);

describe('exclude the network I\'m on', { skip: skipReason }, () => {
  it('routes the current LAN outside a /0 tunnel, follows a new subnet, agrees with allow-lan, and down removes it', async () => {
    const t = new Topology('xl');
    const lanHost = new Netns('xl');
    try {
      const { aIf: lanIf, bIf: hostIf } = vethPair(t.client, LAN_A.client, lanHost, `${LAN_A.host}/24`);
      const before = snapshot(t.client);
      const conf = t.writeConfig(t.config({ allowedIps: `0.0.0.0/0, 10.77.1.0/25, 198.51.100.0/25` }));
      assert.equal(driver(t, ['up', t.ifname, conf]).error, undefined);
      assert.match(t.client.exec('ip', ['route', 'get', LAN_A.host]), new RegExp(`dev ${t.ifname}`), 'without the bypass the LAN host is routed into the tunnel');
      assert.notEqual(t.ping(LAN_A.host, 1), 0, 'and the peer cannot reach it');

      const watcher = t.client.spawn('node', [watcherJs, 'watch', t.ifname]);
      const out = lines(watcher);
      const first = await out.next(has(LAN_A.net));
      assert.ok(first.routes!.every((r) => r.dev !== t.ifname), 'the tunnel\'s own link is never the LAN');
      assert.match(t.client.exec('ip', ['route', 'get', LAN_A.host]), new RegExp(`dev ${lanIf} table 52820`));
      assert.equal(t.ping(LAN_A.host), 0, 'the LAN host answers outside the tunnel');
      assert.match(t.client.exec('ip', ['-4', 'rule', 'show']), /^5300:\s+from all to 10\.77\.1\.0\/24 lookup 52820/m);
      assert.match(t.client.exec('ip', ['-6', 'rule', 'show']), /^5300:\s+from all to fd01::\/64 lookup 52820/m, 'IPv6 LAN prefixes too');
      assert.match(t.client.exec('ip', ['-6', 'route', 'get', 'fd01::1']), /dev va\d+ table 52820/);

      const ks = t.runInClient('node', [watcherJs, 'kill-switch', t.ifname, 'allow-lan']);
      assert.equal(ks.status, 0, ks.stderr + ks.stdout);

      // The LAN changes: subnet B replaces A on the same link.
      t.client.exec('ip', ['addr', 'del', LAN_A.client, 'dev', lanIf]);
      lanHost.exec('ip', ['addr', 'del', `${LAN_A.host}/24`, 'dev', hostIf]);
      lanHost.exec('ip', ['addr', 'add', `${LAN_B.host}/24`, 'dev', hostIf]);
      t.client.exec('ip', ['addr', 'add', LAN_B.client, 'dev', lanIf]);
      await out.next((v) => has(LAN_B.net)(v) && !has(LAN_A.net)(v));
      assert.match(t.client.exec('ip', ['route', 'get', LAN_B.host]), new RegExp(`dev ${lanIf} table 52820`));
      assert.equal(t.ping(LAN_B.host), 0, 'the new LAN bypasses the tunnel, and the allow-lan kill switch lets it through');
      assert.match(t.client.exec('nft', ['list', 'table', 'inet', `wiredesk-${t.ifname}`]), /ip daddr \{[^}]*198\.51\.100\.0\/24[^}]*\} accept/);
      assert.match(t.client.exec('ip', ['route', 'get', LAN_A.host]), new RegExp(`dev ${t.ifname}`), 'the old LAN no longer bypasses');
      assert.doesNotMatch(t.client.exec('ip', ['-4', 'rule', 'show']), /10\.77\.1\.0\/24/);
      watcher.kill('SIGTERM');

      assert.equal(driver(t, ['down', t.ifname]).error, undefined);
      t.client.exec('ip', ['addr', 'del', LAN_B.client, 'dev', lanIf]);
      t.client.exec('ip', ['addr', 'add', LAN_A.client, 'dev', lanIf]);
      assert.deepEqual(snapshot(t.client), before, 'down removes the rules, the table and the kill switch');
    } finally {
      lanHost.destroy();
      t.destroy();
    }
  });

  it('wiredesk up --exclude-lan bypasses the LAN of the moment, show names it, and down removes it', () => {
    const t = new Topology('xl');
    const lanHost = new Netns('xl');
    try {
      const { aIf: lanIf } = vethPair(t.client, LAN_A.client, lanHost, `${LAN_A.host}/24`);
      const before = snapshot(t.client);
      const conf = t.writeConfig(t.config({ allowedIps: '0.0.0.0/0, 10.77.1.0/25' }));
      const up = t.runInClient(wiredeskBin, ['up', conf, '--exclude-lan']);
      assert.equal(up.status, 0, up.stderr);
      assert.equal(t.ping(LAN_A.host), 0, 'the LAN host answers outside the tunnel');
      const show = t.runInClient(wiredeskBin, ['show', t.ifname]);
      assert.match(show.stdout, new RegExp(`^  exclude lan: .*10\\.77\\.1\\.0/24 \\(${lanIf}\\)`, 'm'));
      assert.match(show.stdout, /^peer: /m, 'the peers still follow');
      const down = t.runInClient(wiredeskBin, ['down', conf]);
      assert.equal(down.status, 0, down.stderr);
      assert.deepEqual(snapshot(t.client), before);
    } finally {
      lanHost.destroy();
      t.destroy();
    }
  });
});
