// The pure decisions of up: which routes, whether policy routing, the UAPI
// request, DNS text, addresses as glibc prints
// them, and the config SaveConfig writes back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeKey, formatCidr, inetNtop, parseConfig, parseIp, toWgConfig } from '../../../../shared/config/index.js';
import { resolvConfOwner, resolvConfText, resolverLines, resolvconfName } from '../../../../tunnel-helper/src/helper/netconfig/dns.js';
import type { BeginEntry } from '../../../../tunnel-helper/src/helper/netconfig/journal.js';
import { needsPolicyRouting, routePrefixes } from '../../../../tunnel-helper/src/helper/netconfig/routing.js';
import { savedConfigText, showconf } from '../../../../tunnel-helper/src/helper/netconfig/save-config.js';
import { setconfRequest } from '../../../../tunnel-helper/src/helper/netconfig/wg-setconf.js';
import { formatSet } from '../../../../tunnel-helper/src/engine/uapi/protocol-set.js';
import type { DeviceState } from '../../../../tunnel-helper/src/engine/uapi/device-api.js';
import { A, B, C, conf } from '../../shared/config/helpers.js';

const twoPeers = conf(
  '[Interface]', `PrivateKey = ${A.priv}`, 'ListenPort = 51820', 'Address = 10.0.0.2/24',
  '[Peer]', `PublicKey = ${B.pub}`, `PresharedKey = ${B.psk}`, 'Endpoint = [fd00::1]:51820', 'AllowedIPs = 0.0.0.0/0, 10.1.0.0/16',
  'PersistentKeepalive = 25',
  '[Peer]', `PublicKey = ${C.pub}`, 'Endpoint = vpn.example.com:443', 'AllowedIPs = 10.1.0.0/16, 10.2.3.0/24, ::/0',
);

describe('routes', () => {
  const wg = toWgConfig(parseConfig(twoPeers));

  it('are every peer\'s AllowedIPs, deduplicated, longest prefix first', () => {
    assert.deepEqual(routePrefixes(wg).map(formatCidr), ['10.2.3.0/24', '10.1.0.0/16', '0.0.0.0/0', '::/0']);
  });

  it('are routed without host bits, as the engine holds them (the kernel refuses a route with them)', () => {
    const hostBits = toWgConfig(parseConfig(conf('[Interface]', `PrivateKey = ${A.priv}`, '[Peer]', `PublicKey = ${B.pub}`, 'AllowedIPs = 10.1.2.3/16, 10.1.0.0/16, fd00::1:2/64')));
    assert.deepEqual(routePrefixes(hostBits).map(formatCidr), ['fd00::/64', '10.1.0.0/16']);
  });

  it('use policy routing for a /0 only when the table is unset or auto', () => {
    assert.equal(needsPolicyRouting(wg, undefined), true);
    assert.equal(needsPolicyRouting(wg, 'auto'), true);
    assert.equal(needsPolicyRouting(wg, 'main'), false);
    assert.equal(needsPolicyRouting(wg, 1234), false);
    assert.equal(needsPolicyRouting(wg, 'off'), false);
  });
});

describe('the UAPI request (wg setconf)', () => {
  it('replaces peers and allowed IPs, uses resolved endpoints, and sets the fwmark', () => {
    const wg = toWgConfig(parseConfig(twoPeers));
    const text = formatSet(setconfRequest(wg, [{ host: 'fd00::1', port: 51820 }, { host: '192.0.2.7', port: 443 }], 51820));
    assert.match(text, /^set=1\nprivate_key=[0-9a-f]{64}\nlisten_port=51820\nfwmark=51820\nreplace_peers=true\npublic_key=/);
    assert.match(text, /endpoint=\[fd00::1\]:51820\npersistent_keepalive_interval=25\nreplace_allowed_ips=true\nallowed_ip=0\.0\.0\.0\/0\nallowed_ip=10\.1\.0\.0\/16\n/);
    assert.match(text, /endpoint=192\.0\.2\.7:443\nreplace_allowed_ips=true\nallowed_ip=10\.1\.0\.0\/16\nallowed_ip=10\.2\.3\.0\/24\nallowed_ip=::\/0\n\n$/);
    assert.equal((text.match(/preshared_key=/g) ?? []).length, 1, 'only the peer that has one');
    assert.doesNotMatch(formatSet(setconfRequest(wg, [null, null])), /fwmark|endpoint/);
  });
});

