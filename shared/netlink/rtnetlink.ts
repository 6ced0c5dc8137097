// rtnetlink's framing (netlink(7), rtnetlink(7)), as bytes and without I/O:
// the message types, the nlmsghdr, splitting a datagram into messages and
// walking a message's rtattrs. The engine (route notifications and queries)
// and the helper (dumps for network identity) each parse their own bodies
// on top of it.
//
//   nlmsghdr (16): len u32, type u16, flags u16, seq u32, pid u32
//   rtattr    (4): len u16, type u16, then the value, padded to 4 bytes
// In host order (little-endian on the machines we run on). Uses Node's
// global Buffer: only the helper and the engine load this, never the renderer.
//
// Every length is checked against what is left: a message or attribute that
// claims more bytes than remain, or fewer than its own header, ends the walk
// there instead of reading past the buffer.

export class RtnetlinkError extends Error {}

export const NLMSG_HDR = 16;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLM_F_REQUEST = 0x1;
export const NLM_F_DUMP = 0x300;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const RTM = {
  newLink: 16, delLink: 17, getLink: 18, newAddr: 20, delAddr: 21, getAddr: 22,
  newRoute: 24, delRoute: 25, getRoute: 26, newNeigh: 28, getNeigh: 30,
} as const;
/** rtattr type bits; the top two are NLA_F_NESTED and NLA_F_NET_BYTEORDER. */
export const NLA_TYPE_MASK = 0x3fff;

export const align4 = (n: number): number => (n + 3) & ~3;

/** A zeroed message of `bodyLen` bytes after its nlmsghdr, the header written.
 *  ArrayBuffer memory of its own: a stable address for write(). */
export function message(type: number, flags: number, seq: number, bodyLen: number): Buffer {
  const b = Buffer.from(new ArrayBuffer(NLMSG_HDR + bodyLen));
  b.writeUInt32LE(b.length, 0);
  b.writeUInt16LE(type, 4);
  b.writeUInt16LE(flags, 6);
  b.writeUInt32LE(seq >>> 0, 8);
  return b;
}

/** The bytes an rtattr holding `valueLen` bytes takes, padding included. */
export const attrSize = (valueLen: number): number => 4 + align4(valueLen);

/** Writes an rtattr at `off`; returns the offset after its padding. */
export function putAttr(b: Buffer, off: number, type: number, value: Uint8Array): number {
  b.writeUInt16LE(4 + value.length, off);
  b.writeUInt16LE(type, off + 2);
  b.set(value, off + 4);
  return off + attrSize(value.length);
}

export interface NlMessage { type: number; seq: number; payload: Buffer }
/** What a walk read, and why it stopped early (null when it read everything). */
export interface Walk<T> { items: T[]; error: string | null }

/** The messages in b[0, len), in order, up to the first malformed one. */
export function walkMessages(b: Buffer, len = b.length): Walk<NlMessage> {
  const items: NlMessage[] = [];
  const end = Math.min(len, b.length);
  for (let off = 0; off + NLMSG_HDR <= end;) {
    const msgLen = b.readUInt32LE(off);
    if (msgLen < NLMSG_HDR || off + msgLen > end) return { items, error: `a netlink message claims ${msgLen} bytes with ${end - off} left` };
    items.push({ type: b.readUInt16LE(off + 4), seq: b.readUInt32LE(off + 8), payload: b.subarray(off + NLMSG_HDR, off + msgLen) });
    off += align4(msgLen);
  }
  return { items, error: null };
}

/** Splits one datagram into messages; a malformed one throws RtnetlinkError. */
export function splitMessages(b: Buffer, len = b.length): NlMessage[] {
  const walk = walkMessages(b, len);
  if (walk.error !== null) throw new RtnetlinkError(walk.error);
  return walk.items;
}

/** NLMSG_ERROR's errno (negative in the message), 0 for an ack; null when truncated. */
export function errnoOf(m: NlMessage): number | null {
  return m.payload.length < 4 ? null : -m.payload.readInt32LE(0);
}

export interface Attr { type: number; value: Buffer }

/** The rtattrs after a fixed header of `skip` bytes, in order, up to the first malformed one. */
export function walkAttributes(payload: Buffer, skip: number): Walk<Attr> {
  if (payload.length < skip) return { items: [], error: 'a netlink message shorter than its header' };
  const items: Attr[] = [];
  for (let off = skip; off + 4 <= payload.length;) {
    const len = payload.readUInt16LE(off);
    if (len < 4 || off + len > payload.length) return { items, error: `an rtattr claims ${len} bytes with ${payload.length - off} left` };
    items.push({ type: payload.readUInt16LE(off + 2), value: payload.subarray(off + 4, off + len) });
    off += align4(len);
  }
  return { items, error: null };
}

/** `v` as 4 little-endian bytes (a u32 attribute's value). */
export function u32Bytes(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
}

/** A u32 attribute's value; null when absent or too short. */
export function readU32(b: Uint8Array | undefined | null): number | null {
  return b && b.length >= 4 ? new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true) : null;
}
