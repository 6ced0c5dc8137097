// Split DNS in the app: the domains live in split-dns.json (WireDesk's
// profile, not the .conf), go to the helper with each up, follow a rename,
// and a change goes to a running tunnel through setOptions (the helper applies it in place).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Params } from '../../../shared/control/protocol.js';
import { createAppCore } from '../../../electron/app-core/app-core.js';
import { SplitDnsStore } from '../../../electron/app-core/profiles/split-dns-store.js';
import { FakeHelper, fakeLauncher, loaded, recordingPorts, sampleConfig } from './fakes.js';

describe('split DNS store', () => {
  it('keeps normalized domains per tunnel, drops a malformed file or entry, follows renames', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wd-split-'));
    const file = join(dir, 'split-dns.json');
    writeFileSync(file, JSON.stringify({ office: ['corp.example'], bad: ['Not OK'], worse: 3 }));
    const store = new SplitDnsStore(file);
    assert.deepEqual(store.get('office'), ['corp.example']);
    assert.deepEqual(store.get('bad'), []);
    assert.deepEqual(store.set('lab', ['lab.internal', 'lab.internal']), ['lab.internal']);
    assert.throws(() => store.set('lab', ['~lab.internal']), /domain names such as corp\.example/);
    assert.deepEqual(store.get('lab'), ['lab.internal'], 'a refused set changes nothing');
    store.renamed('office', 'hq');
    store.renamed('lab', null);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { hq: ['corp.example'] });
    assert.deepEqual(new SplitDnsStore(file).get('hq'), ['corp.example']);
    writeFileSync(file, '{not json');
    assert.deepEqual(new SplitDnsStore(file).get('hq'), []);
  });
});

describe('split DNS through app-core', () => {
  function setup() {
    const helper = new FakeHelper();
    const options: Params<'setOptions'>[] = [];
    const setOptions = helper.setOptions;
    helper.setOptions = async (p) => { options.push(p); return setOptions(p); };
    const core = createAppCore(recordingPorts(fakeLauncher(helper, { running: true })));
    core.profiles.write('office', loaded(sampleConfig()));
    return { helper, core, options };
  }

  it('sends the domains with the up, and none when there are none', async () => {
    const { helper, core } = setup();
    await core.handlers['tunnels:setActive']('office', true);
    assert.equal(helper.upCalls[0]?.options?.splitDns, undefined);
    await core.handlers['tunnels:setActive']('office', false);
    assert.deepEqual(await core.handlers['splitdns:set']('office', ['corp.example']), ['corp.example']);
    await core.handlers['tunnels:setActive']('office', true);
    assert.deepEqual(helper.upCalls[1]?.options?.splitDns, ['corp.example']);
  });

  it('applies a change to a running tunnel, and only a change', async () => {
    const { core, options } = setup();
    await core.handlers['tunnels:setActive']('office', true);
    await core.handlers['splitdns:set']('office', ['corp.example']);
    await core.handlers['splitdns:set']('office', ['corp.example']);
    await core.handlers['splitdns:set']('office', []);
    assert.deepEqual(options.map((o) => o.options), [{ splitDns: ['corp.example'] }, { splitDns: [] }]);
  });

  it('refuses names that are not domains and keeps the old ones', async () => {
    const { core } = setup();
    await core.handlers['splitdns:set']('office', ['corp.example']);
    await assert.rejects(async () => core.handlers['splitdns:set']('office', ['corp..example']), /domain names/);
    assert.deepEqual(await core.handlers['splitdns:get']('office'), ['corp.example']);
  });

  it('the domains follow a renamed tunnel and go with a removed one', async () => {
    const { core } = setup();
    await core.handlers['splitdns:set']('office', ['corp.example']);
    const saved = await core.handlers['tunnels:save']('office', 'hq', sampleConfig());
    assert.ok(saved.ok);
    assert.deepEqual(await core.handlers['splitdns:get']('hq'), ['corp.example']);
    assert.deepEqual(await core.handlers['splitdns:get']('office'), []);
    await core.handlers['tunnels:remove']('hq');
    assert.deepEqual(await core.handlers['splitdns:get']('hq'), []);
  });
});
