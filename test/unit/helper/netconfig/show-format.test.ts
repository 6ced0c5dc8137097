// formatShow and its parts against text the real `wg show` (wireguard-tools
// v1.0.20210914) printed for a wireguard-go interface, captured together with
// `wg show dump` and the time: same state, same second, same text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeKey } from '../../../../shared/config/index.js';
import {
  formatBytes, formatDuration, formatHandshakeAge, formatShow, formatShowAll, sortPeers,
} from '../../../../tunnel-helper/src/helper/netconfig/index.js';
import type { DeviceState, PeerState } from '../../../../tunnel-helper/src/engine/uapi/device-api.js';

const key = (b64: string) => decodeKey(b64)!;

/** `wg show wdcapx0 dump`, in the order wg received the peers, at Unix time 1795459628. */
const CAPTURED_AT = 1795459628;
const captured: DeviceState = {
  privateKey: key('uNFn0ut7FSwKMGmCzWHE9cdXPalZ82qfokymaiE7AHg='),
  listenPort: 51778,
  fwmark: 0x1234,
  peers: [
    {
      publicKey: key('OVM/YujbeTtZnSn9+A2q8tFz6hVqdR2TWX6u/+9e7SQ='), presharedKey: null, endpoint: null,
      lastHandshakeSec: 0, lastHandshakeNsec: 0, rxBytes: 0n, txBytes: 0n, persistentKeepaliveInterval: 0, allowedIps: [],
    },
    {
      publicKey: key('nCLWOw6bpGXTDmhDFIDSqbTkhwWo+WTA9jDAgpmLUE8='), presharedKey: key('gANo0ajtfZ4rAZpg7WpAeifMrAz4nByJHN4J+h9CAXQ='),
      endpoint: '[fd00::1234]:51820', lastHandshakeSec: 0, lastHandshakeNsec: 0, rxBytes: 0n, txBytes: 0n,
      persistentKeepaliveInterval: 25, allowedIps: ['fd00:1::/64', '0.0.0.0/1', '::ffff:0:0/96'],
    },
    {
      publicKey: key('kbqQqmFlak5t2/tCjStqQi7OdYuRj8QAkMSnnfSruQc='), presharedKey: null, endpoint: '10.92.0.1:51777',
      lastHandshakeSec: 1795459626, lastHandshakeNsec: 123456789, rxBytes: 275308n, txBytes: 275364n,
      persistentKeepaliveInterval: 0, allowedIps: ['192.168.92.1/32', '10.50.0.0/16'],
    },
  ],
};

const WG_SHOW = `interface: wdcapx0
  public key: uAGU9KvkQpXcNrYmgkzzNrArGQmRnYOOhF0VorC86U0=
  private key: (hidden)
  listening port: 51778
  fwmark: 0x1234

peer: kbqQqmFlak5t2/tCjStqQi7OdYuRj8QAkMSnnfSruQc=
  endpoint: 10.92.0.1:51777
  allowed ips: 192.168.92.1/32, 10.50.0.0/16
  latest handshake: 2 seconds ago
  transfer: 268.86 KiB received, 268.91 KiB sent

peer: OVM/YujbeTtZnSn9+A2q8tFz6hVqdR2TWX6u/+9e7SQ=
  allowed ips: (none)

peer: nCLWOw6bpGXTDmhDFIDSqbTkhwWo+WTA9jDAgpmLUE8=
  preshared key: (hidden)
  endpoint: [fd00::1234]:51820
  allowed ips: fd00:1::/64, 0.0.0.0/1, ::ffff:0.0.0.0/96
  persistent keepalive: every 25 seconds
`;

