// The loopback bridge of the e2e tier: the real app-core (everything the
// Electron main process runs, minus Electron) behind HTTP on 127.0.0.1.
//
//   GET  /t/<token>/             the renderer bundle, with bridge-preload.js first
//   GET  /t/<token>/events?client=<id>  main's events as Server-Sent Events,
//                                and the answers to that page's calls
//   POST /t/<token>/ipc/<call>   a schema call, JSON args in; its {id, ok,
//                                value|error} goes out on the caller's stream
//
// Answers share the events' stream because Electron delivers invoke replies
// and webContents.send events in one ordered pipe, and the renderer relies
// on it: an answer computed before an event must not arrive after it.
//
// Anything without the random token gets 403, and calls go through the same
// dispatcher (sender, channel and argument checks) as Electron's ipcMain.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { createAppCore, type AppCore } from '../../../electron/app-core/app-core.js';
import type { AppPorts } from '../../../electron/app-core/ports.js';
import { createDispatcher } from '../../../electron/ipc/dispatch.js';
import type { EmitEvent } from '../../../shared/ipc/schema.js';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.map': 'application/json' };
/** A 16 MiB QR code image, base64 in JSON, fits. */
const MAX_BODY = 32 * 1024 * 1024;

export interface Bridge {
  readonly url: string;
  readonly core: AppCore;
  close(): Promise<void>;
}

export interface BridgeOptions {
  readonly root: string;
  readonly ports: Omit<AppPorts, 'emit'>;
}

export async function startBridge(o: BridgeOptions): Promise<Bridge> {
  const token = randomBytes(24).toString('hex');
  const streams = new Map<string, ServerResponse>();
  const emit: EmitEvent = (event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const s of streams.values()) s.write(frame);
  };
  const core = createAppCore({ ...o.ports, emit });
  const statics: Record<string, string> = {
    'app.js': join(o.root, 'renderer/dist/app.js'),
    'app.css': join(o.root, 'renderer/dist/app.css'),
    'icon.png': join(o.root, 'renderer/dist/icon.png'),
    'bridge-preload.js': join(o.root, 'dist/test/e2e/bridge/bridge-preload.js'),
  };
  let dispatch: ReturnType<typeof createDispatcher> | null = null;

  const server: Server = createServer((req, res) => void handle(req, res).catch((e: Error) => send(res, 500, 'text/plain', e.message)));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const base = `/t/${token}/`;
    if (!url.pathname.startsWith(base)) return send(res, 403, 'text/plain', 'forbidden');
    const path = url.pathname.slice(base.length);
    if (req.method === 'GET' && (path === '' || path === 'index.html')) {
      const html = readFileSync(join(o.root, 'renderer/dist/index.html'), 'utf8').replace('<script src="./app.js">', '<script src="./bridge-preload.js"></script>\n  <script src="./app.js">');
      return send(res, 200, TYPES['.html']!, html);
    }
    if (req.method === 'GET' && path === 'events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': hello\n\n');
      const client = url.searchParams.get('client') ?? '';
      streams.set(client, res);
      req.on('close', () => streams.delete(client));
      return;
    }
    if (req.method === 'POST' && path.startsWith('ipc/')) {
      const stream = streams.get(String(req.headers['x-client']));
      const id = Number(req.headers['x-call']);
      if (!stream || !Number.isSafeInteger(id)) return send(res, 400, 'text/plain', 'no event stream for this call');
      const args: unknown = JSON.parse(await readBody(req));
      send(res, 202, 'text/plain', 'accepted');
      // The page's own URL stands in for Electron's senderFrame.url.
      const sender = { id: 1, frameUrl: req.headers.referer ?? '', isMainFrame: true };
      const answer = await dispatch!(path.slice(4), args, sender).then(
        (value) => ({ id, ok: true, value: value ?? null }),
        (e: Error) => ({ id, ok: false, error: e.message }),
      );
      stream.write(`event: answer\ndata: ${JSON.stringify(answer)}\n\n`);
      return;
    }
    const file = statics[path];
    if (req.method === 'GET' && file && existsSync(file)) return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file));
    return send(res, 404, 'text/plain', 'not found');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const prefix = `http://127.0.0.1:${port}/t/${token}/`;
  dispatch = createDispatcher(core.handlers, { ids: new Set([1]), appUrlPrefix: prefix }, (why) => console.error(`bridge: rejected ${why}`));
  return {
    url: prefix,
    core,
    close: () => new Promise<void>((resolve) => {
      for (const s of streams.values()) s.end();
      core.helper.current()?.close();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
