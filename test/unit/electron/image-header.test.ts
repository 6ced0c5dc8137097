import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readImageHeader } from '../../../electron/app-core/transfer/image-header.js';
import { quoteContent } from '../../../shared/ipc/image-import.js';
import { encodePng, pngHeaderClaiming } from '../../support/qr-picture.js';

/** SOI, an APP0 segment, then a baseline or progressive frame header of this size. */
function jpegHeader(sof: number, width: number, height: number): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...'JFIF\0'.split('').map((c) => c.charCodeAt(0)), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const frame = [0xff, sof, 0x00, 0x0b, 8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0];
  return new Uint8Array([0xff, 0xd8, ...app0, 0xff, 0xc4, 0x00, 0x02, ...frame, 0xff, 0xd9]);
}

describe('image header', () => {
  it('reads the size of a PNG from its IHDR chunk', () => {
    assert.deepEqual(readImageHeader(encodePng({ width: 3, height: 2, pixels: new Uint8Array(6) })), { format: 'png', width: 3, height: 2 });
    assert.deepEqual(readImageHeader(pngHeaderClaiming(70_000, 50_000)), { format: 'png', width: 70_000, height: 50_000 });
  });

  it('reads the size of a JPEG from its frame header, past other segments, baseline or progressive', () => {
    assert.deepEqual(readImageHeader(jpegHeader(0xc0, 1170, 2532)), { format: 'jpeg', width: 1170, height: 2532 });
    assert.deepEqual(readImageHeader(jpegHeader(0xc2, 640, 480)), { format: 'jpeg', width: 640, height: 480 });
  });

  it('answers null for anything else, and for truncated or malformed headers, without throwing', () => {
    for (const bytes of [
      new Uint8Array(0),
      new TextEncoder().encode('GIF89a'),
      pngHeaderClaiming(1, 1).subarray(0, 20),
      jpegHeader(0xc0, 10, 10).subarray(0, 25),
      new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x00]),
      new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0x00, 0x08]),
    ]) assert.equal(readImageHeader(bytes), null);
  });
});

describe('quoting a QR code\'s content', () => {
  it('keeps one line, hides keys and shortens to 60 characters', () => {
    assert.equal(quoteContent('WIFI:S:home;\nT:WPA;;'), 'WIFI:S:home; T:WPA;;');
    assert.equal(quoteContent('PrivateKey = abc'), 'PrivateKey = (hidden)');
    assert.equal(quoteContent('あ'.repeat(70)), `${'あ'.repeat(60)}…`);
  });
});
