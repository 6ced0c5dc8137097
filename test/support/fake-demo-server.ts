// A stand-in WireGuard demo server on 127.0.0.1 for tests without root: it
// reads one line (the client's public key) and answers what the test says.
// The real server (wireguard-tools' contrib server.sh) runs in
// test/interop/demo.
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * What to send back for a received line: text to write before closing, the
 * same in pieces written one after another, or 'silent' to hold the
 * connection open.
 */
export type FakeAnswer = string | readonly string[] | 'silent';

async function writePieces(socket: Socket, pieces: readonly string[]): Promise<void> {
  for (const piece of pieces) {
    socket.write(piece);
    // Let each piece leave as its own segment, so the client sees a split reply.
    await new Promise((r) => setTimeout(r, 20));
  }
  socket.end();
}

export interface FakeDemoServer {
  readonly port: number;
  /** Every line received, without its newline. */
  readonly received: string[];
  close(): Promise<void>;
}

export async function startFakeDemoServer(answer: (line: string) => FakeAnswer): Promise<FakeDemoServer> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      const line = buffered.slice(0, newline);
      buffered = '';
      received.push(line);
      const reply = answer(line);
      if (typeof reply !== 'string') void writePieces(socket, reply);
      else if (reply !== 'silent') socket.end(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A port on 127.0.0.1 where nothing listens: bound and released again. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
