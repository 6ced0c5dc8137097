// Just enough of the DNS wire format (RFC 1035 section 4) for a forwarder that
// routes by query name: the header's id and flags and the first question's
// name. Bounds-checked everywhere: a malformed message gives null, never a
// throw, so the caller drops it.

export const DNS_HEADER_LENGTH = 12;
/** Longest name in presentation form (RFC 1035 2.3.4: 255 octets on the wire). */
const MAX_NAME_WIRE = 255;

export interface QueryInfo {
  id: number;
  /** The first question's name, lowercase, no trailing dot ('' for the root). */
  name: string;
}

/** A query (QR = 0, one question or more) and its first name, or null. */
export function parseQuery(msg: Uint8Array): QueryInfo | null {
  if (msg.length < DNS_HEADER_LENGTH) return null;
  if ((msg[2]! & 0x80) !== 0) return null; // a response, not a query
  const qdcount = (msg[4]! << 8) | msg[5]!;
  if (qdcount < 1) return null;
  const name = readName(msg, DNS_HEADER_LENGTH);
  if (name === null || name.end + 4 > msg.length) return null; // QTYPE and QCLASS must follow
  return { id: messageId(msg), name: name.text };
}

export function messageId(msg: Uint8Array): number {
  return (msg[0]! << 8) | msg[1]!;
}

export function isResponse(msg: Uint8Array): boolean {
  return msg.length >= DNS_HEADER_LENGTH && (msg[2]! & 0x80) !== 0;
}

/** A copy of `msg` with another id. */
export function withId(msg: Uint8Array, id: number): Uint8Array {
  const out = Uint8Array.from(msg);
  out[0] = (id >> 8) & 0xff;
  out[1] = id & 0xff;
  return out;
}

/**
 * Reads a name at `offset`. Compression pointers are followed only backwards
 * (each must point before the one that led to it), so a loop cannot hang us.
 * `end` is where the name ends at its first position.
 */
export function readName(msg: Uint8Array, offset: number): { text: string; end: number } | null {
  const labels: string[] = [];
  let pos = offset;
  let end = -1;
  let wire = 1;
  let limit = offset; // a pointer must go strictly below this
  for (;;) {
    if (pos >= msg.length) return null;
    const len = msg[pos]!;
    if (len === 0) {
      if (end < 0) end = pos + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= msg.length) return null;
      const target = ((len & 0x3f) << 8) | msg[pos + 1]!;
      if (target >= limit) return null;
      if (end < 0) end = pos + 2;
      limit = target;
      pos = target;
      continue;
    }
    if ((len & 0xc0) !== 0) return null; // 0x40 and 0x80 label types are obsolete
    if (pos + 1 + len > msg.length) return null;
    wire += len + 1;
    if (wire > MAX_NAME_WIRE) return null;
    let label = '';
    for (let i = pos + 1; i <= pos + len; i++) {
      const c = msg[i]!;
      // Letters are folded (names compare case-insensitively); other bytes are kept as escapes so they never match a domain by accident.
      label += c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 32)
        : c > 0x20 && c < 0x7f && c !== 0x2e && c !== 0x5c ? String.fromCharCode(c) : `\\${c.toString().padStart(3, '0')}`;
    }
    labels.push(label);
    pos += 1 + len;
  }
  return { text: labels.join('.'), end };
}

/** The 2-byte length prefix of DNS over TCP (RFC 1035 4.2.2). */
export function tcpFrame(msg: Uint8Array): Uint8Array {
  const out = new Uint8Array(msg.length + 2);
  out[0] = (msg.length >> 8) & 0xff;
  out[1] = msg.length & 0xff;
  out.set(msg, 2);
  return out;
}
