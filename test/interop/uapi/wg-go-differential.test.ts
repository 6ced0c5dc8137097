// Differential test: the same raw UAPI requests go to the real wireguard-go
// (0.0.20220316, in a namespace of its own) and to our server with the
// MemoryDevice; the replies must match byte for byte, peers sorted (wg-go
// lists them in Go map order).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { uapiRequest } from '../../../tunnel-helper/src/engine/uapi/client.js';
import { keyToHex } from '../../../shared/config/keys.js';
import { hexKey, newKeyPair } from '../../unit/engine/uapi/uapi-test-kit.js';
import {
  canonicalGet, interopSkipReason, scratch, startReferenceWgGo, startTestDevice, uniqueIfname, wgOk,
  type ReferenceWgGo, type TestDevice,
} from './wg-harness.js';

const skip = interopSkipReason(true);
const PORT = `listen_port=${40000 + (process.pid % 20000)}`;

/** A fresh wireguard-go and a fresh server of ours, fed the same requests. */
interface Pair {
  send: (req: string) => Promise<void>;
  assertSameState: () => Promise<string>;
  ref: () => ReferenceWgGo;
  ours: () => TestDevice;
}

function pair(): Pair {
  let ref: ReferenceWgGo;
  let ours: TestDevice;
  before(async () => {
    ref = await startReferenceWgGo();
    ours = await startTestDevice(uniqueIfname('dif'));
    // wg-go binds a random port at start; pin both to one value.
    assert.equal(await uapiRequest(ref.socketPath, `set=1\n${PORT}\n\n`), 'errno=0\n\n');
    assert.equal(await uapiRequest(ours.server.path, `set=1\n${PORT}\n\n`), 'errno=0\n\n');
  });
  after(async () => {
    await ref?.stop();
    await ours?.close();
  });
  return {
    ref: () => ref,
    ours: () => ours,
    async send(req) {
      const want = await uapiRequest(ref.socketPath, req);
      const got = await uapiRequest(ours.server.path, req);
      assert.equal(got, want, `reply to ${JSON.stringify(req.slice(0, 120))}`);
    },
    async assertSameState() {
      const want = canonicalGet(await uapiRequest(ref.socketPath, 'get=1\n\n'));
      const got = canonicalGet(await uapiRequest(ours.server.path, 'get=1\n\n'));
      assert.equal(got, want);
      return got;
    },
  };
}

