// Pictures of QR codes for the import tests, made without an image library:
// a QR module matrix drawn as greyscale pixels with a white quiet zone, the
// damage a camera or a scan does (box blur, rotation by any angle), and a
// minimal PNG encoder over node:zlib (signature, IHDR, one IDAT, IEND).
import { encodePng as encodePixels, PNG_SIGNATURE, pngChunk, pngHeader } from '../../build/icons/png.mjs';
import type { QrCode } from '../../shared/ipc/types.js';

/** 8-bit greyscale, row by row; 0 is black, 255 white. */
export interface Grey {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

/** The code at `scale` pixels per module, with a quiet zone of `quiet` modules all round. */
export function drawQr(qr: QrCode, scale = 6, quiet = 4): Grey {
  const side = (qr.size + 2 * quiet) * scale;
  const pixels = new Uint8Array(side * side).fill(255);
  for (let y = 0; y < side; y++) {
    const row = qr.rows[Math.floor(y / scale) - quiet];
    if (!row) continue;
    for (let x = 0; x < side; x++) if (row[Math.floor(x / scale) - quiet] === '1') pixels[y * side + x] = 0;
  }
  return { width: side, height: side, pixels };
}

/** Each pixel becomes the mean of the (2r+1)² square around it (edges clamped). */
export function boxBlur(g: Grey, r: number): Grey {
  const pass = (src: Uint8Array, horizontal: boolean) => {
    const out = new Uint8Array(src.length);
    for (let y = 0; y < g.height; y++) {
      for (let x = 0; x < g.width; x++) {
        let sum = 0;
        for (let d = -r; d <= r; d++) {
          const xx = horizontal ? Math.min(g.width - 1, Math.max(0, x + d)) : x;
          const yy = horizontal ? y : Math.min(g.height - 1, Math.max(0, y + d));
          sum += src[yy * g.width + xx]!;
        }
        out[y * g.width + x] = Math.round(sum / (2 * r + 1));
      }
    }
    return out;
  };
  return { ...g, pixels: pass(pass(g.pixels, true), false) };
}

/** Rotated by `degrees` about the centre, on a canvas that holds all of it, white outside; bilinear. */
export function rotate(g: Grey, degrees: number): Grey {
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const width = Math.ceil(Math.abs(g.width * cos) + Math.abs(g.height * sin));
  const height = Math.ceil(Math.abs(g.width * sin) + Math.abs(g.height * cos));
  const pixels = new Uint8Array(width * height).fill(255);
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= g.width || y >= g.height ? 255 : g.pixels[y * g.width + x]!);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // The source point that lands here: the inverse rotation about both centres.
      const dx = x + 0.5 - width / 2;
      const dy = y + 0.5 - height / 2;
      const sx = cos * dx + sin * dy + g.width / 2 - 0.5;
      const sy = -sin * dx + cos * dy + g.height / 2 - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
      const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
      pixels[y * width + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { width, height, pixels };
}

/** A greyscale PNG (colour type 0, bit depth 8, filter 0 on every row): the build's one encoder. */
export function encodePng(g: Grey): Buffer {
  return encodePixels(g.width, g.height, g.pixels, 1);
}

/** Only the signature and an IHDR that claims this size: what a decompression bomb shows before decoding. */
export function pngHeaderClaiming(width: number, height: number): Buffer {
  return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', pngHeader(width, height, 1)), pngChunk('IEND', new Uint8Array(0))]);
}

/** The picture on a white canvas of this size at (x, y): a screenshot or a scanned page around the code. */
export function placeOn(g: Grey, width: number, height: number, x: number, y: number): Grey {
  const pixels = new Uint8Array(width * height).fill(255);
  for (let row = 0; row < g.height && y + row < height; row++) {
    pixels.set(g.pixels.subarray(row * g.width, row * g.width + Math.min(g.width, width - x)), (y + row) * width + x);
  }
  return { width, height, pixels };
}

/** Two pictures side by side on white, as a provider's page with two codes. */
export function beside(a: Grey, b: Grey): Grey {
  const out = placeOn(a, a.width + b.width, Math.max(a.height, b.height), 0, 0);
  for (let row = 0; row < b.height; row++) out.pixels.set(b.pixels.subarray(row * b.width, (row + 1) * b.width), row * out.width + a.width);
  return out;
}
