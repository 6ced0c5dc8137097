// Tunnel MTU from the path MTU: WireGuard wraps each packet in an outer IP
// header (20 bytes for IPv4, 40 for IPv6), UDP (8) and its own 32 bytes
// (type, receiver index, counter, Poly1305 tag). PPPoE over DSL at 1454
// therefore leaves 1394 inside over IPv4, and 20 less over IPv6.
export const WG_OVERHEAD = { 4: 20 + 8 + 32, 6: 40 + 8 + 32 } as const;

export const PATHS = { ethernet: 1500, pppoe: 1492, dsl: 1454, mobile: 1280 } as const;
export type PathKind = keyof typeof PATHS;

export function innerMtu(pathMtu: number, outer: 4 | 6): number {
  return pathMtu - WG_OVERHEAD[outer];
}
