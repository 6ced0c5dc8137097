// Import from a picture of a QR code, through app-core's real import call
// (the bytes the renderer sends) and the real decoder (ZXing in WebAssembly):
// the exported QR code, drawn into a PNG, comes back as the identical config;
// damaged, foreign and oversized pictures get their sentence.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createAppCore } from '../../../electron/app-core/app-core.js';
import { appPaths } from '../../../electron/app-paths.js';
import { qrFor } from '../../../electron/app-core/transfer/export-files.js';
import { decodeQrCodes, qrReaderWasmPath } from '../../../electron/app-core/transfer/qr-image.js';
import type { ImportSummary } from '../../../shared/ipc/types.js';
import { hasCommand } from '../../support/netns.js';
import { beside, boxBlur, drawQr, encodePng, pngHeaderClaiming, rotate } from '../../support/qr-picture.js';
import { FakeHelper, fakeLauncher, loaded, PRIVATE_KEY, recordingPorts, sampleConfig } from './fakes.js';

function setup() {
  const ports = recordingPorts(fakeLauncher(new FakeHelper()));
  const core = createAppCore(ports);
  const importImage = async (name: string, bytes: Uint8Array): Promise<ImportSummary> =>
    core.handlers['tunnels:importFiles']([{ name, data: Buffer.from(bytes).toString('base64') }]);
  return { core, importImage };
}
const pngOf = (text: string, scale = 6) => encodePng(drawQr(qrFor(text), scale));
const problemOf = (s: ImportSummary) => s.failed[0]?.image?.code;
const tmp = mkdtempSync(join(tmpdir(), 'wiredesk-qr-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('import from a picture of a QR code', () => {
  it('round trip: the exported QR code, drawn as a PNG, imports as the identical config, named after the image', async () => {
    const { core, importImage } = setup();
    core.profiles.write('office', loaded(sampleConfig()));
    const exported = await core.handlers['tunnels:qr']('office');
    const png = encodePng(drawQr(exported, 6));
    const s = await importImage('office.png', png);
    assert.deepEqual(s.imported, [{ name: 'office-2', from: 'office.png' }], 'named like a file import, "-2" on a clash');
    assert.equal(s.text, 'Imported 1 of 1');
    assert.equal(await core.handlers['tunnels:readConfig']('office-2'), await core.handlers['tunnels:readConfig']('office'));
    assert.equal(await core.handlers['tunnels:readConfig']('office-2'), sampleConfig(), 'byte for byte, the UTF-8 comment included');
  });

  it('draws a PNG that an independent decoder (zbarimg) reads as the same bytes', { skip: !hasCommand('zbarimg') && 'needs zbarimg (zbar-tools)' }, () => {
    const path = join(tmp, 'office.png');
    writeFileSync(path, pngOf(sampleConfig()));
    const zbar = spawnSync('zbarimg', ['--quiet', '--raw', '-Sbinary', path]);
    assert.equal(zbar.status, 0, zbar.stderr.toString());
    assert.deepEqual(zbar.stdout, Buffer.from(sampleConfig()));
  });

  it('reads a code turned 90° or 30°, and one slightly soft (box blur over under a module)', async () => {
    const { core, importImage } = setup();
    const base = drawQr(qrFor(sampleConfig()), 6);
    for (const [name, picture] of [['turned90', rotate(base, 90)], ['turned30', rotate(base, 30)], ['soft', boxBlur(base, 2)]] as const) {
      const s = await importImage(`${name}.png`, encodePng(picture));
      assert.deepEqual(s.imported.map((i) => i.name), [name], `${name}: ${s.text}`);
      assert.equal(await core.handlers['tunnels:readConfig'](name), sampleConfig());
    }
  });

  it('imports every WireGuard code on a page with several, and skips the page\'s other codes', async () => {
    const { core, importImage } = setup();
    const second = sampleConfig().replace('10.0.0.2/24', '10.0.0.3/24');
    const page = beside(beside(drawQr(qrFor(sampleConfig()), 5), drawQr(qrFor('https://example.com/help'), 5)), drawQr(qrFor(second), 5));
    const s = await importImage('provider-page.png', encodePng(page));
    assert.equal(s.imported.length, 2, s.text);
    const texts = await Promise.all(s.imported.map(async (i) => core.handlers['tunnels:readConfig'](i.name)));
    assert.deepEqual(texts.sort(), [sampleConfig(), second].sort());
    assert.deepEqual(s.imported.map((i) => i.name).sort(), ['provider-page', 'provider-page-2']);
  });

  it('says no readable QR code was found in a strongly blurred picture, and suggests a sharper, straight one', async () => {
    const { core, importImage } = setup();
    const s = await importImage('blurred.png', encodePng(boxBlur(drawQr(qrFor(sampleConfig()), 6), 6)));
    assert.equal(problemOf(s), 'no-qr');
    assert.match(s.text, /^Imported 0 of 1 — blurred\.png: No readable QR code was found in the image\. Use a sharper picture taken straight on/);
    assert.deepEqual(core.profiles.list(), [], 'nothing is saved');
  });

  it('says what a QR code holds when it is not a WireGuard config: a URL, shortened', async () => {
    const { importImage } = setup();
    const url = `https://example.com/download?token=${'x'.repeat(80)}`;
    const s = await importImage('link.png', pngOf(url));
    assert.equal(problemOf(s), 'not-wireguard');
    assert.equal(s.failed[0]?.image?.code === 'not-wireguard' && s.failed[0].image.content, `${url.slice(0, 60)}…`);
    assert.match(s.text, /link\.png: The QR code does not hold a WireGuard configuration; it holds "https:\/\/example\.com\/download\?token=x+…"/);
  });

  it('never quotes a private key from a QR code that is not a config', async () => {
    const { importImage } = setup();
    const s = await importImage('key.png', pngOf(`PrivateKey = ${PRIVATE_KEY}`));
    assert.equal(problemOf(s), 'not-wireguard');
    assert.doesNotMatch(s.text, new RegExp(PRIVATE_KEY.slice(0, 20).replace(/[+/]/g, '\\$&')));
    assert.match(s.text, /PrivateKey = \(hidden\)/);
  });

  it('gives a config with errors its line, as a file import does', async () => {
    const { importImage } = setup();
    const bad = ['[Interface]', `PrivateKey = ${PRIVATE_KEY}`, 'Address = 10.0.0.2/24', '[Peer]', 'PublicKey = tooShort=', 'AllowedIPs = 10.0.0.0/24'].join('\n');
    const s = await importImage('bad.png', pngOf(bad));
    assert.equal(s.failed[0]?.line, 5);
    assert.equal(s.failed[0]?.image, undefined);
    assert.match(s.text, /^Imported 0 of 1 — bad\.png:5: error: PublicKey/);
  });

  it('refuses pictures that are not PNG or JPEG, whatever their names, and damaged ones', async () => {
    const { importImage } = setup();
    const gif = new TextEncoder().encode('GIF89a\x01\x00\x01\x00');
    assert.equal(problemOf(await importImage('code.gif', gif)), 'not-png-jpeg');
    assert.equal(problemOf(await importImage('code.png', new TextEncoder().encode('not a picture'))), 'not-png-jpeg');
    const png = pngOf(sampleConfig());
    assert.equal(problemOf(await importImage('cut.png', png.subarray(0, png.length >> 1))), 'unreadable-image');
  });

  it('refuses a picture claiming too many pixels before decoding it, and one too large a file', async () => {
    const { importImage } = setup();
    const s = await importImage('bomb.png', pngHeaderClaiming(100_000, 100_000));
    assert.deepEqual(s.failed[0]?.image, { code: 'too-many-pixels', width: 100_000, height: 100_000, maxMegapixels: 40 });
    assert.match(s.text, /100000 × 100000 pixels, more than 40 megapixels/);
    const huge = Buffer.alloc(16 * 1024 * 1024 + 1);
    pngHeaderClaiming(1000, 1000).copy(huge);
    assert.equal(problemOf(await importImage('huge.png', huge)), 'file-too-large');
  });

  it('imports a PNG dropped without an extension, and keeps .conf files and images in one summary', async () => {
    const { core } = setup();
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
    const s = await core.handlers['tunnels:importFiles']([
      { name: 'home.conf', data: b64(new TextEncoder().encode(sampleConfig())) },
      { name: 'screenshot', data: b64(pngOf(sampleConfig())) },
      { name: 'link.jpg', data: b64(pngOf('https://example.com')) },
    ]);
    assert.deepEqual(s.imported.map((i) => i.name), ['home', 'screenshot']);
    assert.equal(s.total, 3);
    assert.equal(problemOf(s), 'not-wireguard');
  });

  it('loads the reader from the app\'s own files, the path the packaging test checks, and fetches nothing', async () => {
    assert.equal(realpathSync(qrReaderWasmPath()), realpathSync(appPaths(process.cwd()).qrReaderWasm));
    // This thread has not loaded the reader yet (imports decode on a worker), so this load is watched.
    const fetched: string[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (input: unknown) => {
      fetched.push(String(input));
      throw new Error('no network in this test');
    }) as typeof fetch;
    try {
      const read = await decodeQrCodes(pngOf(sampleConfig()));
      assert.ok(read.ok && read.codes.length === 1);
    } finally {
      globalThis.fetch = realFetch;
    }
    assert.deepEqual(fetched, []);
  });
});
