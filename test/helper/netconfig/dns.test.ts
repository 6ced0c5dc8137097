// DNS is set while the tunnel is up and restored after: through the
// namespace's own resolv.conf (no resolvconf or resolved here), and through
// resolvconf with wg-quick's arguments (a stand-in script records them).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { wiredeskBin } from '../../support/cli.js';
import { driver, killEngine, snapshot } from './state.js';
import { ORIGINAL_RESOLV, skipReason, withTopology } from './topology.js';

const skip = skipReason;

describe('DNS', { skip }, () => {
  it('replaces the namespace resolv.conf in place and puts the old one back on down', () => withTopology('s', (t) => {
    const conf = t.writeConfig(t.config({ iface: ['DNS = 192.168.201.1, fd77::1', 'DNS = corp.example, lab.example'] }));
    const up = t.runInClient(wiredeskBin, ['up', conf]);
    assert.equal(up.status, 0, up.stderr);
    const during = t.client.exec('cat', ['/etc/resolv.conf']);
    assert.match(during, /^nameserver 192\.168\.201\.1\nnameserver fd77::1\nsearch corp\.example lab\.example\n$/m);
    // The write went through the bind mount into the namespace's own file, not the host's.
    assert.equal(readFileSync(`/etc/netns/${t.client.name}/resolv.conf`, 'utf8'), during);
    assert.equal(t.runInClient(wiredeskBin, ['down', conf]).status, 0);
    assert.equal(t.client.exec('cat', ['/etc/resolv.conf']), ORIGINAL_RESOLV);
  }));

  it('two tunnels with DNS, downed in the order they came up: the original comes back', () => withTopology('o', (t) => {
    const first = t.writeConfig(t.config({ iface: ['DNS = 192.168.201.1', 'Table = off'] }));
    const secondName = `${t.ifname.slice(0, 13)}b`;
    t.extraNames.push(secondName);
    const second = t.writeConfig(t.config({ iface: ['DNS = 192.168.201.9', 'Table = off', 'ListenPort = 51999'] }), secondName);
    try {
      assert.equal(t.runInClient(wiredeskBin, ['up', first]).status, 0);
      assert.equal(t.runInClient(wiredeskBin, ['up', second]).status, 0);
      assert.match(t.client.exec('cat', ['/etc/resolv.conf']), /nameserver 192\.168\.201\.9/);
      const down1 = t.runInClient(wiredeskBin, ['down', first]);
      assert.equal(down1.status, 0, down1.stderr);
      assert.match(t.client.exec('cat', ['/etc/resolv.conf']), /nameserver 192\.168\.201\.9/, 'the later tunnel keeps its DNS');
      assert.equal(t.runInClient(wiredeskBin, ['down', second]).status, 0);
      assert.equal(t.client.exec('cat', ['/etc/resolv.conf']), ORIGINAL_RESOLV);
    } finally {
      t.runInClient(wiredeskBin, ['down', second]);
    }
  }));

  it('uses resolvconf -a IFNAME -m 0 -x when the system has resolvconf, and -d on down and on recovery', () => withTopology('r', async (t) => {
    const record = join(t.dir, 'resolvconf.log');
    const fake = join(t.dir, 'resolvconf');
    writeFileSync(fake, `#!/bin/sh\necho "args: $*" >> ${record}\ncat >> ${record}\n`);
    chmodSync(fake, 0o755);
    const env = { WIREDESK_DNS_BACKEND: 'resolvconf', PATH: `${t.dir}:${process.env.PATH ?? ''}` };
    const before = snapshot(t.client);
    const conf = t.writeConfig(t.config({ iface: ['DNS = 192.168.201.1, corp.example'] }));
    const up = t.runInClient(wiredeskBin, ['up', conf], env);
    assert.equal(up.status, 0, up.stderr);
    assert.equal(readFileSync(record, 'utf8'), `args: -a ${t.ifname} -m 0 -x\nnameserver 192.168.201.1\nsearch corp.example\n`);
    assert.equal(t.client.exec('cat', ['/etc/resolv.conf']), ORIGINAL_RESOLV, 'resolv.conf itself is resolvconf\'s business');
    await killEngine(t);
    assert.deepEqual(driver(t, ['recover'], env).result, [t.ifname]);
    assert.match(readFileSync(record, 'utf8'), new RegExp(`args: -d ${t.ifname} -f\\n$`));
    assert.deepEqual(snapshot(t.client), before);
  }));
});
