// Helpers shared by the UAPI tests: temporary socket paths, raw socket
// exchanges for hostile input, and keys.

import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKeyBytes } from '../../../../shared/config/keys.js';
import { x25519PublicKey } from '../../../../tunnel-helper/src/engine/x25519-node.js';

/** A fresh directory for sockets; `cleanup` removes it. */
export function tempSocketDir(): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wd-uapi-'));
  return { dir, path: (name) => join(dir, `${name}.sock`), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RawResult {
  /** Everything the server sent, as latin1. */
  reply: string;
  /** Whether the server closed the connection before `waitMs` ran out. */
  closed: boolean;
}

/** How long to wait for a close the server owes us: ends early when it comes. */
export const CLOSE_WAIT_MS = 5000;

/**
 * Writes `data` (all at once, or chunk by chunk) and collects what comes back
 * until the server closes or nothing more arrives for `waitMs`.
 */
export function rawExchange(path: string, data: string | Buffer | Array<string | Buffer>, waitMs = 1000): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const sock = connect(path);
    const parts: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = (closed: boolean): void => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ reply: Buffer.concat(parts).toString('latin1'), closed });
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => done(false), waitMs);
    };
    sock.on('connect', () => {
      for (const d of Array.isArray(data) ? data : [data]) sock.write(d);
      arm();
    });
    sock.on('data', (d: Buffer) => {
      parts.push(d);
      arm();
    });
    sock.on('end', () => done(true));
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET') done(true);
      else reject(err);
    });
  });
}

/**
 * A random X25519 key pair as raw bytes and wg's base64. Not through
 * generateKeyPairSync: Node 20 can deadlock exporting a generated key when a
 * GC finalizes its generation job meanwhile (it hung a CI run).
 */
export function newKeyPair(): { privateKey: Uint8Array; publicKey: Uint8Array; privateB64: string; publicB64: string } {
  const d = generatePrivateKeyBytes();
  const x = x25519PublicKey(d);
  return { privateKey: d, publicKey: x, privateB64: Buffer.from(d).toString('base64'), publicB64: Buffer.from(x).toString('base64') };
}

/** A key whose every byte is `byte`, as 64 hex digits. */
export function hexKey(byte: number): string {
  return byte.toString(16).padStart(2, '0').repeat(32);
}

export function keyOf(byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte);
}
