// The kernel selftest netns.sh's UAPI checks (17: requests big enough to be
// split; 18: key edge cases), run with the real wg(8) against our server.
// The device is the MemoryDevice, which follows wireguard-go's semantics, so
// these also pin down what the engine's `set` must do.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { interopSkipReason, scratch, startTestDevice, uniqueIfname, wg, wgOk, type TestDevice } from './wg-harness.js';
import { newKeyPair } from '../../unit/engine/uapi/uapi-test-kit.js';

const skip = interopSkipReason();
const genkey = (): string => newKeyPair().privateB64;
const genpub = (): string => newKeyPair().publicB64;
const tokens = (text: string): number => text.split(/\s+/).filter(Boolean).length;

describe('netns.sh check 17: UAPI stress', { skip: skip ?? false }, () => {
  const files = scratch();
  after(() => files.cleanup());

  it('one peer with 255*256*2 allowed IPs', async () => {
    const dev = await startTestDevice(uniqueIfname('big'));
    try {
      const conf = ['[Interface]', `PrivateKey=${genkey()}`, '[Peer]', `PublicKey=${genpub()}`];
      for (let a = 1; a <= 255; a++) for (let b = 0; b <= 255; b++) conf.push(`AllowedIPs=${a}.${b}.0.0/16,${a}::${b}/128`);
      await wgOk('setconf', dev.ifname, files.file('big.conf', `${conf.join('\n')}\n`));
      assert.equal(tokens(await wgOk('show', dev.ifname, 'allowed-ips')), 255 * 256 * 2 + 1);
    } finally {
      await dev.close();
    }
  });

  it('40 peers with 52 prefixes each', async () => {
    const dev = await startTestDevice(uniqueIfname('p40'));
    try {
      const conf = ['[Interface]', `PrivateKey=${genkey()}`];
      for (let a = 1; a <= 40; a++) {
        conf.push('[Peer]', `PublicKey=${genpub()}`);
        for (let b = 1; b <= 52; b++) conf.push(`AllowedIPs=${a}.${b}.0.0/16`);
      }
      await wgOk('setconf', dev.ifname, files.file('p40.conf', `${conf.join('\n')}\n`));
      const lines = (await wgOk('show', dev.ifname, 'allowed-ips')).trim().split('\n');
      assert.equal(lines.length, 40);
      for (const line of lines) assert.equal(tokens(line), 53);
    } finally {
      await dev.close();
    }
  });

  it('30 peers, 29 of them bare, survive showconf', async () => {
    const dev = await startTestDevice(uniqueIfname('p30'));
    try {
      const conf: string[] = [];
      for (let i = 1; i <= 29; i++) conf.push('[Peer]', `PublicKey=${genpub()}`);
      conf.push('[Peer]', `PublicKey=${genpub()}`, 'AllowedIPs=255.2.3.4/32,abcd::255/128');
      await wgOk('setconf', dev.ifname, files.file('p30.conf', `${conf.join('\n')}\n`));
      const text = await wgOk('showconf', dev.ifname);
      assert.equal(text.split('[Peer]').length - 1, 30);
      assert.match(text, /AllowedIPs = 255\.2\.3\.4\/32, abcd::255\/128/);
    } finally {
      await dev.close();
    }
  });

  it('197 IPv6 /128s after a peer showing (none)', async () => {
    const dev = await startTestDevice(uniqueIfname('v6'));
    try {
      const [pub1, pub2] = [genpub(), genpub()];
      const list = Array.from({ length: 197 }, (_, i) => `abcd::${i + 1}`).join(',');
      await wgOk('set', dev.ifname, 'peer', pub1);
      await wgOk('set', dev.ifname, 'peer', pub2, 'allowed-ips', list);
      const [first, second] = (await wgOk('show', dev.ifname, 'allowed-ips')).trim().split('\n');
      assert.equal(first, `${pub1}\t(none)`);
      assert.equal(second?.startsWith(`${pub2}\t`), true);
      assert.equal(tokens(second ?? '') - 1, 197);
    } finally {
      await dev.close();
    }
  });
});

