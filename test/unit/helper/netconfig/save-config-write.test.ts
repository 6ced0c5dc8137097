// writeConfigFile: SaveConfig's write-back, run as root in a directory that
// may belong to the config's owner. A planted temporary file is never written
// to, the config keeps its owner and mode, and an unsafe directory is refused.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeConfigFile } from '../../../../tunnel-helper/src/helper/netconfig/save-config.js';

const isRoot = process.geteuid?.() === 0;
const SECRET = '[Interface]\nPrivateKey = c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0cw=\n';

describe('writeConfigFile', () => {
  let root: string;
  before(() => { root = mkdtempSync(join(tmpdir(), 'wd-saveconfig-')); });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('replaces the file with the new text and leaves no temporary file', () => {
    const dir = join(root, 'plain');
    mkdirSync(dir, { mode: 0o700 });
    const conf = join(dir, 'wg0.conf');
    writeFileSync(conf, 'old\n', { mode: 0o640 });
    chmodSync(conf, 0o640);
    writeConfigFile(conf, SECRET);
    assert.equal(readFileSync(conf, 'utf8'), SECRET);
    assert.equal(statSync(conf).mode & 0o777, 0o640, 'the mode is kept');
    assert.deepEqual(readdirSync(dir), ['wg0.conf']);
  });

  it('never writes into a planted ${path}.tmp and keeps the original owner and mode', { skip: !isRoot && 'needs root (chown)' }, () => {
    const dir = join(root, 'planted');
    mkdirSync(dir, { mode: 0o755 });
    chownSync(dir, 1000, 1000);
    const conf = join(dir, 'wg0.conf');
    writeFileSync(conf, 'old\n', { mode: 0o600 });
    chownSync(conf, 1000, 1000);
    chmodSync(conf, 0o600);
    // Another user (nobody) planted the old fixed temporary name, writable by
    // everyone, hoping root writes the keys into it (the test plants it as root).
    const planted = `${conf}.tmp`;
    writeFileSync(planted, '', { mode: 0o666 });
    chownSync(planted, 65534, 65534);
    chmodSync(planted, 0o666);
    writeConfigFile(conf, SECRET);
    assert.equal(readFileSync(planted, 'utf8'), '', 'the planted file received nothing');
    assert.equal(statSync(planted).uid, 65534);
    const st = statSync(conf);
    assert.equal(readFileSync(conf, 'utf8'), SECRET);
    assert.equal(st.uid, 1000, 'owner kept');
    assert.equal(st.gid, 1000, 'group kept');
    assert.equal(st.mode & 0o777, 0o600, 'mode kept');
    assert.deepEqual(readdirSync(dir).sort(), ['wg0.conf', 'wg0.conf.tmp']);
  });

  it('refuses a directory owned by another non-root user', { skip: !isRoot && 'needs root (chown)' }, () => {
    const dir = join(root, 'foreign');
    mkdirSync(dir, { mode: 0o755 });
    const conf = join(dir, 'wg0.conf');
    writeFileSync(conf, 'old\n', { mode: 0o600 });
    chownSync(dir, 65534, 65534);
    assert.throws(() => writeConfigFile(conf, SECRET), /directory .* is owned by uid 65534/);
    assert.equal(readFileSync(conf, 'utf8'), 'old\n');
  });

  it('refuses a world-writable directory without the sticky bit', () => {
    const dir = join(root, 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o777);
    const conf = join(dir, 'wg0.conf');
    writeFileSync(conf, 'old\n', { mode: 0o600 });
    assert.throws(() => writeConfigFile(conf, SECRET), /not saving .*wg0\.conf: its directory .* is writable by everyone \(mode 777\)/);
    assert.equal(readFileSync(conf, 'utf8'), 'old\n', 'the config is untouched');
    assert.deepEqual(readdirSync(dir), ['wg0.conf']);
  });

  it('refuses a group-writable directory, accepts a sticky world-writable one', () => {
    const group = join(root, 'group');
    mkdirSync(group);
    chmodSync(group, 0o770);
    writeFileSync(join(group, 'wg0.conf'), 'old\n', { mode: 0o600 });
    assert.throws(() => writeConfigFile(join(group, 'wg0.conf'), SECRET), /writable by its group/);
    const sticky = join(root, 'sticky');
    mkdirSync(sticky);
    chmodSync(sticky, 0o1777);
    writeFileSync(join(sticky, 'wg0.conf'), 'old\n', { mode: 0o600 });
    writeConfigFile(join(sticky, 'wg0.conf'), SECRET);
    assert.equal(readFileSync(join(sticky, 'wg0.conf'), 'utf8'), SECRET);
  });
});
