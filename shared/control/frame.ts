// Framing of the control protocol: a u32 big-endian length, then that many
// bytes of UTF-8 JSON. Pure (Uint8Array, no node:*), so the same codec runs
// in the helper, the Electron main process and tests; the RPC layer above it
// never sees bytes.
//
// The decoder reads the length first and refuses a frame over
// MAX_FRAME_BYTES before buffering any of it, so a hostile length costs
// nothing. After an oversize length the stream cannot be resynchronised, so
// that error is fatal (close the connection); a frame that is the right size
// but not JSON is not fatal (answer it and go on).

export const MAX_FRAME_BYTES = 1024 * 1024;
const HEADER = 4;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export type DecodedFrame =
  | { ok: true; message: unknown }
  | { ok: false; fatal: boolean; error: string };

/** One frame for `message`. Throws RangeError if its JSON exceeds MAX_FRAME_BYTES. */
export function encodeFrame(message: unknown): Uint8Array {
  const body = encoder.encode(JSON.stringify(message));
  if (body.length > MAX_FRAME_BYTES) throw new RangeError(`message of ${body.length} bytes exceeds the ${MAX_FRAME_BYTES}-byte frame limit`);
  const out = new Uint8Array(HEADER + body.length);
  new DataView(out.buffer).setUint32(0, body.length, false);
  out.set(body, HEADER);
  return out;
}

/** Parses a frame body: UTF-8, then JSON. */
function parseBody(body: Uint8Array): DecodedFrame {
  let text: string;
  try {
    text = decoder.decode(body);
  } catch {
    return { ok: false, fatal: false, error: 'The frame is not valid UTF-8.' };
  }
  try {
    return { ok: true, message: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, fatal: false, error: `The frame is not valid JSON (${body.length} bytes).` };
  }
}

/**
 * Decodes exactly one frame from the start of `bytes`. Returns null when more
 * bytes are needed, else the frame and how many bytes it used.
 */
export function decodeFrame(bytes: Uint8Array, maxFrame = MAX_FRAME_BYTES): { frame: DecodedFrame; used: number } | null {
  if (bytes.length < HEADER) return null;
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, false);
  if (length > maxFrame) {
    return { frame: { ok: false, fatal: true, error: `Frame of ${length} bytes exceeds the ${maxFrame}-byte limit.` }, used: bytes.length };
  }
  if (bytes.length < HEADER + length) return null;
  return { frame: parseBody(bytes.subarray(HEADER, HEADER + length)), used: HEADER + length };
}

/** Streaming decoder: push chunks as they arrive, get whole frames back. */
export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private size = 0;
  private failed = false;

  constructor(private readonly maxFrame = MAX_FRAME_BYTES) {}

  /** Bytes held for an incomplete frame (0 when idle between frames). */
  get pending(): number {
    return this.size;
  }

  push(chunk: Uint8Array): DecodedFrame[] {
    if (this.failed) return [];
    this.chunks.push(chunk);
    this.size += chunk.length;
    const out: DecodedFrame[] = [];
    for (;;) {
      if (this.size < HEADER) break;
      const head = this.peekHeader();
      if (head > this.maxFrame) {
        this.failed = true;
        this.chunks = [];
        this.size = 0;
        out.push({ ok: false, fatal: true, error: `Frame of ${head} bytes exceeds the ${this.maxFrame}-byte limit.` });
        break;
      }
      if (this.size < HEADER + head) break;
      const frame = this.take(HEADER + head);
      out.push(parseBody(frame.subarray(HEADER)));
    }
    return out;
  }

  private peekHeader(): number {
    const first = this.chunks[0]!;
    const head = first.length >= HEADER ? first : this.flatten(HEADER);
    return new DataView(head.buffer, head.byteOffset, HEADER).getUint32(0, false);
  }

  /** The first n bytes as one array (joins chunks only as far as needed). */
  private flatten(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let at = 0;
    for (const c of this.chunks) {
      if (at >= n) break;
      const part = c.subarray(0, Math.min(c.length, n - at));
      out.set(part, at);
      at += part.length;
    }
    return out;
  }

  private take(n: number): Uint8Array {
    const first = this.chunks[0]!;
    let out: Uint8Array;
    if (first.length >= n) out = first.subarray(0, n);
    else out = this.flatten(n);
    // Drop n bytes from the front.
    let left = n;
    while (left > 0) {
      const c = this.chunks[0]!;
      if (c.length <= left) {
        this.chunks.shift();
        left -= c.length;
      } else {
        this.chunks[0] = c.subarray(left);
        left = 0;
      }
    }
    this.size -= n;
    return out;
  }
}
