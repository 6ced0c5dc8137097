// Numbers exactly as wg(8) prints them (wireguard-tools show.c): durations
// ("1 minute, 6 seconds"), handshake ages and byte counts ("2.67 KiB"), and
// rates in the same units. Japanese gets the same values in its own words.
// Pure, so `wiredesk show`, the app's main process and the renderer share one
// implementation.

/** The languages WireDesk speaks. */
export type Language = 'en' | 'ja';

const UNITS: readonly [seconds: number, en: string, ja: string][] = [
  [365 * 24 * 60 * 60, 'year', '年'], [24 * 60 * 60, 'day', '日'], [60 * 60, 'hour', '時間'], [60, 'minute', '分'], [1, 'second', '秒'],
];

/** The non-zero parts of a duration, largest first: [count, unit] pairs as show.c pretty_time splits it. */
function durationParts(seconds: number): [number, (typeof UNITS)[number]][] {
  let left = Math.floor(seconds);
  const parts: [number, (typeof UNITS)[number]][] = [];
  for (const unit of UNITS) {
    const n = Math.floor(left / unit[0]);
    left %= unit[0];
    if (n) parts.push([n, unit]);
  }
  return parts;
}

/** show.c pretty_time: "1 day, 2 hours, 5 seconds"; zero parts are left out ('' for 0). */
export function formatDuration(seconds: number): string {
  return durationParts(seconds).map(([n, [, name]]) => `${n} ${name}${n === 1 ? '' : 's'}`).join(', ');
}

const CLOCK_WOUND_BACKWARD: Record<Language, string> = {
  en: '(System clock wound backward; connection problems may ensue.)',
  ja: '（システム時計が巻き戻りました。接続に問題が起きるかもしれません。）',
};

/**
 * How long ago the latest handshake was, as show.c's ago(): "Now" in the
 * same second, "1 minute, 6 seconds ago", and, for a handshake in the future
 * (the clock went backward), wg's warning rather than a negative age. A
 * fraction of a second is dropped toward zero, as C's integer seconds are, so
 * a handshake less than a second ahead of a caller's clock reads "Now".
 */
export function formatHandshakeAge(seconds: number, lang: Language = 'en'): string {
  const whole = Math.trunc(seconds);
  if (whole < 0) return CLOCK_WOUND_BACKWARD[lang];
  if (lang === 'ja') return whole === 0 ? 'たった今' : `${durationParts(whole).map(([n, [, , ja]]) => `${n}${ja}`).join('')}前`;
  return whole === 0 ? 'Now' : `${formatDuration(whole)} ago`;
}

/** C's "%.2f" of n / 2^shift: exact, ties to even (glibc), never toFixed's ties-up. */
function twoDecimals(n: bigint, shift: bigint): string {
  const divisor = 1n << shift;
  const scaled = n * 100n;
  let q = scaled / divisor;
  const r2 = (scaled % divisor) * 2n;
  if (r2 > divisor || (r2 === divisor && q % 2n === 1n)) q += 1n;
  const s = q.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

/**
 * show.c bytes(): "512 B", "2.67 KiB", "1.00 MiB", up to TiB. A fractional
 * amount (a rate) is rounded; anything that is not a count of bytes yet
 * (NaN, negative) reads as 0 B.
 */
export function formatBytes(n: number | bigint): string {
  if (typeof n === 'number' && !(Number.isFinite(n) && n > 0)) return '0 B';
  const b = typeof n === 'number' ? BigInt(Math.round(n)) : n;
  if (b < 0n) return '0 B';
  if (b < 1024n) return `${b} B`;
  // show.c divides a double, so beyond 2^53 it sees the value rounded to a double first.
  const d = BigInt(Number(b));
  if (b < 1024n ** 2n) return `${twoDecimals(d, 10n)} KiB`;
  if (b < 1024n ** 3n) return `${twoDecimals(d, 20n)} MiB`;
  if (b < 1024n ** 4n) return `${twoDecimals(d, 30n)} GiB`;
  return `${twoDecimals(d, 40n)} TiB`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}
