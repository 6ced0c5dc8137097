// The QR reader's thread: decodes each picture main posts and answers with
// the codes' bytes. A thread keeps main's event loop free while a large page
// decodes (half a second at 36 megapixels), and its WebAssembly memory, which
// never shrinks, goes away with it when the import is done.
import { parentPort } from 'node:worker_threads';
import { decodeQrCodes, type QrRead } from './qr-image.js';

export type QrReply = { readonly id: number } & ({ readonly read: QrRead } | { readonly error: string });

parentPort?.on('message', (m: { id: number; image: Uint8Array }) => {
  decodeQrCodes(m.image).then(
    (read) => parentPort?.postMessage({ id: m.id, read } satisfies QrReply),
    (e: unknown) => parentPort?.postMessage({ id: m.id, error: String(e) } satisfies QrReply),
  );
});
