// The D-Bus wire format (the "D-Bus Specification", Message Protocol):
//
//   header  endian 'l'|'B', type, flags, version 1, u32 body length, u32 serial,
//           a(yv) header fields, padded to 8
//   body    the values of the SIGNATURE header field, marshalled in order
//
// Every value is aligned to its type's size (structs and dict entries to 8);
// strings are u32 length + UTF-8 + NUL, signatures u8 length + ASCII + NUL.
// The reader is for bytes from the bus: every length is checked against what
// is left, nesting is bounded, and anything malformed throws DbusWireError.
// Unix fds (type h) are refused: the helper never asks for them.

export class DbusWireError extends Error {}

export const MESSAGE_TYPE = { call: 1, return: 2, error: 3, signal: 4 } as const;
export const FIELD = { path: 1, interface: 2, member: 3, errorName: 4, replySerial: 5, destination: 6, sender: 7, signature: 8 } as const;
/** Larger messages are refused; the helper reads logind and NetworkManager, whose messages are small. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
const MAX_DEPTH = 32;

export type DbusValue = string | number | bigint | boolean | DbusValue[] | Map<DbusValue, DbusValue> | { signature: string; value: DbusValue };

export interface DbusMessage {
  type: number;
  flags: number;
  serial: number;
  path?: string;
  interface?: string;
  member?: string;
  errorName?: string;
  replySerial?: number;
  destination?: string;
  sender?: string;
  signature: string;
  body: DbusValue[];
}

const ALIGN: Record<string, number> = { y: 1, b: 4, n: 2, q: 2, i: 4, u: 4, x: 8, t: 8, d: 8, s: 4, o: 4, g: 1, a: 4, '(': 8, '{': 8, v: 1 };

/** Splits a signature into complete types ("a{sv}s" -> ["a{sv}", "s"]). */
export function splitSignature(sig: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < sig.length) {
    const end = typeEnd(sig, i, 0);
    out.push(sig.slice(i, end));
    i = end;
  }
  return out;
}

function typeEnd(sig: string, i: number, depth: number): number {
  if (depth > MAX_DEPTH) throw new DbusWireError('signature nests too deeply');
  const c = sig[i];
  if (c === undefined) throw new DbusWireError(`incomplete signature "${sig}"`);
  if ('ybnqiuxtdsogv'.includes(c)) return i + 1;
  if (c === 'a') return typeEnd(sig, i + 1, depth + 1);
  if (c === '(' || c === '{') {
    const close = c === '(' ? ')' : '}';
    let j = i + 1;
    while (sig[j] !== close) {
      if (j >= sig.length) throw new DbusWireError(`unclosed ${c} in signature "${sig}"`);
      j = typeEnd(sig, j, depth + 1);
    }
    return j + 1;
  }
  throw new DbusWireError(`unsupported type "${c}" in signature "${sig}"`);
}

export class DbusReader {
  constructor(private readonly buf: Buffer, private pos: number, private readonly little: boolean) {}

