// Export: one .conf as written, every tunnel as a .zip (the form every
// official client imports), or a QR code the phone apps scan. Each contains
// a private key; the renderer warns before asking for any of them.
import qrcode from 'qrcode-generator';
import { zipSync } from 'fflate';
import type { QrCode } from '../../../shared/ipc/types.js';

export function zipProfiles(profiles: readonly { name: string; text: string }[]): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const p of profiles) files[`${p.name}.conf`] = new TextEncoder().encode(p.text);
  return zipSync(files, { level: 6 });
}

/**
 * A QR code of the config text in byte mode, UTF-8, error correction M
 * (what the WireGuard phone apps read). The library's byte mode takes one
 * character per byte, so the UTF-8 bytes are passed as such.
 */
export function qrFor(text: string): QrCode {
  const qr = qrcode(0, 'M');
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  qr.addData(binary, 'Byte');
  qr.make();
  const size = qr.getModuleCount();
  const rows: string[] = [];
  for (let r = 0; r < size; r++) {
    let row = '';
    for (let c = 0; c < size; c++) row += qr.isDark(r, c) ? '1' : '0';
    rows.push(row);
  }
  return { size, rows };
}
