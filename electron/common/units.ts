// Numbers the way `wg show` prints them (shared by main's tray and the
// renderer): "2.67 KiB", "1 minute, 6 seconds ago". Japanese gets the same
// values in its own words. Pure: no DOM, no node:*.

import { formatBytes as wgFormatBytes, formatDuration } from '../../tunnel-helper/src/config/wg-units.js';

export type UnitLanguage = 'en' | 'ja';

/** wg's bytes(): "512 B", then "%.2f KiB/MiB/GiB/TiB" rounded as glibc does. Rates
 *  and counters that are not a count of bytes yet (NaN, negative) read as 0 B. */
export function formatBytes(n: number): string {
  return Number.isFinite(n) && n > 0 ? wgFormatBytes(Math.round(n)) : '0 B';
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

const JA_PARTS: readonly [seconds: number, ja: string][] = [
  [365 * 24 * 3600, '年'], [24 * 3600, '日'], [3600, '時間'], [60, '分'], [1, '秒'],
];

/** wg's ago(): whole seconds between the handshake and now; Japanese in its own words. */
export function formatHandshakeAge(seconds: number, lang: UnitLanguage = 'en'): string {
  if (seconds < 0) return lang === 'ja' ? 'システム時計が巻き戻りました' : 'System clock wound backward!';
  let left = Math.floor(seconds);
  if (lang === 'en') return left === 0 ? 'Now' : `${formatDuration(left)} ago`;
  if (left === 0) return 'たった今';
  let out = '';
  for (const [size, ja] of JA_PARTS) {
    const count = Math.floor(left / size);
    left -= count * size;
    if (count > 0) out += `${count}${ja}`;
  }
  return `${out}前`;
}
