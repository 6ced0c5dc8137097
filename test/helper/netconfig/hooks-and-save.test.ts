// PreUp/PostUp/PreDown/PostDown run only with --allow-scripts (marker files
// prove it either way); SaveConfig writes the running state back to the file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { wiredeskBin } from '../../support/cli.js';
import { driver } from './state.js';
import { skipReason, withTopology } from './topology.js';

const skip = skipReason;

function hookLines(dir: string): string[] {
  return ['PreUp', 'PostUp', 'PreDown', 'PostDown'].map((phase) => `${phase} = touch ${dir}/${phase.toLowerCase()}-%i`);
}

const markers = (dir: string) => readdirSync(dir).filter((f) => /^(pre|post)(up|down)-/.test(f)).sort();

describe('hooks', { skip }, () => {
  it('are skipped without --allow-scripts, and say so, naming each one', () => withTopology('s', (t) => {
    const conf = t.writeConfig(t.config({ iface: hookLines(t.dir) }));
    const up = t.runInClient(wiredeskBin, ['up', conf]);
    assert.equal(up.status, 0, up.stderr);
    assert.match(up.stderr, new RegExp(`\\[!\\] skipped PreUp = touch ${t.dir}/preup-%i \\(scripts are off; pass --allow-scripts to run them\\)`));
    assert.match(up.stderr, /\[!\] skipped PostUp = touch /);
    const down = t.runInClient(wiredeskBin, ['down', conf]);
    assert.equal(down.status, 0, down.stderr);
    assert.match(down.stderr, /\[!\] skipped PreDown = touch /);
    assert.match(down.stderr, /\[!\] skipped PostDown = touch /);
    assert.deepEqual(markers(t.dir), [], 'no hook ran');
  }));

  it('run with --allow-scripts, %i expanded, and the API reports none skipped', () => withTopology('a', (t) => {
    const conf = t.writeConfig(t.config({ iface: hookLines(t.dir) }));
    const up = t.runInClient(wiredeskBin, ['up', conf, '--allow-scripts']);
    assert.equal(up.status, 0, up.stderr);
    assert.deepEqual(markers(t.dir), [`postup-${t.ifname}`, `preup-${t.ifname}`]);
    assert.equal(t.runInClient(wiredeskBin, ['down', conf, '--allow-scripts']).status, 0);
    assert.deepEqual(markers(t.dir), [`postdown-${t.ifname}`, `postup-${t.ifname}`, `predown-${t.ifname}`, `preup-${t.ifname}`]);

    const skipped = driver(t, ['up', t.ifname, conf]);
    assert.deepEqual((skipped.result as { hooksSkipped: string[] }).hooksSkipped,
      [`PreUp = touch ${t.dir}/preup-%i`, `PostUp = touch ${t.dir}/postup-%i`]);
    const down = driver(t, ['down', t.ifname]);
    assert.deepEqual((down.result as { hooksSkipped: string[] }).hooksSkipped,
      [`PreDown = touch ${t.dir}/predown-%i`, `PostDown = touch ${t.dir}/postdown-%i`]);
  }));
});

describe('SaveConfig', { skip }, () => {
  it('down writes the running configuration back to the file, as wg-quick does', () => withTopology('c', (t) => {
    const conf = t.writeConfig(t.config({ iface: ['SaveConfig = true', 'MTU = 1300', 'DNS = 192.168.201.1, corp.example'] }));
    const up = t.runInClient(wiredeskBin, ['up', conf]);
    assert.equal(up.status, 0, up.stderr);
    assert.doesNotMatch(up.stderr, /SaveConfig/, 'no warning about SaveConfig: up honours it');
    t.client.exec('wg', ['set', t.ifname, 'listen-port', '51555', 'peer', t.peerKeys.pub, 'persistent-keepalive', '7']);
    t.client.exec('ip', ['address', 'add', '10.77.0.2/24', 'dev', t.ifname]);
    const down = t.runInClient(wiredeskBin, ['down', t.ifname]);
    assert.equal(down.status, 0, down.stderr);
    assert.equal(statSync(conf).mode & 0o777, 0o600);
    assert.equal(readFileSync(conf, 'utf8'), [
      '[Interface]',
      'Address = 192.168.201.2/24',
      'Address = 10.77.0.2/24',
      'Address = fd77::2/64',
      'DNS = 192.168.201.1',
      'DNS = corp.example',
      'MTU = 1300',
      'SaveConfig = true',
      'ListenPort = 51555',
      `PrivateKey = ${t.clientKeys.priv}`,
      '',
      '[Peer]',
      `PublicKey = ${t.peerKeys.pub}`,
      'AllowedIPs = 192.168.201.0/24, 172.30.0.0/24, fd30::/64',
      'Endpoint = 10.201.0.1:51820',
      'PersistentKeepalive = 7',
      '',
    ].join('\n'));
    assert.ok(!existsSync(`${conf}.tmp`));
    assert.equal(t.runInClient(wiredeskBin, ['check', conf]).status, 0, 'the saved file is valid');
  }));

  it('the API returns the new text instead of writing a file', () => withTopology('t', (t) => {
    const conf = t.writeConfig(t.config({ iface: ['SaveConfig = true'] }));
    assert.equal(driver(t, ['up', t.ifname, conf]).error, undefined);
    const down = driver(t, ['down', t.ifname]);
    const saved = (down.result as { savedConfig?: string }).savedConfig ?? '';
    assert.match(saved, /^\[Interface\]\nAddress = 192\.168\.201\.2\/24\nAddress = fd77::2\/64\nSaveConfig = true\nListenPort = \d+\nPrivateKey = /);
    assert.equal(readFileSync(join(t.dir, `${t.ifname}.conf`), 'utf8'), t.config({ iface: ['SaveConfig = true'] }), 'the file is untouched');
  }));
});
