// A minimal PNG encoder (8-bit greyscale or RGBA, no filtering) over
// node:zlib, so pictures are made from code with no image library: the app's
// icons (make-icons.mjs) and the tests' QR code pictures
// (test/support/qr-picture.ts; tsc copies this file into dist/ for them).
import { deflateSync } from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** @param {Uint8Array} buf */
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * One chunk: length, type, data, CRC.
 * @param {string} type
 * @param {Uint8Array} data
 * @returns {Buffer}
 */
export function pngChunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * The IHDR's 13 bytes: bit depth 8, colour type 0 (grey) for 1 channel, 6 (RGBA) for 4.
 * @param {number} width
 * @param {number} height
 * @param {1 | 4} channels
 * @returns {Buffer}
 */
export function pngHeader(width, height, channels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = channels === 1 ? 0 : 6;
  return header;
}

/**
 * @param {number} width
 * @param {number} height
 * @param {Uint8Array} pixels width*height*channels bytes, row-major
 * @param {1 | 4} [channels] 1: greyscale, 4: RGBA (the default)
 * @returns {Buffer}
 */
export function encodePng(width, height, pixels, channels = 4) {
  const row = width * channels;
  const raw = Buffer.alloc((row + 1) * height); // each row: filter byte 0 (none), then its pixels
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * row, (y + 1) * row), y * (row + 1) + 1);
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', pngHeader(width, height, channels)),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
