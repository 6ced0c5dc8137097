import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zipSync } from 'fflate';
import { decodeText, importFiles, importText, summaryText } from '../../../electron/app-core/transfer/import-files.js';
import { nameFromFileName, uniqueName } from '../../../electron/app-core/transfer/import-naming.js';
import { qrFor } from '../../../electron/app-core/transfer/export-files.js';
import { serializeConfig, type LoadedConfig } from '../../../shared/config/index.js';
import { PRIVATE_KEY, sampleConfig } from './fakes.js';

const enc = (s: string) => new TextEncoder().encode(s);
function memoryTarget(existing: string[] = []) {
  const saved = new Map<string, string>(existing.map((n) => [n, '']));
  return { saved, names: () => [...saved.keys()], write: (n: string, c: LoadedConfig) => void saved.set(n, serializeConfig(c.parsed)) };
}
/** Line 5 of this file has a public key that is too short. */
const badConfig = ['[Interface]', `PrivateKey = ${PRIVATE_KEY}`, 'Address = 10.0.0.2/24', '[Peer]', 'PublicKey = tooShort=', 'AllowedIPs = 10.0.0.0/24'].join('\n');

describe('import', () => {
  it('names tunnels after their files and renames on conflict', () => {
    const target = memoryTarget(['office']);
    const s = importFiles([{ fileName: 'office.conf', bytes: enc(sampleConfig()) }, { fileName: 'home.conf', bytes: enc(sampleConfig()) }], target);
    assert.deepEqual(s.imported, [{ name: 'office-2', from: 'office.conf' }, { name: 'home', from: 'home.conf' }]);
    assert.equal(s.text, 'Imported 2 of 2');
    assert.equal(target.saved.get('home'), sampleConfig());
  });

  it('imports a zip with one bad file and names the bad line in the summary', () => {
    const zip = zipSync({ 'a.conf': enc(sampleConfig()), 'b.conf': enc(sampleConfig()), 'office.conf': enc(badConfig), 'readme.txt': enc('x') });
    const s = importFiles([{ fileName: 'tunnels.zip', bytes: zip }], memoryTarget());
    assert.equal(s.total, 3);
    assert.deepEqual(s.imported.map((i) => i.name), ['a', 'b']);
    assert.equal(s.failed[0]?.file, 'office.conf');
    assert.equal(s.failed[0]?.line, 5);
    assert.match(s.text, /^Imported 2 of 3 — office\.conf:5: error: PublicKey/);
  });

  it('reports an archive it cannot read without stopping the other files', () => {
    const s = importFiles([{ fileName: 'broken.zip', bytes: enc('PK not really') }, { fileName: 'ok.conf', bytes: enc(sampleConfig()) }], memoryTarget());
    assert.equal(s.imported.length, 1);
    assert.match(s.text, /^Imported 1 of 2 — broken\.zip: The archive could not be read/);
  });

  it('refuses files that are not .conf', () => {
    const s = importFiles([{ fileName: 'notes.txt', bytes: enc('x') }], memoryTarget());
    assert.match(s.text, /notes\.txt: Only \.conf files, \.zip archives of them, and PNG or JPEG images/);
  });

  it('imports pasted text under the name given, or "pasted"', () => {
    const target = memoryTarget();
    assert.equal(importText(sampleConfig(), 'work', target).imported[0]?.name, 'work');
    assert.equal(importText(sampleConfig(), null, target).imported[0]?.name, 'pasted');
  });

  it('reads UTF-16 files that Windows Notepad saves', () => {
    const text = '[Interface]\n# café';
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from(text).flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])]);
    assert.equal(decodeText(utf16), text);
  });

  it('tidies names that cannot be interface names and keeps suffixed names within 15 characters', () => {
    assert.equal(nameFromFileName('C:\\Users\\me\\My Office VPN.conf'), 'My-Office-VPN');
    assert.equal(nameFromFileName('éé.conf'), 'tunnel');
    assert.equal(uniqueName('averyveryverylong', new Set(['averyveryverylong'])).length <= 15, true);
    assert.equal(uniqueName('a', new Set(['a', 'a-2'])), 'a-3');
  });

  it('joins several failures in the summary', () => {
    assert.equal(summaryText(0, 2, [{ file: 'a.conf', line: 3, message: 'm1' }, { file: 'b.zip', message: 'm2' }]), 'Imported 0 of 2 — a.conf:3: error: m1; b.zip: m2');
  });
});

describe('QR export', () => {
  it('encodes the whole config as a square of modules', () => {
    const qr = qrFor(sampleConfig());
    assert.ok(qr.size >= 21 && qr.size % 4 === 1, `odd QR size ${qr.size}`);
    assert.equal(qr.rows.length, qr.size);
    assert.ok(qr.rows.every((r) => r.length === qr.size && /^[01]+$/.test(r)));
    // The three finder patterns: the top-left 7x7 starts with a full dark row.
    assert.equal(qr.rows[0]?.slice(0, 7), '1111111');
  });
});
