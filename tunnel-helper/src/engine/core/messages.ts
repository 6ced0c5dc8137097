// Wire formats of the four WireGuard messages (whitepaper §5.4). All integers
// are little-endian; `type` is a u8 followed by three zero bytes, so a message
// is recognised by reading its first four bytes as one u32.
//
//   initiation (148)  type | sender | ephemeral 32 | static 32+16 | timestamp 12+16 | mac1 | mac2
//   response    (92)  type | sender | receiver | ephemeral 32 | empty 0+16 | mac1 | mac2
//   cookie      (64)  type | receiver | nonce 24 | cookie 16+16
//   transport (32+n)  type | receiver | counter u64 | ciphertext n+16
import {
  COOKIE_REPLY_SIZE, INITIATION_SIZE, MESSAGE_COOKIE_REPLY, MESSAGE_INITIATION,
  MESSAGE_RESPONSE, MESSAGE_TRANSPORT, RESPONSE_SIZE, TRANSPORT_MIN_SIZE,
} from './constants.js';

export const INITIATION_SENDER = 4;
export const INITIATION_NOISE = 8; // ephemeral || static || timestamp
export const RESPONSE_SENDER = 4;
export const RESPONSE_RECEIVER = 8;
export const RESPONSE_NOISE = 12; // ephemeral || empty
export const COOKIE_RECEIVER = 4;
export const COOKIE_NONCE = 8;
export const COOKIE_NONCE_SIZE = 24;
export const COOKIE_ENCRYPTED = 32;
export const TRANSPORT_RECEIVER = 4;
export const TRANSPORT_COUNTER = 8;
export const TRANSPORT_CONTENT = 16;
export const MAC_SIZE = 16;
export const TAI64N_SIZE = 12;
/** Data packets are padded to a multiple of this. */
export const PADDING_MULTIPLE = 16;

export function readU32(b: Uint8Array, off: number): number {
  return (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
}

export function writeU32(b: Uint8Array, off: number, v: number): void {
  b[off] = v & 0xff;
  b[off + 1] = (v >>> 8) & 0xff;
  b[off + 2] = (v >>> 16) & 0xff;
  b[off + 3] = (v >>> 24) & 0xff;
}

/** Reads a u64 counter exactly; allocates one small bigint. */
export function readCounter(b: Uint8Array, off: number): bigint {
  const lo = readU32(b, off);
  const hi = readU32(b, off + 4);
  return hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo);
}

/** Writes a counter kept as a number (exact below 2^53, see keypair.ts). */
export function writeCounter(b: Uint8Array, off: number, n: number): void {
  writeU32(b, off, n % 0x1_0000_0000);
  writeU32(b, off + 4, Math.floor(n / 0x1_0000_0000));
}

/** The message type, or 0 when the first four bytes are not a known type
 *  followed by zeros or the length is wrong for it (such datagrams are dropped). */
export function messageType(b: Uint8Array, len: number = b.length): number {
  if (len < 4) return 0;
  const type = readU32(b, 0);
  switch (type) {
    case MESSAGE_INITIATION: return len === INITIATION_SIZE ? type : 0;
    case MESSAGE_RESPONSE: return len === RESPONSE_SIZE ? type : 0;
    case MESSAGE_COOKIE_REPLY: return len === COOKIE_REPLY_SIZE ? type : 0;
    case MESSAGE_TRANSPORT: return len >= TRANSPORT_MIN_SIZE ? type : 0;
    default: return 0;
  }
}

/** Padded plaintext length: a multiple of 16, but never beyond the MTU
 *  (send.go calculatePaddingSize; a packet larger than the MTU is a GSO
 *  super-packet whose last segment is what gets padded). */
export function paddedLength(len: number, mtu: number): number {
  if (mtu === 0) return (len + PADDING_MULTIPLE - 1) & ~(PADDING_MULTIPLE - 1);
  const last = len > mtu ? len % mtu : len;
  const padded = Math.min((last + PADDING_MULTIPLE - 1) & ~(PADDING_MULTIPLE - 1), mtu);
  return len + padded - last;
}

/** Constant-time comparison of a[aOff..aOff+n) and b[bOff..bOff+n). */
export function equalBytes(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, n: number): boolean {
  let acc = 0;
  for (let i = 0; i < n; i++) acc |= a[aOff + i]! ^ b[bOff + i]!;
  return acc === 0;
}

export function isZero(b: Uint8Array): boolean {
  let acc = 0;
  for (let i = 0; i < b.length; i++) acc |= b[i]!;
  return acc === 0;
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i]!.toString(16).padStart(2, '0');
  return s;
}
