// Unsigned decimal fields as Go's strconv.ParseUint(s, 10, bits) accepts
// them: ASCII digits only (no sign, no spaces), leading zeros allowed, and
// the value must fit. UAPI and the config parser (values.ts) both read numbers so.

/** The value of `text`, or null when it is not a decimal number in 0..max. */
export function parseDecimal(text: string, max: number): number | null {
  if (text.length === 0 || !/^[0-9]+$/.test(text)) return null;
  const digits = text.replace(/^0+(?=.)/, '');
  if (digits.length > 16) return null; // beyond 2^53: certainly over any max we use
  const value = Number(digits);
  return value <= max ? value : null;
}
