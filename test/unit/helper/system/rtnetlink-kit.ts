// rtnetlink bytes written by hand for the helper's netlink tests, so the
// codec under test is checked against an independent encoding.
export function attr(type: number, value: Buffer): Buffer {
  const b = Buffer.alloc((4 + value.length + 3) & ~3);
  b.writeUInt16LE(4 + value.length, 0);
  b.writeUInt16LE(type, 2);
  value.copy(b, 4);
  return b;
}
export const u32 = (n: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
export const ip4 = (s: string): Buffer => Buffer.from(s.split('.').map(Number));
