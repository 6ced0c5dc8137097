import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder, MAX_FRAME_BYTES, decodeFrame, encodeFrame } from '../../../../shared/control/frame.js';

const header = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, false);
  return b;
};
const raw = (text: string): Uint8Array => {
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(4 + body.length);
  out.set(header(body.length));
  out.set(body, 4);
  return out;
};

describe('frames: u32 big-endian length + UTF-8 JSON', () => {
  it('encodes the length big-endian in front of the JSON', () => {
    const f = encodeFrame({ id: 1, method: 'hello' });
    const json = '{"id":1,"method":"hello"}';
    assert.equal(new DataView(f.buffer).getUint32(0, false), json.length);
    assert.equal(new TextDecoder().decode(f.subarray(4)), json);
  });

  it('round-trips through decodeFrame, and asks for more when a frame is incomplete', () => {
    const msg = { id: 7, method: 'up', params: { name: 'wg0', configText: 'ü ✓ 日本' } };
    const f = encodeFrame(msg);
    assert.equal(decodeFrame(f.subarray(0, 3)), null);
    assert.equal(decodeFrame(f.subarray(0, f.length - 1)), null);
    const d = decodeFrame(f);
    assert.deepEqual(d, { frame: { ok: true, message: msg }, used: f.length });
  });

  it('refuses to encode a message over the 1 MiB limit', () => {
    assert.throws(() => encodeFrame({ s: 'x'.repeat(MAX_FRAME_BYTES) }), RangeError);
  });

  it('decodes a stream split at every byte, and several frames in one chunk', () => {
    const msgs = [{ a: 1 }, { b: 'two' }, [3], 'four', null];
    const stream = Buffer.concat(msgs.map((m) => encodeFrame(m)));
    const dec = new FrameDecoder();
    const got: unknown[] = [];
    for (const byte of stream) for (const f of dec.push(Uint8Array.of(byte))) got.push(f.ok ? f.message : f);
    assert.deepEqual(got, msgs);
    assert.equal(dec.pending, 0);
    const all = new FrameDecoder().push(stream);
    assert.deepEqual(all.map((f) => (f.ok ? f.message : f)), msgs);
  });

  it('rejects an oversize length at once, fatally, without buffering the body', () => {
    const dec = new FrameDecoder();
    const out = dec.push(header(MAX_FRAME_BYTES + 1));
    assert.equal(out.length, 1);
    assert.deepEqual(out[0], { ok: false, fatal: true, error: `Frame of ${MAX_FRAME_BYTES + 1} bytes exceeds the ${MAX_FRAME_BYTES}-byte limit.` });
    assert.equal(dec.pending, 0);
    assert.deepEqual(dec.push(encodeFrame({ after: true })), [], 'a decoder that failed stays failed (the stream is out of sync)');
    assert.equal(decodeFrame(header(0xffffffff))?.frame.ok, false);
  });

  it('accepts a frame of exactly 1 MiB', () => {
    const body = `"${'a'.repeat(MAX_FRAME_BYTES - 2)}"`;
    const out = new FrameDecoder().push(raw(body));
    assert.equal(out.length, 1);
    assert.equal(out[0]!.ok, true);
  });

  it('reports non-JSON and invalid UTF-8 without losing the frames after them', () => {
    const bad = raw('{not json');
    const empty = header(0);
    const latin = Uint8Array.of(...header(2), 0xc3, 0x28);
    const dec = new FrameDecoder();
    const out = dec.push(Buffer.concat([bad, empty, latin, encodeFrame({ ok: 1 })]));
    assert.equal(out.length, 4);
    assert.deepEqual(out.slice(0, 3).map((f) => (f.ok ? 'ok' : `${f.fatal}:${f.error}`)), [
      'false:The frame is not valid JSON (9 bytes).', 'false:The frame is not valid JSON (0 bytes).', 'false:The frame is not valid UTF-8.',
    ]);
    assert.deepEqual(out[3], { ok: true, message: { ok: 1 } });
  });
});
