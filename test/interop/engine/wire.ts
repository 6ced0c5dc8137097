// Hand-made WireGuard messages for the engine interop tests: junk with the
// right type byte, a valid mac1 on top of garbage, and the low-order points.
import { randomBytes } from 'node:crypto';
import { blake2s } from '@noble/hashes/blake2.js';

/** The seven low-order Curve25519 points of netns.sh check 19, base64. */
export const LOW_ORDER_POINTS = [
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=', 'AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
  '4Ot6fDtBuK4WVuP68Z/EatoJjeucMrH9hmIFFl9JuAA=', 'X5yVvKNQjCSx0LFVnIPvWwREXMRYHI6G2CJO3dCfEVc=',
  '7P///////////////////////////////////////38=', '7f///////////////////////////////////////38=',
  '7v///////////////////////////////////////38=',
];

/** A message of `type` (u8 then three zero bytes) with random contents. */
export function message(type: number, length: number): Buffer {
  const b = randomBytes(length);
  if (length > 0) b[0] = type;
  for (let i = 1; i < Math.min(4, length); i++) b[i] = 0;
  return b;
}

/** Fills in a valid mac1 for `receiverPub` (and a zero mac2), so the message passes the cheap check. */
export function withMac1(msg: Buffer, receiverPub: Buffer): Buffer {
  const macAt = msg.length - 32;
  const key = blake2s(Buffer.concat([Buffer.from('mac1----'), receiverPub]));
  msg.set(blake2s(msg.subarray(0, macAt), { key, dkLen: 16 }), macAt);
  msg.fill(0, macAt + 16);
  return msg;
}
