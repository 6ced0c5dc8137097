import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatSet, parseSet } from '../../../../tunnel-helper/src/engine/uapi/protocol-set.js';
import { UapiError } from '../../../../tunnel-helper/src/engine/uapi/errors.js';
import { formatIp } from '../../../../shared/config/ip.js';
import { formatPrefix } from '../../../../tunnel-helper/src/engine/uapi/allowed-ip-endpoint.js';
import { hexKey, keyOf } from './uapi-test-kit.js';

const EINVAL = 22;
const EPROTO = 71;
const PEER = `public_key=${hexKey(0xaa)}`;

const parse = (text: string): ReturnType<typeof parseSet> => parseSet(text.split('\n'));

function errnoOf(text: string): number {
  try {
    parse(text);
  } catch (err) {
    assert.ok(err instanceof UapiError, String(err));
    assert.match(err.message, /^set line \d+: /);
    return err.errno;
  }
  return assert.fail(`${JSON.stringify(text)} should have been refused`);
}

describe('parseSet reads every device key', () => {
  it('private_key is clamped; the zero key means "remove"', () => {
    const req = parse(`private_key=${'ff'.repeat(32)}`);
    assert.equal(Buffer.from(req.privateKey ?? []).toString('hex'), 'f8' + 'ff'.repeat(30) + '7f');
    assert.equal(parse(`private_key=${'0'.repeat(64)}`).privateKey, null);
    assert.equal(parse('listen_port=1').privateKey, undefined);
  });
  it('accepts upper-case hex as Go does', () => {
    assert.ok(parse(`private_key=${'AB'.repeat(32)}`).privateKey);
  });
  it('listen_port, fwmark and replace_peers', () => {
    const req = parse('listen_port=0\nfwmark=4294967295\nreplace_peers=true');
    assert.deepEqual(req, { listenPort: 0, fwmark: 4294967295, replacePeers: true, peers: [] });
  });
});

describe('parseSet reads every peer key', () => {
  it('in one peer op', () => {
    const req = parse([
      PEER, 'update_only=true', `preshared_key=${hexKey(0x11)}`, 'endpoint=[fd00::1]:51820',
      'persistent_keepalive_interval=65535', 'replace_allowed_ips=true', 'allowed_ip=10.1.2.3/8',
      'allowed_ip=-fd00::/64', 'protocol_version=1',
    ].join('\n'));
    const op = req.peers[0] ?? assert.fail();
    assert.equal(req.peers.length, 1);
    assert.deepEqual(op.publicKey, keyOf(0xaa));
    assert.equal(op.updateOnly, true);
    assert.equal(op.remove, false);
    assert.deepEqual(op.presharedKey, keyOf(0x11));
    assert.deepEqual(op.endpoint && { ...op.endpoint, ip: formatIp(op.endpoint.ip) },
      { family: 6, ip: 'fd00::1', port: 51820, zone: null });
    assert.equal(op.persistentKeepaliveInterval, 65535);
    assert.equal(op.replaceAllowedIps, true);
    assert.deepEqual(op.allowedIps.map((a) => `${a.remove ? '-' : '+'}${formatPrefix(a)}`), ['+10.0.0.0/8', '-fd00::/64']);
  });
  it('a zero preshared key means "remove"; remove=true marks the op', () => {
    const req = parse(`${PEER}\npreshared_key=${'0'.repeat(64)}\npublic_key=${hexKey(0xbb)}\nremove=true`);
    assert.equal(req.peers[0]?.presharedKey, null);
    assert.equal(req.peers[1]?.remove, true);
  });
  it('replace_allowed_ips drops the prefixes the same op listed before it, as wg-go does', () => {
    const op = parse(`${PEER}\nallowed_ip=1.0.0.0/8\nreplace_allowed_ips=true\nallowed_ip=2.0.0.0/8`).peers[0];
    assert.deepEqual(op?.allowedIps.map(formatPrefix), ['2.0.0.0/8']);
  });
  it('keeps peer ops in order, repeated keys included', () => {
    const req = parse(`${PEER}\npublic_key=${hexKey(0xbb)}\n${PEER}\nremove=true`);
    assert.deepEqual(req.peers.map((p) => [p.publicKey[0], p.remove]), [[0xaa, false], [0xbb, false], [0xaa, true]]);
  });
  it('stops at the blank line', () => {
    assert.deepEqual(parse('listen_port=1\n\nfoo').listenPort, 1);
  });
  it('accepts CRLF lines, as Go\'s line scanner drops one trailing CR', () => {
    assert.deepEqual(parse('listen_port=1\r\nreplace_peers=true\r\n\r\nfoo'), { listenPort: 1, replacePeers: true, peers: [] });
  });
});