  get offset(): number {
    return this.pos;
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.buf.length) throw new DbusWireError('message ends inside a value');
  }

  align(n: number): void {
    const pad = (n - (this.pos % n)) % n;
    this.need(pad);
    this.pos += pad;
  }

  read(type: string, depth = 0): DbusValue {
    if (depth > MAX_DEPTH) throw new DbusWireError('value nests too deeply');
    const c = type[0]!;
    this.align(ALIGN[c] ?? 1);
    const b = this.buf;
    const le = this.little;
    const num = (n: number, f: (o: number) => number | bigint): number | bigint => { this.need(n); const v = f(this.pos); this.pos += n; return v; };
    switch (c) {
      case 'y': return num(1, (o) => b.readUInt8(o));
      case 'b': {
        const v = num(4, (o) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o)));
        if (v !== 0 && v !== 1) throw new DbusWireError('a boolean is neither 0 nor 1');
        return v === 1;
      }
      case 'n': return num(2, (o) => (le ? b.readInt16LE(o) : b.readInt16BE(o)));
      case 'q': return num(2, (o) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o)));
      case 'i': return num(4, (o) => (le ? b.readInt32LE(o) : b.readInt32BE(o)));
      case 'u': return num(4, (o) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o)));
      case 'x': return num(8, (o) => (le ? b.readBigInt64LE(o) : b.readBigInt64BE(o)));
      case 't': return num(8, (o) => (le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o)));
      case 'd': return num(8, (o) => (le ? b.readDoubleLE(o) : b.readDoubleBE(o)));
      case 's':
      case 'o': return this.string(Number(num(4, (o) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o)))));
      case 'g': return this.string(Number(num(1, (o) => b.readUInt8(o))));
      case 'v': {
        const sig = this.read('g') as string;
        const parts = splitSignature(sig);
        if (parts.length !== 1) throw new DbusWireError('a variant holds other than one type');
        return { signature: sig, value: this.read(sig, depth + 1) };
      }
      case 'a': return this.array(type.slice(1), depth);
      case '(': return splitSignature(type.slice(1, -1)).map((t) => this.read(t, depth + 1));
      default: throw new DbusWireError(`unsupported type "${c}"`);
    }
  }

  private string(len: number): string {
    this.need(len + 1);
    if (this.buf[this.pos + len] !== 0) throw new DbusWireError('a string is not NUL-terminated');
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len + 1;
    return s;
  }

  private array(elem: string, depth: number): DbusValue {
    const len = this.read('u') as number;
    if (len > 64 * 1024 * 1024) throw new DbusWireError('an array is longer than 64 MiB');
    this.align(ALIGN[elem[0]!] ?? 1);
    this.need(len);
    const end = this.pos + len;
    if (elem[0] === '{') {
      const [k, v] = splitSignature(elem.slice(1, -1));
      if (!k || !v) throw new DbusWireError('a dict entry needs a key and a value');
      const map = new Map<DbusValue, DbusValue>();
      while (this.pos < end) {
        this.align(8);
        map.set(this.read(k, depth + 1), this.read(v, depth + 1));
      }
      if (this.pos !== end) throw new DbusWireError('an array overruns its length');
      return map;
    }
    const out: DbusValue[] = [];
    while (this.pos < end) out.push(this.read(elem, depth + 1));
    if (this.pos !== end) throw new DbusWireError('an array overruns its length');
    return out;
  }
}

/** Little-endian writer, for the calls the helper makes. */
export class DbusWriter {
  private chunks: Buffer[] = [];
  private len = 0;

  constructor(private readonly base = 0) {}

  get length(): number {
    return this.len;
  }

  private push(b: Buffer): void {
    this.chunks.push(b);
    this.len += b.length;
  }

  align(n: number): void {
    const pad = (n - ((this.base + this.len) % n)) % n;
    if (pad) this.push(Buffer.alloc(pad));
  }

