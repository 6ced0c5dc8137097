import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DeviceState, PeerState } from '../../../../tunnel-helper/src/engine/uapi/device-api.js';
import { formatGet, parseGet } from '../../../../tunnel-helper/src/engine/uapi/protocol-get.js';
import { UapiError } from '../../../../tunnel-helper/src/engine/uapi/errors.js';
import { hexKey, keyOf } from './uapi-test-kit.js';

const ZERO = '0'.repeat(64);

function peer(over: Partial<PeerState>): PeerState {
  return {
    publicKey: keyOf(0xaa), presharedKey: null, endpoint: null, lastHandshakeSec: 0, lastHandshakeNsec: 0,
    rxBytes: 0n, txBytes: 0n, persistentKeepaliveInterval: 0, allowedIps: [], ...over,
  };
}

const empty: DeviceState = { privateKey: null, listenPort: 0, fwmark: 0, peers: [] };

describe('formatGet writes what wireguard-go writes', () => {
  it('a fresh device is only the terminator', () => {
    assert.equal(formatGet(empty), 'errno=0\n\n');
  });

  it('omits a zero private key, a zero port and a zero fwmark', () => {
    assert.equal(formatGet({ ...empty, privateKey: new Uint8Array(32) }), 'errno=0\n\n');
    assert.equal(
      formatGet({ privateKey: keyOf(0x48), listenPort: 51820, fwmark: 0xffffffff, peers: [] }),
      `private_key=${hexKey(0x48)}\nlisten_port=51820\nfwmark=4294967295\nerrno=0\n\n`,
    );
  });

  it('a bare peer has a zero preshared key, no endpoint and no allowed IPs', () => {
    assert.equal(
      formatGet({ ...empty, listenPort: 1, peers: [peer({})] }),
      'listen_port=1\n' +
        `public_key=${hexKey(0xaa)}\npreshared_key=${ZERO}\nprotocol_version=1\n` +
        'last_handshake_time_sec=0\nlast_handshake_time_nsec=0\ntx_bytes=0\nrx_bytes=0\n' +
        'persistent_keepalive_interval=0\nerrno=0\n\n',
    );
  });

  it('a full peer lists every field in wg-go order, IPv6 endpoints in brackets', () => {
    const full = peer({
      publicKey: keyOf(0x01), presharedKey: keyOf(0xfe), endpoint: '[fd00::1]:51820',
      lastHandshakeSec: 1700000000, lastHandshakeNsec: 123456789, rxBytes: 1372n, txBytes: 18446744073709551615n,
      persistentKeepaliveInterval: 25, allowedIps: ['192.168.241.2/32', 'fd00::2/128'],
    });
    const v4 = peer({ publicKey: keyOf(0x02), endpoint: '127.0.0.1:1' });
    assert.equal(
      formatGet({ privateKey: keyOf(0x40), listenPort: 0, fwmark: 51820, peers: [full, v4] }),
      `private_key=${hexKey(0x40)}\nfwmark=51820\n` +
        `public_key=${hexKey(0x01)}\npreshared_key=${hexKey(0xfe)}\nprotocol_version=1\nendpoint=[fd00::1]:51820\n` +
        'last_handshake_time_sec=1700000000\nlast_handshake_time_nsec=123456789\n' +
        'tx_bytes=18446744073709551615\nrx_bytes=1372\npersistent_keepalive_interval=25\n' +
        'allowed_ip=192.168.241.2/32\nallowed_ip=fd00::2/128\n' +
        `public_key=${hexKey(0x02)}\npreshared_key=${ZERO}\nprotocol_version=1\nendpoint=127.0.0.1:1\n` +
        'last_handshake_time_sec=0\nlast_handshake_time_nsec=0\ntx_bytes=0\nrx_bytes=0\n' +
        'persistent_keepalive_interval=0\nerrno=0\n\n',
    );
  });

  it('writes 130560 allowed IPs in one pass: every prefix read once, one line each, in order', () => {
    // No time bound here (a slow machine is not a bug): the work is bounded instead. A formatter
    // that rescans the list (dedup with indexOf, a sort, a lookup per line) reads prefixes many
    // times over; this one may read each exactly once. The time it takes is in `npm run bench`.
    const ips: string[] = [];
    for (let a = 1; a <= 255; a++) for (let b = 0; b < 256; b++) ips.push(`${a}.${b}.0.0/16`, `${a}::${b}/128`);
    let reads = 0;
    const counted = new Proxy(ips, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    const text = formatGet({ ...empty, peers: [peer({ allowedIps: counted })] });
    assert.equal(reads, ips.length, 'each allowed IP is read exactly once');
    const head = `public_key=${hexKey(0xaa)}\npreshared_key=${ZERO}\nprotocol_version=1\n` +
      'last_handshake_time_sec=0\nlast_handshake_time_nsec=0\ntx_bytes=0\nrx_bytes=0\npersistent_keepalive_interval=0\n';
    assert.ok(text.startsWith(head));
    assert.ok(text.endsWith('\nerrno=0\n\n'));
    const lines = text.slice(head.length, -'\nerrno=0\n\n'.length).split('\n');
    assert.equal(lines.length, 255 * 256 * 2);
    for (let i = 0; i < ips.length; i++) {
      if (lines[i] !== `allowed_ip=${ips[i]}`) assert.fail(`line ${i}: ${lines[i]} instead of allowed_ip=${ips[i]}`);
    }
  });
});

describe('parseGet reads a reply as wg(8) does', () => {
  it('round-trips formatGet', () => {
    const state: DeviceState = {
      privateKey: keyOf(0x40), listenPort: 51820, fwmark: 7,
      peers: [peer({ presharedKey: keyOf(3), endpoint: '[fd00::1]:1', rxBytes: 5n, txBytes: 6n, lastHandshakeSec: 9, allowedIps: ['10.0.0.0/8'] })],
    };
    assert.deepEqual(parseGet(formatGet(state)), state);
  });

  it('ignores keys it does not know, as boringtun adds own_public_key', () => {
    const s = parseGet(`own_public_key=${hexKey(1)}\nlisten_port=5\npublic_key=${hexKey(2)}\nfuture=1\nerrno=0\n\n`);
    assert.equal(s.listenPort, 5);
    assert.equal(s.peers.length, 1);
  });

  it('throws the device errno, or EPROTO for a broken reply', () => {
    const errnoOf = (text: string): number => {
      try {
        parseGet(text);
      } catch (err) {
        assert.ok(err instanceof UapiError);
        return err.errno;
      }
      return assert.fail(`${JSON.stringify(text)} should not parse`);
    };
    assert.equal(errnoOf('errno=-22\n\n'), 22);
    assert.equal(errnoOf('listen_port=1\n\n'), 71); // no errno line
    assert.equal(errnoOf('listen_port=1\nerrno=0\n'), 71); // cut short
    assert.equal(errnoOf('listen_port=x\nerrno=0\n\n'), 71);
    assert.equal(errnoOf('garbage\nerrno=0\n\n'), 71);
    assert.equal(errnoOf(`public_key=${hexKey(1)}\nallowed_ip=1.2.3.4/33\nerrno=0\n\n`), 71);
    assert.equal(errnoOf(`public_key=${hexKey(1)}\nendpoint=host:1\nerrno=0\n\n`), 71);
  });
});
