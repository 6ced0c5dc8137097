import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProfileStore } from '../../../electron/app-core/profiles/profile-store.js';
import { SEALED_PREFIX } from '../../../electron/app-core/profiles/private-key-seal.js';
import { noEncryption } from '../../../electron/app-core/profiles/secret-box.js';
import { loaded, PRIVATE_KEY, reversingBox, sampleConfig } from './fakes.js';

const freshDir = () => join(mkdtempSync(join(tmpdir(), 'wiredesk-store-')), 'tunnels');

describe('profile store', () => {
  it('writes each profile with mode 0600 inside a 0700 directory', () => {
    const store = new ProfileStore(freshDir(), reversingBox());
    store.write('office', loaded(sampleConfig()));
    assert.equal(statSync(join(store.dir, 'office.conf')).mode & 0o777, 0o600);
    assert.equal(statSync(store.dir).mode & 0o777, 0o700);
  });

  it('keeps 0600 when it overwrites a file someone made world-readable', () => {
    const store = new ProfileStore(freshDir(), reversingBox());
    writeFileSync(join(store.dir, 'office.conf'), 'old', { mode: 0o644 });
    store.write('office', loaded(sampleConfig()));
    assert.equal(statSync(join(store.dir, 'office.conf')).mode & 0o777, 0o600);
  });

  it('never stores the private key as written when a keyring is available', () => {
    const box = reversingBox();
    const store = new ProfileStore(freshDir(), box);
    store.write('office', loaded(sampleConfig()));
    const onDisk = readFileSync(join(store.dir, 'office.conf'), 'utf8');
    assert.ok(!onDisk.includes(PRIVATE_KEY), 'the plain private key is on disk');
    assert.match(onDisk, new RegExp(`PrivateKey = ${SEALED_PREFIX}\\S+  # my key`));
    assert.ok(onDisk.includes('# Office VPN — comments are kept'));
    assert.equal(box.calls, 1);
  });

  it('reads back byte for byte: comments, CRLF, BOM, trailing comment on the key line', () => {
    const store = new ProfileStore(freshDir(), reversingBox());
    const text = `\uFEFF${sampleConfig('# trailing note').replace(/\n/g, '\r\n')}`;
    store.write('office', loaded(text));
    assert.equal(store.read('office'), text);
  });

  it('stores the key as written, still 0600, where no keyring exists', () => {
    const store = new ProfileStore(freshDir(), noEncryption);
    store.write('home', loaded(sampleConfig()));
    assert.ok(readFileSync(join(store.dir, 'home.conf'), 'utf8').includes(PRIVATE_KEY));
    assert.equal(store.read('home'), sampleConfig());
  });

  it('says what to do when the keyring cannot decrypt a key', () => {
    const dir = freshDir();
    new ProfileStore(dir, reversingBox()).write('office', loaded(sampleConfig()));
    const other = new ProfileStore(dir, { isAvailable: () => true, encrypt: (s) => s, decrypt: () => { throw new Error('wrong keyring'); } });
    assert.throws(() => other.read('office'), /encrypted by another login or keyring.*Import the tunnel again/);
  });

  it('lists tunnels by name and ignores other files', () => {
    const store = new ProfileStore(freshDir(), reversingBox());
    store.write('zeta', loaded(sampleConfig()));
    store.write('alpha', loaded(sampleConfig()));
    writeFileSync(join(store.dir, 'notes.txt'), 'x');
    assert.deepEqual(store.list(), ['alpha', 'zeta']);
  });

  it('refuses names that could escape the directory', () => {
    const store = new ProfileStore(freshDir(), reversingBox());
    assert.throws(() => store.write('../evil', loaded(sampleConfig())), /not a valid tunnel name/);
    assert.throws(() => store.read('a/b'), /not a valid tunnel name/);
  });

  it('renames, refusing to overwrite another tunnel', () => {
    const store = new ProfileStore(freshDir(), reversingBox());
    store.write('a', loaded(sampleConfig()));
    store.write('b', loaded(sampleConfig()));
    assert.throws(() => store.rename('a', 'b'), /already exists/);
    store.rename('a', 'c');
    assert.deepEqual(store.list(), ['b', 'c']);
    assert.equal(store.read('c'), sampleConfig());
  });
});