  write(type: string, v: DbusValue): void {
    const c = type[0]!;
    this.align(ALIGN[c] ?? 1);
    const b = Buffer.alloc(8);
    switch (c) {
      case 'y': b.writeUInt8(Number(v)); return this.push(b.subarray(0, 1));
      case 'b': b.writeUInt32LE(v ? 1 : 0); return this.push(b.subarray(0, 4));
      case 'i': b.writeInt32LE(Number(v)); return this.push(b.subarray(0, 4));
      case 'u': b.writeUInt32LE(Number(v)); return this.push(b.subarray(0, 4));
      case 's':
      case 'o': {
        const s = Buffer.from(String(v), 'utf8');
        b.writeUInt32LE(s.length);
        this.push(b.subarray(0, 4));
        return this.push(Buffer.concat([s, Buffer.alloc(1)]));
      }
      case 'g': {
        const s = Buffer.from(String(v), 'ascii');
        return this.push(Buffer.concat([Buffer.from([s.length]), s, Buffer.alloc(1)]));
      }
      case 'v': {
        const { signature, value } = v as { signature: string; value: DbusValue };
        this.write('g', signature);
        return this.write(signature, value);
      }
      case '(': {
        const types = splitSignature(type.slice(1, -1));
        types.forEach((t, i) => this.write(t, (v as DbusValue[])[i]!));
        return;
      }
      case 'a': {
        this.align(4);
        const lenAt = this.chunks.length;
        this.push(Buffer.alloc(4));
        this.align(ALIGN[type[1]!] ?? 1);
        const start = this.len;
        for (const item of v as DbusValue[]) this.write(type.slice(1), item);
        this.chunks[lenAt]!.writeUInt32LE(this.len - start);
        return;
      }
      default: throw new DbusWireError(`writing type "${c}" is not supported`);
    }
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** One method call, little-endian. */
export function encodeCall(serial: number, m: { destination: string; path: string; interface: string; member: string; signature?: string; body?: DbusValue[] }): Buffer {
  const body = new DbusWriter(0);
  const types = splitSignature(m.signature ?? '');
  types.forEach((t, i) => body.write(t, (m.body ?? [])[i]!));
  const bodyBuf = body.toBuffer();
  const fields: DbusValue[] = [
    [FIELD.path, { signature: 'o', value: m.path }],
    [FIELD.destination, { signature: 's', value: m.destination }],
    [FIELD.interface, { signature: 's', value: m.interface }],
    [FIELD.member, { signature: 's', value: m.member }],
    ...(m.signature ? [[FIELD.signature, { signature: 'g', value: m.signature }] as DbusValue] : []),
  ];
  const h = new DbusWriter(0);
  for (const [v, t] of [[0x6c, 'y'], [MESSAGE_TYPE.call, 'y'], [0, 'y'], [1, 'y'], [bodyBuf.length, 'u'], [serial, 'u']] as const) h.write(t, v);
  h.write('a(yv)', fields);
  h.align(8);
  return Buffer.concat([h.toBuffer(), bodyBuf]);
}

/** The size of the message at the start of `buf`, or null until its fixed header is there. */
export function messageLength(buf: Buffer): number | null {
  if (buf.length < 16) return null;
  const little = buf[0] === 0x6c;
  if (!little && buf[0] !== 0x42) throw new DbusWireError('bad endianness byte');
  if (buf[3] !== 1) throw new DbusWireError(`unsupported protocol version ${buf[3]}`);
  const bodyLen = little ? buf.readUInt32LE(4) : buf.readUInt32BE(4);
  const fieldsLen = little ? buf.readUInt32LE(12) : buf.readUInt32BE(12);
  const total = 16 + fieldsLen + ((8 - (fieldsLen % 8)) % 8) + bodyLen;
  if (total > MAX_MESSAGE_BYTES) throw new DbusWireError(`a message of ${total} bytes is larger than ${MAX_MESSAGE_BYTES}`);
  return total;
}

/** Decodes one whole message (its length from messageLength). */
export function decodeMessage(buf: Buffer): DbusMessage {
  const little = buf[0] === 0x6c;
  const r = new DbusReader(buf, 0, little);
  const [, type, flags] = [r.read('y'), r.read('y') as number, r.read('y') as number];
  r.read('y');
  const bodyLen = r.read('u') as number;
  const serial = r.read('u') as number;
  const m: DbusMessage = { type, flags, serial, signature: '', body: [] };
  for (const f of r.read('a(yv)') as [number, { value: DbusValue }][]) {
    const v = f[1].value;
    switch (f[0]) {
      case FIELD.path: m.path = String(v); break;
      case FIELD.interface: m.interface = String(v); break;
      case FIELD.member: m.member = String(v); break;
      case FIELD.errorName: m.errorName = String(v); break;
      case FIELD.replySerial: m.replySerial = Number(v); break;
      case FIELD.destination: m.destination = String(v); break;
      case FIELD.sender: m.sender = String(v); break;
      case FIELD.signature: m.signature = String(v); break;
      default: break; // unix fds and future fields: not used
    }
  }
  r.align(8);
  const bodyStart = r.offset;
  const body = new DbusReader(buf, bodyStart, little);
  for (const t of splitSignature(m.signature)) m.body.push(body.read(t));
  if (body.offset - bodyStart > bodyLen) throw new DbusWireError('the body is longer than its header says');
  return m;
}
