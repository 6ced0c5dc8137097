// Numbers the way `wg show` prints them (shared by main's tray and the
// renderer): "2.67 KiB", "1 minute, 6 seconds ago". Japanese gets the same
// values in its own words. Pure: no DOM, no node:*.

export type UnitLanguage = 'en' | 'ja';

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'] as const;

/** wg's bytes(): "%u B" below 1 KiB, then "%.2f KiB/MiB/GiB/TiB". */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '0 B';
  if (n < 1024) return `${Math.round(n)} B`;
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)} ${UNITS[i]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

const PARTS: readonly [seconds: number, en: string, ja: string][] = [
  [365 * 24 * 3600, 'year', '年'],
  [24 * 3600, 'day', '日'],
  [3600, 'hour', '時間'],
  [60, 'minute', '分'],
  [1, 'second', '秒'],
];

/** wg's ago(): whole seconds between the handshake and now. */
export function formatHandshakeAge(seconds: number, lang: UnitLanguage = 'en'): string {
  if (seconds < 0) return lang === 'ja' ? 'システム時計が巻き戻りました' : 'System clock wound backward!';
  let left = Math.floor(seconds);
  if (left === 0) return lang === 'ja' ? 'たった今' : 'Now';
  const out: string[] = [];
  for (const [size, en, ja] of PARTS) {
    const count = Math.floor(left / size);
    left -= count * size;
    if (count === 0) continue;
    out.push(lang === 'ja' ? `${count}${ja}` : `${count} ${en}${count === 1 ? '' : 's'}`);
  }
  return lang === 'ja' ? `${out.join('')}前` : `${out.join(', ')} ago`;
}
