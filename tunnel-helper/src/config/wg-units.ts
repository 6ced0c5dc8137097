// Numbers exactly as wg(8) prints them (wireguard-tools show.c): durations
// ("1 minute, 6 seconds"), handshake ages and byte counts ("2.67 KiB").
// Pure, so `wiredesk show`, the app's main process and the renderer share one
// implementation.

const UNITS: readonly [number, string][] = [
  [365 * 24 * 60 * 60, 'year'], [24 * 60 * 60, 'day'], [60 * 60, 'hour'], [60, 'minute'], [1, 'second'],
];

/** show.c pretty_time: "1 day, 2 hours, 5 seconds"; zero parts are left out ('' for 0). */
export function formatDuration(seconds: number): string {
  let left = Math.floor(seconds);
  const parts: string[] = [];
  for (const [size, name] of UNITS) {
    const n = Math.floor(left / size);
    left %= size;
    if (n) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

/**
 * How long ago the latest handshake was, as show.c's ago(): "Now" in the
 * same second, "1 minute, 6 seconds ago", and a warning when the handshake
 * is in the future (the clock went backwards).
 */
export function formatHandshakeAge(seconds: number): string {
  if (seconds === 0) return 'Now';
  if (seconds < 0) return '(System clock wound backward; connection problems may ensue.)';
  return `${formatDuration(seconds)} ago`;
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

/** show.c bytes(): "512 B", "2.67 KiB", "1.00 MiB", up to TiB. */
export function formatBytes(n: number | bigint): string {
  const b = BigInt(n);
  if (b < 1024n) return `${b} B`;
  // show.c divides a double, so beyond 2^53 it sees the value rounded to a double first.
  const d = BigInt(Number(b));
  if (b < 1024n ** 2n) return `${twoDecimals(d, 10n)} KiB`;
  if (b < 1024n ** 3n) return `${twoDecimals(d, 20n)} MiB`;
  if (b < 1024n ** 4n) return `${twoDecimals(d, 30n)} GiB`;
  return `${twoDecimals(d, 40n)} TiB`;
}