describe('parseSet refuses bad lines with wg-go errno values', () => {
  const cases: Array<[string, string, number]> = [
    ['a line without "="', 'listen_port', EPROTO],
    ['binary garbage', '\x00\x01\xff\xfe', EPROTO],
    ['an empty key', '=1', EINVAL],
    ['an unknown device key', 'foo=1', EINVAL],
    ['an unknown peer key', `${PEER}\nfoo=1`, EINVAL],
    ['a peer key before public_key', 'allowed_ip=1.2.3.4/32', EINVAL],
    ['endpoint before public_key', 'endpoint=1.2.3.4:1', EINVAL],
    ['a device key after public_key', `${PEER}\nlisten_port=1`, EINVAL],
    ['a short key', 'private_key=abcd', EINVAL],
    ['a non-hex key', `public_key=${'g'.repeat(64)}`, EINVAL],
    ['a 65-digit key', `private_key=${'a'.repeat(65)}`, EINVAL],
    ['a base64 key', 'public_key=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', EINVAL],
    ['a bad preshared key', `${PEER}\npreshared_key=1`, EINVAL],
    ['a negative port', 'listen_port=-1', EINVAL],
    ['port 65536', 'listen_port=65536', EINVAL],
    ['a signed port', 'listen_port=+1', EINVAL],
    ['an empty port', 'listen_port=', EINVAL],
    ['fwmark 2^32', 'fwmark=4294967296', EINVAL],
    ['a hex fwmark', 'fwmark=0x1', EINVAL],
    ['replace_peers=false', 'replace_peers=false', EINVAL],
    ['replace_peers=True', 'replace_peers=True', EINVAL],
    ['update_only=1', `${PEER}\nupdate_only=1`, EINVAL],
    ['remove=yes', `${PEER}\nremove=yes`, EINVAL],
    ['replace_allowed_ips=', `${PEER}\nreplace_allowed_ips=`, EINVAL],
    ['persistent_keepalive_interval=65536', `${PEER}\npersistent_keepalive_interval=65536`, EINVAL],
    ['allowed_ip=1.2.3.4/33', `${PEER}\nallowed_ip=1.2.3.4/33`, EINVAL],
    ['allowed_ip without a prefix length', `${PEER}\nallowed_ip=1.2.3.4`, EINVAL],
    ['allowed_ip=--1.2.3.4/32', `${PEER}\nallowed_ip=--1.2.3.4/32`, EINVAL],
    ['a host name endpoint', `${PEER}\nendpoint=example.com:51820`, EINVAL],
    ['an IPv6 endpoint without brackets', `${PEER}\nendpoint=fd00::1:51820`, EINVAL],
    ['protocol_version=2', `${PEER}\nprotocol_version=2`, EINVAL],
    ['protocol_version before public_key', 'protocol_version=1', EINVAL],
    ['a value with two carriage returns', 'replace_peers=true\r\r', EINVAL],
    ['an overlong value', `listen_port=${'9'.repeat(5000)}`, EINVAL],
  ];
  for (const [what, text, errno] of cases) {
    it(`${what} → -${errno}`, () => assert.equal(errnoOf(text), errno));
  }
  it('reports the first bad line and quotes at most 64 characters of it', () => {
    try {
      parse(`listen_port=1\nfwmark=${'x'.repeat(1000)}\nfoo`);
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof UapiError);
      assert.match(err.message, /^set line 2: fwmark/);
      assert.ok(err.message.length < 200);
    }
  });
});

describe('formatSet', () => {
  it('writes a request that parses back to itself', () => {
    const text = [
      'set=1', `private_key=${hexKey(0x48)}`, 'listen_port=51820', 'fwmark=0', 'replace_peers=true',
      PEER, 'update_only=true', `preshared_key=${'0'.repeat(64)}`, 'endpoint=[fe80::1%eth0]:1',
      'persistent_keepalive_interval=25', 'replace_allowed_ips=true', 'allowed_ip=10.0.0.0/8', 'allowed_ip=-::/0',
      `public_key=${hexKey(0xbb)}`, 'remove=true', '', '',
    ].join('\n');
    const req = parse(text.slice('set=1\n'.length));
    assert.equal(formatSet(req), text);
    assert.deepEqual(parse(formatSet(req).slice('set=1\n'.length)), req);
  });
});

describe('secrets in errors', () => {
  it('never repeats a malformed private or preshared key in the error, which may reach a log', () => {
    const secret = Buffer.alloc(32, 0x5a).toString('base64'); // a real key in the wrong encoding
    const hex65 = `${'ab'.repeat(32)}c`;
    for (const text of [`private_key=${secret}`, `private_key=${hex65}`, `public_key=${'11'.repeat(32)}\npreshared_key=${secret}`]) {
      let caught: unknown;
      try {
        parse(text);
      } catch (e) {
        caught = e;
      }
      assert.ok(caught instanceof UapiError, text);
      assert.equal(caught.errno, 22);
      assert.ok(!caught.message.includes(secret) && !caught.message.includes(hex65), caught.message);
      assert.match(caught.message, /must be 64 hex digits, got \d+ characters/);
    }
  });
});