describe('netns.sh check 18: keys', { skip: skip ?? false }, () => {
  let dev: TestDevice;
  const files = scratch();
  const kp1 = newKeyPair();
  const kp2 = newKeyPair();
  const pub2 = kp2.publicB64;
  const pskB64 = newKeyPair().privateB64; // any 32 bytes
  const show = async (what: string): Promise<string> => (await wgOk('show', dev.ifname, what)).replace(/\n$/, '');
  before(async () => {
    dev = await startTestDevice(uniqueIfname('key'));
  });
  after(async () => {
    await dev.close();
    files.cleanup();
  });

  it('reads back a private key and a preshared key', async () => {
    await wgOk('set', dev.ifname, 'private-key', files.file('k1', kp1.privateB64), 'peer', pub2, 'preshared-key', files.file('psk', pskB64));
    assert.equal(await show('private-key'), kp1.privateB64);
    assert.equal(await show('preshared-keys'), `${pub2}\t${pskB64}`);
  });

  it('/dev/null as a key means zero, which reads back as (none)', async () => {
    await wgOk('set', dev.ifname, 'private-key', '/dev/null', 'peer', pub2, 'preshared-key', '/dev/null');
    const sent = dev.device.history.at(-1);
    assert.equal(sent?.privateKey, null, 'the all-zero private key arrived as "remove"');
    assert.equal(sent?.peers[0]?.presharedKey, null);
    assert.equal(await show('private-key'), '(none)');
    assert.equal(await show('preshared-keys'), `${pub2}\t(none)`);
  });

  it('a private key whose public key equals a peer removes that peer, and that peer is then ignored', async () => {
    await wgOk('set', dev.ifname, 'peer', pub2);
    await wgOk('set', dev.ifname, 'private-key', files.file('k2', kp2.privateB64));
    assert.equal(await show('public-key'), pub2);
    assert.equal(await show('peers'), '');
    await wgOk('set', dev.ifname, 'peer', pub2);
    assert.equal(await show('peers'), '');
    await wgOk('set', dev.ifname, 'private-key', files.file('k1b', kp1.privateB64));
    await wgOk('set', dev.ifname, 'peer', pub2);
    assert.equal(await show('peers'), pub2);
  });

  it('clamping is visible: a key starting with "/" reads back starting with "+"', async () => {
    await wgOk('set', dev.ifname, 'private-key', files.file('k1c', `/${kp1.privateB64.slice(1)}`));
    assert.equal(await show('private-key'), `+${kp1.privateB64.slice(1)}`);
  });

  it('accepts overlapping /0 sets, then removes the peer', async () => {
    for (const ips of ['0.0.0.0/0,10.0.0.0/8,100.0.0.0/10,172.16.0.0/12,192.168.0.0/16', '0.0.0.0/0',
      '::/0,1700::/111,5000::/4,e000::/37,9000::/75', '::/0']) {
      await wgOk('set', dev.ifname, 'peer', pub2, 'allowed-ips', ips);
    }
    assert.equal(await show('allowed-ips'), `${pub2}\t::/0`); // each wg set replaces the list
    await wgOk('set', dev.ifname, 'peer', pub2, 'remove');
    assert.equal(await show('peers'), '');
  });

  it('sends low-order peer keys through untouched (rejecting them is the engine’s job)', async () => {
    const lowOrder = ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', '4Ot6fDtBuK4WVuP68Z/EatoJjeucMrH9hmIFFl9JuAA='];
    for (const key of lowOrder) await wgOk('set', dev.ifname, 'peer', key, 'persistent-keepalive', '1', 'endpoint', '127.0.0.1:1111');
    assert.equal((await wg('show', dev.ifname, 'peers')).stdout.trim().split('\n').length, 2);
  });
});
