// One client connection of the control server, hardened against a hostile
// or broken peer. Every bad input gets an error reply or closes this one
// connection; nothing here can stop the helper or starve other clients.
//
//   bytes --> FrameDecoder --> request queue (bounded) --> handler (bounded in flight)
//                  |                  | full: "busy" reply        |
//                  | oversize: reply + close                      v
//                  | not JSON: reply, go on           reply frame --> socket
//                                                      (write buffer bounded: a client
//                                                       that never reads is dropped)
// While the queue holds work, the socket is paused, so a flood backs up in
// the client's kernel buffers instead of our memory. A frame must arrive
// whole within `frameTimeoutMs` of its first byte (no slowloris).
import type { Socket } from 'node:net';
import { FrameDecoder, encodeFrame, type DecodedFrame } from '../../../../shared/control/frame.js';
import { ProtocolError, RequestError, parseRequest, type ErrorBody, type MethodName } from '../../../../shared/control/protocol.js';
import { systemClock, type Clock } from '../../../../shared/clock.js';

export interface ConnectionLimits {
  maxInFlight: number;
  maxQueued: number;
  maxWriteBuffer: number;
  frameTimeoutMs: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = {
  maxInFlight: 8,
  maxQueued: 64,
  maxWriteBuffer: 8 * 1024 * 1024,
  frameTimeoutMs: 10_000,
};

export type Dispatch = (method: MethodName, params: unknown) => Promise<unknown>;

interface Queued {
  id: number;
  method: MethodName;
  params: unknown;
}

export class ControlConnection {
  private decoder = new FrameDecoder();
  private queue: Queued[] = [];
  private inFlight = 0;
  private cancelFrameTimer: (() => void) | null = null;
  private closed = false;
  /** Set once nothing more will be read: answer what is queued, then say `lastWord` and close. */
  private finishing = false;
  private lastWord: ErrorBody | null = null;
  private flushed = false;

  constructor(
    private readonly socket: Socket,
    private readonly dispatch: Dispatch,
    private readonly limits: ConnectionLimits = DEFAULT_LIMITS,
    private readonly onClose: () => void = () => {},
    /** Times the frame deadline; tests pass one they move by hand. */
    private readonly clock: Clock = systemClock,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.destroy());
    socket.on('end', () => this.finish(null)); // the client half-closed: answer, then close
  }

  get isOpen(): boolean {
    return !this.closed && !this.finishing;
  }

  /** Sends an already encoded frame (an event, encoded once for all clients). */
  send(frame: Uint8Array): void {
    if (!this.finishing) this.write(frame);
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopFrameTimer();
    this.queue = [];
    this.socket.destroy();
    this.onClose();
  }

  private onData(chunk: Buffer): void {
    if (this.closed || this.finishing) return;
    const frames = this.decoder.push(chunk);
    // Bytes left after a completed frame start the next one: its deadline starts now.
    if (frames.length > 0) this.stopFrameTimer();
    for (const frame of frames) this.onFrame(frame);
    if (!this.finishing) this.armFrameTimer();
    this.pump();
  }

  private armFrameTimer(): void {
    if (this.decoder.pending === 0) {
      this.stopFrameTimer();
    } else if (!this.cancelFrameTimer) {
      this.cancelFrameTimer = this.clock.setTimer(() => {
        this.finish({ code: 'bad-frame', message: `An incomplete frame waited more than ${this.limits.frameTimeoutMs} ms; closing.` });
      }, this.limits.frameTimeoutMs);
    }
  }

  private stopFrameTimer(): void {
    this.cancelFrameTimer?.();
    this.cancelFrameTimer = null;
  }

  private onFrame(frame: DecodedFrame): void {
    if (!frame.ok) {
      // After a fatal frame the stream is out of step: read nothing more (the decoder stops too).
      if (frame.fatal) this.finish({ code: 'bad-frame', message: frame.error });
      else this.replyError(null, { code: 'bad-frame', message: frame.error });
      return;
    }
    let req: Queued;
    try {
      req = parseRequest(frame.message);
    } catch (e) {
      const err = e as RequestError;
      this.replyError(err.id ?? null, { code: err.code, message: err.message });
      return;
    }
    if (this.queue.length >= this.limits.maxQueued) {
      this.replyError(req.id, { code: 'busy', message: `Too many requests at once on this connection (${this.limits.maxQueued} queued); wait for replies.` });
      return;
    }
    this.queue.push(req);
  }

  /** Starts queued requests up to the in-flight limit; reading pauses while work is queued. */
  private pump(): void {
    while (!this.closed && this.inFlight < this.limits.maxInFlight && this.queue.length > 0) {
      const req = this.queue.shift()!;
      this.inFlight++;
      this.dispatch(req.method, req.params).then(
        (result) => this.reply({ id: req.id, result }),
        (e: unknown) => this.replyError(req.id, toErrorBody(e)),
      ).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
    if (this.closed) return;
    if (this.finishing) this.closeWhenDone();
    else if (this.queue.length > 0 || this.inFlight >= this.limits.maxInFlight) this.socket.pause();
    else this.socket.resume();
  }

  /** Stops reading; what was already asked still gets its answer, then `lastWord`, then close. */
  private finish(lastWord: ErrorBody | null): void {
    if (this.finishing || this.closed) return;
    this.finishing = true;
    this.lastWord = lastWord;
    this.stopFrameTimer();
    this.socket.pause();
    setTimeout(() => this.destroy(), 30_000).unref(); // handlers that hang cannot keep it open
    this.pump();
  }

  private closeWhenDone(): void {
    if (this.flushed || this.inFlight > 0 || this.queue.length > 0) return;
    this.flushed = true;
    if (this.lastWord) this.replyError(null, this.lastWord);
    this.socket.end(() => this.destroy());
    setTimeout(() => this.destroy(), 2000).unref();
  }

  private replyError(id: number | null, error: ErrorBody): void {
    this.reply({ id, error });
  }

  /** Encodes and sends a reply; one too large for a frame becomes an error reply instead. */
  private reply(message: { id: number | null; result: unknown } | { id: number | null; error: ErrorBody }): void {
    let frame: Uint8Array;
    try {
      frame = encodeFrame(message);
    } catch {
      frame = encodeFrame({ id: message.id, error: { code: 'internal', message: 'The reply would exceed the 1 MiB frame limit; ask for less (e.g. a smaller logs limit).' } });
    }
    this.write(frame);
  }

  private write(frame: Uint8Array): void {
    if (this.closed || this.socket.destroyed || !this.socket.writable) return;
    if (this.socket.writableLength + frame.length > this.limits.maxWriteBuffer) {
      this.destroy(); // it does not read its replies or events
      return;
    }
    this.socket.write(frame);
  }
}

/** The reply body for a failed call; unexpected errors say only that much. */
export function toErrorBody(e: unknown): ErrorBody {
  if (e instanceof ProtocolError) {
    return { code: e.code, message: e.message, ...(e.diagnostics ? { diagnostics: e.diagnostics } : {}) };
  }
  return { code: 'internal', message: `Internal error: ${String((e as Error)?.message ?? e).slice(0, 2000)}` };
}
