// The journal file: appended line by line, read back tolerating a torn last
// line, rewritten atomically, and kept in a directory nobody else can write.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  JournalWriter, appendTo, ensureStateDir, listJournals, readJournal, removeJournal, rewriteJournal, type BeginEntry,
} from '../../../../tunnel-helper/src/helper/netconfig/journal.js';
import { TunnelError } from '../../../../tunnel-helper/src/helper/netconfig/errors.js';

const begin = (ifname: string): BeginEntry => ({
  op: 'begin', version: 1, ifname, netns: 'net:[1]', pid: process.pid, pidStart: '0', startedAt: '', killSwitch: 'off',
  saveConfig: false, dns: [], dnsSearch: [], mtuFromConfig: false, hooks: { preUp: [], postUp: [], preDown: [], postDown: [] },
});

describe('journal', () => {
  let root: string;
  let dir: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'wd-journal-'));
    dir = join(root, 'state');
    process.env.WIREDESK_STATE_DIR = dir;
  });
  after(() => {
    delete process.env.WIREDESK_STATE_DIR;
    rmSync(root, { recursive: true, force: true });
  });

  it('creates a private directory and file, one JSON object per line', () => {
    const w = JournalWriter.create(begin('wg0'));
    w.append({ op: 'engine' });
    w.append({ op: 'route', family: 4, prefix: '10.0.0.0/8', table: null });
    w.close();
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dir, 'wg0.journal')).mode & 0o777, 0o600);
    assert.deepEqual(readJournal('wg0')?.map((e) => e.op), ['begin', 'engine', 'route']);
    assert.deepEqual(listJournals(), ['wg0']);
  });

  it('refuses a second journal for the same interface', () => {
    assert.throws(() => JournalWriter.create(begin('wg0')), (e: Error) => e instanceof TunnelError && /already being brought up or down/.test(e.message));
  });

  it('ignores a torn last line (a crash mid-write), but not a damaged middle', () => {
    appendFileSync(join(dir, 'wg0.journal'), '{"op":"rou');
    assert.equal(readJournal('wg0')?.length, 3);
    appendFileSync(join(dir, 'wg0.journal'), 'xx\n{"op":"link-up"}\n');
    assert.throws(() => readJournal('wg0'), /damaged at line 4/);
  });

  it('rewrites atomically, appends to another journal, and removes', () => {
    rewriteJournal('wg0', [begin('wg0'), { op: 'kill-switch', name: 'wiredesk-wg0' }, { op: 'stale' }]);
    assert.ok(appendTo('wg0', { op: 'handover', of: 'dns', value: 'nameserver 1.2.3.4\n' }));
    assert.deepEqual(readJournal('wg0')?.map((e) => e.op), ['begin', 'kill-switch', 'stale', 'handover']);
    removeJournal('wg0');
    assert.equal(readJournal('wg0'), null);
    assert.equal(appendTo('wg0', { op: 'stale' }), false);
  });

  it('refuses a state directory others can write', () => {
    chmodSync(dir, 0o777);
    try {
      assert.throws(() => ensureStateDir(), /must be a directory owned by .* and writable only by it/);
    } finally {
      chmodSync(dir, 0o700);
    }
  });
});
