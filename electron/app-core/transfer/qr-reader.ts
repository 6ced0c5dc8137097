// Main's side of the QR reader's thread (qr-worker.ts): one thread per
// import, closed when the import is done. A thread that dies (out of memory
// on a hostile picture) rejects what is pending; the import reports that
// picture as unreadable and goes on.
import { Worker } from 'node:worker_threads';
import type { QrRead } from './qr-image.js';
import type { QrReply } from './qr-worker.js';

export interface QrReader {
  read(image: Uint8Array): Promise<QrRead>;
  close(): Promise<void>;
}

export function openQrReader(): QrReader {
  let worker: Worker | null = null;
  let next = 0;
  const pending = new Map<number, { resolve: (r: QrRead) => void; reject: (e: Error) => void }>();
  const failAll = (e: Error) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    worker = null;
  };
  const start = (): Worker => {
    const w = new Worker(new URL('./qr-worker.js', import.meta.url));
    w.on('message', (m: QrReply) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if ('read' in m) p?.resolve(m.read);
      else p?.reject(new Error(m.error));
    });
    w.on('error', (e) => failAll(e));
    w.on('exit', (code) => failAll(new Error(`the QR reader stopped (exit code ${code})`)));
    return w;
  };
  return {
    read(image) {
      worker ??= start();
      const id = next++;
      const w = worker;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ id, image });
      });
    },
    async close() {
      const w = worker;
      worker = null;
      await w?.terminate();
    },
  };
}