describe('DNS text', () => {
  it('is what resolvconf reads, and a marked resolv.conf', () => {
    assert.equal(resolverLines(['10.0.0.1', 'fd00::1'], ['corp.example', 'lab']), 'nameserver 10.0.0.1\nnameserver fd00::1\nsearch corp.example lab\n');
    const text = resolvConfText('wg0', ['10.0.0.1'], []);
    assert.equal(resolvConfOwner(text), 'wg0');
    assert.equal(resolvConfOwner('nameserver 1.1.1.1\n'), null);
  });

  it("uses resolvconf's interface-order prefix, as wg-quick does", () => {
    assert.equal(resolvconfName('wg0', 'lo.inet*\ntun*\ntap*\n'), 'tun.wg0');
    assert.equal(resolvconfName('wg0', 'lo\nlo.inet*\n'), 'wg0');
  });
});

describe('inet_ntop (what wg prints)', () => {
  const cases: [string, string][] = [
    ['::1', '::1'], ['::', '::'], ['::1.2.3.4', '::1.2.3.4'], ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['::ffff:0:0', '::ffff:0.0.0.0'], ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], ['1:0:2:0:3:0:4:0', '1:0:2:0:3:0:4:0'],
    ['0:0:0:0:0:1:2:3', '::1:2:3'], ['::0.0.0.2', '::2'], ['fe80::', 'fe80::'], ['FD00:0:0::2', 'fd00::2'], ['10.0.0.1', '10.0.0.1'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} -> ${expected} (glibc)`, () => assert.equal(inetNtop(parseIp(input)!), expected));
  }
});

describe('SaveConfig text', () => {
  const state: DeviceState = {
    privateKey: decodeKey(A.priv),
    listenPort: 51820, fwmark: 51820,
    peers: [{
      publicKey: toWgConfig(parseConfig(twoPeers)).peers[0]!.publicKey, presharedKey: null, endpoint: '[fd00::1]:51820',
      lastHandshakeSec: 0, lastHandshakeNsec: 0, rxBytes: 0n, txBytes: 0n, persistentKeepaliveInterval: 25, allowedIps: ['0.0.0.0/0'],
    }],
  };

  it('showconf matches wg showconf', () => {
    assert.equal(showconf(state), `[Interface]\nListenPort = 51820\nFwMark = 0xca6c\nPrivateKey = ${A.priv}\n\n[Peer]\nPublicKey = ${B.pub}\nAllowedIPs = 0.0.0.0/0\nEndpoint = [fd00::1]:51820\nPersistentKeepalive = 25\n`);
  });

  it("puts wg-quick's keys first, in wg-quick's order", () => {
    const begin: BeginEntry = {
      op: 'begin', version: 1, ifname: 'wg0', netns: 'net:[1]', pid: 1, pidStart: '1', startedAt: '', killSwitch: 'off',
      saveConfig: true, dns: ['10.0.0.1'], dnsSearch: ['corp'], mtuFromConfig: true, table: 'auto',
      hooks: { preUp: ['echo a'], postUp: [], preDown: [], postDown: ['echo %i'] },
    };
    const text = savedConfigText(begin, state, { addresses: ['10.0.0.2/24', 'fd00:0::2/64'], mtu: 1380 });
    assert.equal(text.split('\n[Peer]')[0], [
      '[Interface]', 'Address = 10.0.0.2/24', 'Address = fd00::2/64', 'DNS = 10.0.0.1', 'DNS = corp', 'MTU = 1380', 'Table = auto',
      'SaveConfig = true', 'PreUp = echo a', 'PostDown = echo %i', 'ListenPort = 51820', 'FwMark = 0xca6c', `PrivateKey = ${A.priv}`, '',
    ].join('\n'));
    assert.ok(text.endsWith('PersistentKeepalive = 25\n'));
  });
});
