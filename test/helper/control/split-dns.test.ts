// Split DNS over the control protocol, as the app drives it: `up` with
// options.splitDns, then setOptions turning it off, on again and to other
// domains, each in place (the same interface, no second up), then down. The real helper in a namespace, a wireguard-go peer
// with the tunnel's dnsmasq behind it, and the "system" dnsmasq on the
// underlay that also answers corp.example, with another address.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventData } from '../../../shared/control/protocol.js';
import type { HelperClient } from '../../../electron/app-core/helper/control-client.js';
import { hasCommand, isRoot, waitFor } from '../../support/netns.js';
import { Dnsmasq } from '../netconfig/dnsmasq.js';
import { HelperFixture, PEER_V4, collect } from './fixture.js';

const skip = !isRoot() ? 'needs root' : !hasCommand('wireguard-go') || !hasCommand('nft') || !hasCommand('dnsmasq') ? 'needs wireguard-go, nft and dnsmasq' : false;
const SYSTEM_RESOLV = `nameserver ${PEER_V4}\noptions timeout:1 attempts:1\n`;

describe('split DNS through the helper', { skip }, () => {
  let fx: HelperFixture;
  let app: HelperClient;
  let name: string;

  before(async () => {
    fx = new HelperFixture();
    fx.client.setResolvConf(SYSTEM_RESOLV);
    fx.addPeer(0);
    await Dnsmasq.start(fx.peer, '10.240.0.2', { 'corp.example': '10.99.0.1' }, join(fx.dir, 'tunnel-dns.log'));
    await Dnsmasq.start(fx.peer, PEER_V4, { 'corp.example': '203.0.113.66', 'other.example': '198.51.100.7' }, join(fx.dir, 'system-dns.log'));
    await fx.startHelper();
    app = await fx.connect();
    name = fx.tunnelName(0);
  });
  after(() => fx?.destroy());

  const lookup = (host: string): string => {
    try {
      return fx.client.exec('getent', ['ahostsv4', host]).split(/\s+/)[0] ?? '';
    } catch {
      return ''; // getent exits 2 when the name does not resolve
    }
  };
  const resolvConf = () => fx.client.exec('cat', ['/etc/resolv.conf']);
  const forwarderFile = () => join(fx.dir, 'state', `${name}.dns-forwarder`);
  const linkIndex = () => fx.client.exec('ip', ['-o', 'link', 'show', 'dev', name]).split(':')[0];
  const journal = () => readFileSync(join(fx.dir, 'state', `${name}.journal`), 'utf8');

  it('routes corp.example to the tunnel, changes in place with setOptions, and leaves nothing after down', async () => {
    const states = collect<EventData<'tunnel-state'>>((cb) => app.on('tunnel-state', cb));
    const configText = fx.configFor(fx.peers[0]!, { iface: ['DNS = 10.240.0.2'] });
    await app.call('up', { name, configText, options: { splitDns: ['corp.example'] } });
    await waitFor(() => states.items.some((s) => s.name === name && s.state === 'up'), 15_000, 'up');
    assert.equal(lookup('x.corp.example'), '10.99.0.1', 'the tunnel\'s server answers corp.example');
    assert.equal(lookup('other.example'), '198.51.100.7', 'the system\'s server answers the rest');
    assert.ok(existsSync(forwarderFile()));
    const link = linkIndex();
    const ups = () => states.items.filter((s) => s.name === name && s.state === 'up').length;

    await app.call('setOptions', { name, options: { splitDns: [] } });
    assert.equal(lookup('x.corp.example'), '10.99.0.1');
    assert.equal(lookup('other.example'), '', 'without split DNS every query goes to the tunnel\'s server, which does not know it');
    assert.match(resolvConf(), /^nameserver 10\.240\.0\.2$/m);
    assert.ok(!existsSync(forwarderFile()), 'the forwarder is stopped');

    await app.call('setOptions', { name, options: { splitDns: ['other.example'] } });
    assert.equal(lookup('x.corp.example'), '203.0.113.66', 'corp.example is the system\'s again');
    assert.equal(lookup('other.example'), '', 'other.example goes to the tunnel now');
    await app.call('setOptions', { name, options: { splitDns: ['corp.example'] } });
    assert.equal(lookup('x.corp.example'), '10.99.0.1');
    assert.equal(lookup('other.example'), '198.51.100.7');
    assert.equal(linkIndex(), link, 'the same interface throughout: nothing reconnected');
    assert.equal(ups(), 1, 'no second up');
    assert.match(journal(), /"splitDns":\["corp\.example"\]/, 'the journal names the domains in force');

    await app.call('down', { name });
    assert.equal(resolvConf(), SYSTEM_RESOLV);
    assert.ok(!existsSync(forwarderFile()));
  });

  it('refuses a split domain that is not a lowercase domain name, changing nothing', async () => {
    await assert.rejects(app.call('up', { name, configText: fx.configFor(fx.peers[0]!, { iface: ['DNS = 10.240.0.2'] }), options: { splitDns: ['Corp..Example'] } }),
      /splitDns/);
    assert.equal(resolvConf(), SYSTEM_RESOLV);
  });
});