describe('formatShow matches wg show', () => {
  it('prints the captured interface exactly (peers sorted, keys hidden, (none), keepalive)', () => {
    assert.equal(formatShow(captured, 'wdcapx0', CAPTURED_AT), WG_SHOW);
  });

  it('takes fractional seconds for now, as time(NULL) truncates', () => {
    assert.equal(formatShow(captured, 'wdcapx0', CAPTURED_AT + 0.999), WG_SHOW);
  });

  it('shows the keys with WG_HIDE_KEYS=never', () => {
    const text = formatShow(captured, 'wdcapx0', CAPTURED_AT, { showKeys: true });
    assert.match(text, /^ {2}private key: uNFn0ut7FSwKMGmCzWHE9cdXPalZ82qfokymaiE7AHg=$/m);
    assert.match(text, /^ {2}preshared key: gANo0ajtfZ4rAZpg7WpAeifMrAz4nByJHN4J\+h9CAXQ=$/m);
  });

  it('prints only the interface line for a blank device, and separates interfaces by a blank line', () => {
    const blank: DeviceState = { privateKey: null, listenPort: 0, fwmark: 0, peers: [] };
    assert.equal(formatShow(blank, 'wg9', 0), 'interface: wg9\n');
    assert.equal(formatShowAll([{ ifname: 'a', state: blank }, { ifname: 'b', state: blank }], 0), 'interface: a\n\ninterface: b\n');
  });
});

describe('formatHandshakeAge and formatDuration (show.c ago / pretty_time)', () => {
  it('matches the wording of wg show', () => {
    assert.equal(formatHandshakeAge(0), 'Now');
    assert.equal(formatHandshakeAge(1), '1 second ago');
    assert.equal(formatHandshakeAge(66), '1 minute, 6 seconds ago');
    assert.equal(formatHandshakeAge(120), '2 minutes ago');
    assert.equal(formatHandshakeAge(3600 + 1), '1 hour, 1 second ago');
    assert.equal(formatHandshakeAge(2 * 86400 + 3 * 3600), '2 days, 3 hours ago');
    assert.equal(formatHandshakeAge(365 * 86400 + 60), '1 year, 1 minute ago');
    assert.equal(formatHandshakeAge(-5), '(System clock wound backward; connection problems may ensue.)');
  });

  it('formats keepalive intervals', () => {
    assert.equal(`every ${formatDuration(25)}`, 'every 25 seconds');
    assert.equal(`every ${formatDuration(65535)}`, 'every 18 hours, 12 minutes, 15 seconds');
    assert.equal(`every ${formatDuration(1)}`, 'every 1 second');
  });
});

describe('formatBytes (show.c bytes: %u B, else %.2f KiB..TiB)', () => {
  it('switches units at each 1024', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(1023), '1023 B');
    assert.equal(formatBytes(1024), '1.00 KiB');
    assert.equal(formatBytes(2734), '2.67 KiB');
    assert.equal(formatBytes(4424), '4.32 KiB');
    assert.equal(formatBytes(1024 * 1024 - 1), '1024.00 KiB');
    assert.equal(formatBytes(1024 * 1024), '1.00 MiB');
    assert.equal(formatBytes(244917964), '233.57 MiB');
    assert.equal(formatBytes(5n * 1024n ** 3n), '5.00 GiB');
    assert.equal(formatBytes(3n * 1024n ** 4n + 1024n ** 3n), '3.00 TiB');
    assert.equal(formatBytes(2n ** 64n - 1n), '16777216.00 TiB');
  });

  it('rounds exact halves to even, as glibc printf does (toFixed would round up)', () => {
    assert.equal(formatBytes(1152), '1.12 KiB'); // 1.125 exactly
    assert.equal(formatBytes(1408), '1.38 KiB'); // 1.375 exactly
    assert.equal(formatBytes(1034), '1.01 KiB'); // 1.009765625
  });
});

describe('sortPeers (show.c peer_cmp)', () => {
  const p = (sec: number, nsec: number, tag: number): PeerState => ({
    publicKey: new Uint8Array(32).fill(tag), presharedKey: null, endpoint: null, lastHandshakeSec: sec,
    lastHandshakeNsec: nsec, rxBytes: 0n, txBytes: 0n, persistentKeepaliveInterval: 0, allowedIps: [],
  });

  it('puts the newest handshake first, nanoseconds breaking ties, and never-handshaked peers last in their order', () => {
    const sorted = sortPeers([p(0, 0, 1), p(100, 5, 2), p(0, 0, 3), p(100, 9, 4), p(200, 0, 5)]);
    assert.deepEqual(sorted.map((x) => x.publicKey[0]), [5, 4, 2, 1, 3]);
  });
});
