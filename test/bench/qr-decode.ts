// A section of `npm run bench`: how long importing a picture of a QR code
// spends decoding it, on app main's reader thread (ZXing in WebAssembly,
// transfer/qr-reader.ts),
// next to zbarimg (zbar, C) on the same PNG. The pictures are what users
// import: a phone screenshot (1170 × 2532) and an A4 page scanned at 300 dpi
// (2480 × 3508), each around the exported QR code of a two-peer config.
// zbarimg's figure includes starting its process and ImageMagick; the time it
// takes on a blank 16 × 16 PNG is printed, and the ratio is taken against
// zbarimg's time less that start. Both include PNG decoding. An import's
// first picture also starts the thread and compiles the WebAssembly module;
// that is printed apart.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qrFor } from '../../electron/app-core/transfer/export-files.js';
import { openQrReader } from '../../electron/app-core/transfer/qr-reader.js';
import { hasCommand } from '../support/netns.js';
import { drawQr, encodePng, placeOn } from '../support/qr-picture.js';
import { PEER_KEY, sampleConfig } from '../unit/electron/fakes.js';

const ROUNDS = Number(process.env.BENCH_QR_ROUNDS ?? 7);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function qrDecodeBench(): Promise<void> {
  if (ROUNDS <= 0) return;
  const text = sampleConfig(`\n[Peer]\nPublicKey = ${PEER_KEY}\nAllowedIPs = 10.9.0.0/16\nEndpoint = backup.example.net:51820\n`);
  const dir = mkdtempSync(join(tmpdir(), 'wiredesk-qr-bench-'));
  try {
    const code = drawQr(qrFor(text), 10);
    const pictures = [
      { name: 'phone screenshot 1170×2532', grey: placeOn(code, 1170, 2532, Math.floor((1170 - code.width) / 2), 900) },
      { name: 'A4 page at 300 dpi 2480×3508', grey: placeOn(drawQr(qrFor(text), 8), 2480, 3508, 300, 2400) },
    ];
    process.stdout.write(`QR import: decoding a picture, median of ${ROUNDS} (reference: zbarimg on the same PNG)\n`);
    const zbar = (path: string) => {
      const t0 = performance.now();
      const r = spawnSync('zbarimg', ['--quiet', '--raw', '--nodbus', '-Sbinary', path]);
      return { ms: performance.now() - t0, status: r.status };
    };
    const hasZbar = hasCommand('zbarimg');
    let start = 0;
    if (hasZbar) {
      const blank = join(dir, 'blank.png');
      writeFileSync(blank, encodePng({ width: 16, height: 16, pixels: new Uint8Array(256).fill(255) }));
      start = median(Array.from({ length: ROUNDS }, () => zbar(blank).ms));
      process.stdout.write(`  zbarimg start (a blank 16×16 PNG): ${start.toFixed(0)} ms\n`);
    }
    let first = true;
    const reader = openQrReader();
    for (const p of pictures) {
      const png = encodePng(p.grey);
      const path = join(dir, 'qr.png');
      writeFileSync(path, png);
      const ours: number[] = [];
      for (let i = 0; i < ROUNDS + (first ? 1 : 0); i++) {
        const t0 = performance.now();
        const read = await reader.read(png);
        const ms = performance.now() - t0;
        if (!read.ok || read.codes.length !== 1 || new TextDecoder().decode(read.codes[0]) !== text) throw new Error(`the bench picture did not decode: ${p.name}`);
        if (first) process.stdout.write(`  first picture of an import (thread start and WebAssembly compile): ${ms.toFixed(0)} ms\n`);
        else ours.push(ms);
        first = false;
      }
      const theirs: number[] = [];
      for (let i = 0; hasZbar && i < ROUNDS; i++) {
        const r = zbar(path);
        if (r.status !== 0) throw new Error(`zbarimg could not read the bench picture: ${p.name}`);
        theirs.push(r.ms);
      }
      const o = median(ours);
      const t = median(theirs);
      const vs = hasZbar ? `zbarimg ${t.toFixed(1).padStart(7)} ms (${(t - start).toFixed(1)} after its start)   ratio ${(o / (t - start)).toFixed(2)}` : 'zbarimg not installed';
      process.stdout.write(`  ${p.name.padEnd(30)} wiredesk ${o.toFixed(1).padStart(7)} ms   ${vs}   (PNG ${(png.length / 1024).toFixed(0)} KiB)\n`);
    }
    process.stdout.write('\n');
    await reader.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