describe('same bytes as wireguard-go', { skip: skip ?? false }, () => {
  describe('device fields and peers of every shape', () => {
    const p = pair();
    it('matches with no peers', async () => {
      assert.equal(await p.assertSameState(), `${PORT}\nerrno=0\n\n`);
    });
    it('matches after a full configuration', async () => {
      await p.send(`set=1\nprivate_key=${'AB'.repeat(32)}\nfwmark=4294967295\n` +
        `public_key=${hexKey(0x11)}\npreshared_key=${hexKey(0x22)}\nendpoint=192.168.1.1:0051820\npersistent_keepalive_interval=25\n` +
        'allowed_ip=10.1.2.3/8\nallowed_ip=::ffff:1.2.3.4/128\nallowed_ip=fd00::1:2:3/64\nallowed_ip=0.0.0.0/0\nprotocol_version=1\n' +
        `public_key=${hexKey(0x33)}\n` +
        `public_key=${hexKey(0x44)}\nendpoint=[FE80::1%1]:9\nallowed_ip=::/0\n` +
        `public_key=${hexKey(0x55)}\nendpoint=[::ffff:10.0.0.1]:7\n\n`);
      const state = await p.assertSameState();
      assert.match(state, /endpoint=\[fe80::1\]:9\n/);
    });
    it('matches after clearing fields', async () => {
      await p.send(`set=1\nprivate_key=${'0'.repeat(64)}\nfwmark=0\npublic_key=${hexKey(0x11)}\npreshared_key=${'0'.repeat(64)}\npersistent_keepalive_interval=0\n\n`);
      await p.assertSameState();
    });
  });

  describe('allowed IPs move between peers in wg-go order', () => {
    const p = pair();
    it('matches', async () => {
      const [a, b] = [hexKey(0xa1), hexKey(0xb2)];
      await p.send(`set=1\npublic_key=${a}\nallowed_ip=10.0.0.0/8\nallowed_ip=20.0.0.0/8\nallowed_ip=fd00::/8\n\n`);
      await p.send(`set=1\npublic_key=${b}\nallowed_ip=10.0.0.0/8\npublic_key=${a}\nallowed_ip=10.0.0.0/8\nallowed_ip=20.0.0.0/8\nallowed_ip=30.0.0.0/8\n\n`);
      await p.assertSameState();
      await p.send(`set=1\npublic_key=${b}\nallowed_ip=1.0.0.0/8\nreplace_allowed_ips=true\nallowed_ip=2.0.0.0/8\nallowed_ip=10.0.0.0/8\n\n`);
      await p.assertSameState();
    });
  });

  describe('peer removal, update_only and replace_peers', () => {
    const p = pair();
    it('matches', async () => {
      const ps = [1, 2, 3, 4].map((i) => hexKey(0x60 + i));
      await p.send(`set=1\n${ps.slice(0, 3).map((k) => `public_key=${k}\nallowed_ip=10.0.0.${k.slice(0, 2) === '61' ? 1 : 2}/32\n`).join('')}\n`);
      await p.send(`set=1\npublic_key=${ps[0]}\nremove=true\npublic_key=${ps[3]}\nupdate_only=true\nallowed_ip=9.9.9.9/32\npublic_key=${ps[1]}\nupdate_only=true\npersistent_keepalive_interval=9\n\n`);
      await p.assertSameState();
      await p.send(`set=1\nreplace_peers=true\npublic_key=${ps[3]}\n\n`);
      await p.assertSameState();
    });
  });

  describe('own key and private key semantics', () => {
    const p = pair();
    it('matches', async () => {
      const kp = newKeyPair();
      const pub = keyToHex(kp.publicKey);
      await p.send(`set=1\npublic_key=${'0'.repeat(64)}\npublic_key=${pub}\n\n`); // zero identity: zero peer ignored
      await p.assertSameState();
      await p.send(`set=1\nprivate_key=${keyToHex(kp.privateKey)}\n\n`); // removes the peer with our public key
      await p.send(`set=1\npublic_key=${pub}\nallowed_ip=1.1.1.1/32\n\n`); // ignored: it is us
      assert.doesNotMatch(await p.assertSameState(), /public_key=/);
    });
  });

  describe('configurations written by wg setconf (netns.sh check 17 sizes)', () => {
    const p = pair();
    const files = scratch();
    after(() => files.cleanup());
    const setconfBoth = async (conf: string[]): Promise<void> => {
      const file = files.file('both.conf', `${conf.join('\n')}\n`);
      await wgOk('setconf', p.ref().ifname, file);
      await wgOk('setconf', p.ours().ifname, file);
    };
    it('matches for 40 peers with 52 prefixes, keys, endpoints and keepalives', async () => {
      const conf = ['[Interface]', `PrivateKey=${newKeyPair().privateB64}`, `ListenPort=${PORT.split('=')[1]}`, 'FwMark=0x1234'];
      for (let a = 1; a <= 40; a++) {
        conf.push('[Peer]', `PublicKey=${newKeyPair().publicB64}`, `PresharedKey=${newKeyPair().privateB64}`);
        conf.push(a % 2 ? `Endpoint=10.0.${a}.1:${a}` : `Endpoint=[fd00::${a}]:${a}`, `PersistentKeepalive=${a}`);
        for (let b = 1; b <= 52; b++) conf.push(`AllowedIPs=${a}.${b}.0.0/16,fd${a}:${b}::/32`);
      }
      await setconfBoth(conf);
      await p.assertSameState();
    });
    it('matches for one peer with 255*256*2 allowed IPs, in the same order', async () => {
      const conf = ['[Interface]', `ListenPort=${PORT.split('=')[1]}`, '[Peer]', `PublicKey=${newKeyPair().publicB64}`];
      for (let a = 1; a <= 255; a++) for (let b = 0; b <= 255; b++) conf.push(`AllowedIPs=${a}.${b}.0.0/16,${a}::${b}/128`);
      await setconfBoth(conf);
      const state = await p.assertSameState();
      assert.equal(state.split('\nallowed_ip=').length - 1, 255 * 256 * 2);
    });
  });

  describe('errno for malformed and odd requests', () => {
    const p = pair();
    const peer = `public_key=${hexKey(0x77)}`;
    const bad = [
      'foo', '=1', 'foo=1', 'allowed_ip=1.2.3.4/32', 'protocol_version=1', `${peer}\nlisten_port=1`, 'private_key=abcd',
      `private_key=${'g'.repeat(64)}`, 'listen_port=-1', 'listen_port=65536', 'listen_port=+1', 'listen_port=', 'listen_port=1x',
      'fwmark=4294967296', 'fwmark=0x1', 'replace_peers=false', 'replace_peers=TRUE', `${peer}\nupdate_only=1`, `${peer}\nremove=yes`,
      `${peer}\nreplace_allowed_ips=false`, `${peer}\npersistent_keepalive_interval=65536`, `${peer}\npersistent_keepalive_interval=-1`,
      `${peer}\nallowed_ip=1.2.3.4/33`, `${peer}\nallowed_ip=1.2.3.4`, `${peer}\nallowed_ip=01.2.3.4/32`, `${peer}\nallowed_ip=::/129`,
      `${peer}\nallowed_ip=fe80::1%lo/64`, `${peer}\nallowed_ip=1.2.3.4/32 `, `${peer}\nendpoint=example.com:1`,
      `${peer}\nendpoint=fd00::1:1`, `${peer}\nendpoint=[1.2.3.4]:1`, `${peer}\nendpoint=1.2.3.4:65536`, `${peer}\nendpoint=[::1]:`,
      `${peer}\nendpoint=1.2.3.4`, `${peer}\nprotocol_version=2`, `${peer}\npreshared_key=1`, `${peer}\nfoo=1`, `public_key=${'a'.repeat(63)}`,
      'replace_peers=true\r\r', 'fwmark=1\r\n\r', '\x00\x01\x02',
    ];
    for (const body of bad) {
      it(`answers ${JSON.stringify(body.replace(peer, 'public_key=…')).slice(0, 60)} as wg-go does`, async () => {
        await p.send(`set=1\n${body}\n\n`);
      });
    }
    it('refuses trailing bytes after get=1 as wg-go does', async () => {
      await p.send('get=1\nx\n');
    });
  });
});
