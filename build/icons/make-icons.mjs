#!/usr/bin/env node
// Draws WireDesk's app icon and tray icons (off / connecting / on / degraded /
// error, each for light and dark panels, 1x and 2x) with signed distance
// functions and 4x4 supersampling, and writes them to assets/.
//   node build/icons/make-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png.mjs';

const assets = join(dirname(fileURLToPath(import.meta.url)), '../../assets');

// The "W" glyph: a zig-zag stroke, in unit coordinates.
const W = [[0.17, 0.3], [0.335, 0.72], [0.5, 0.4], [0.665, 0.72], [0.83, 0.3]];

function segDist(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}
const polyDist = (x, y, pts) => Math.min(...pts.slice(1).map((p, i) => segDist(x, y, pts[i], p)));
function roundRectDist(x, y, cx, cy, hw, hh, r) {
  const qx = Math.abs(x - cx) - hw + r, qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/** Renders `shade(x, y) -> [r,g,b,a] | null` (unit coords, back to front) at size px. */
function render(size, layers) {
  const px = new Uint8Array(size * size * 4);
  const S = 4;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sj = 0; sj < S; sj++) {
        for (let si = 0; si < S; si++) {
          const x = (i + (si + 0.5) / S) / size, y = (j + (sj + 0.5) / S) / size;
          // Composite layers "over", in premultiplied alpha.
          let cr = 0, cg = 0, cb = 0, ca = 0;
          for (const layer of layers) {
            const c = layer(x, y);
            if (!c) continue;
            if (c.erase) { cr *= 1 - c.erase; cg *= 1 - c.erase; cb *= 1 - c.erase; ca *= 1 - c.erase; continue; }
            const [lr, lg, lb, la] = c;
            cr = lr * la + cr * (1 - la); cg = lg * la + cg * (1 - la); cb = lb * la + cb * (1 - la); ca = la + ca * (1 - la);
          }
          r += cr; g += cg; b += cb; a += ca;
        }
      }
      const n = S * S, o = (j * size + i) * 4;
      a /= n;
      px[o] = a ? Math.round(r / n / a) : 0;
      px[o + 1] = a ? Math.round(g / n / a) : 0;
      px[o + 2] = a ? Math.round(b / n / a) : 0;
      px[o + 3] = Math.round(a * 255);
    }
  }
  return encodePng(size, size, px);
}

const hex = (h, alpha = 1) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16), alpha];
const mix = (a, b, t) => a.map((v, k) => v + (b[k] - v) * t);

// ---- app icon: indigo rounded square with a white W ----
function appIcon(size) {
  const top = hex('#5468ff'), bottom = hex('#2a36c9');
  return render(size, [
    (x, y) => (roundRectDist(x, y, 0.5, 0.5, 0.44, 0.44, 0.2) <= 0 ? mix(top, bottom, y) : null),
    (x, y) => (roundRectDist(x, y, 0.5, 0.5, 0.44, 0.44, 0.2) <= 0 && y < 0.5 ? [255, 255, 255, 0.07 * (1 - y * 2)] : null),
    (x, y) => (polyDist(x, y, W) <= 0.065 ? hex('#ffffff') : null),
  ]);
}

// ---- tray: the W alone, plus a status dot with a transparent ring ----
const STATUS = { off: null, connecting: '#f5a524', on: '#22c55e', degraded: '#f97316', error: '#ef4444' };
function trayIcon(size, state, variant) {
  const ink = variant === 'dark' ? '#f3f4f6' : '#1f2937';
  const dot = STATUS[state];
  // Taller than the app icon's W: at 22 px every row counts.
  const glyph = [[0.12, 0.2], [0.3, 0.78], [0.5, 0.36], [0.7, 0.78], [0.88, 0.2]];
  const layers = [(x, y) => (polyDist(x, y, glyph) <= 0.09 ? hex(ink, state === 'off' ? 0.6 : 1) : null)];
  if (dot) {
    const [cx, cy, r] = [0.79, 0.79, 0.19];
    layers.push((x, y) => (Math.hypot(x - cx, y - cy) <= r + 0.08 ? { erase: 1 } : null));
    layers.push((x, y) => (Math.hypot(x - cx, y - cy) <= r ? hex(dot) : null));
    if (state === 'degraded' || state === 'error') {
      // An exclamation mark inside the dot, so state is not told by colour alone.
      layers.push((x, y) => (segDist(x, y, [cx, cy - 0.1], [cx, cy + 0.015]) <= 0.028 || Math.hypot(x - cx, y - cy - 0.085) <= 0.03 ? hex('#ffffff') : null));
    }
  }
  return render(size, layers);
}

mkdirSync(join(assets, 'tray'), { recursive: true });
mkdirSync(join(assets, 'icons'), { recursive: true });
writeFileSync(join(assets, 'icon.png'), appIcon(512));
for (const s of [16, 32, 48, 64, 128, 256, 512]) writeFileSync(join(assets, 'icons', `${s}x${s}.png`), appIcon(s));
for (const state of Object.keys(STATUS)) {
  for (const variant of ['light', 'dark']) {
    writeFileSync(join(assets, 'tray', `${state}-${variant}.png`), trayIcon(22, state, variant));
    writeFileSync(join(assets, 'tray', `${state}-${variant}@2x.png`), trayIcon(44, state, variant));
  }
}
console.log(`icons written to ${assets}`);
