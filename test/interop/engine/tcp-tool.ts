// A TCP bulk sender and a hashing receiver that the engine interop tests run
// inside namespaces, to prove that data crossing the tunnel arrives intact.
//
//   sink HOST PORT
//       Prints `ready` once listening; after one connection ends prints
//       {"bytes":N,"sha256":"..."} and exits.
//   source HOST PORT MEGABYTES
//       Sends that many MiB of random bytes, then prints the same JSON.
import { createHash, randomBytes } from 'node:crypto';
import { createConnection, createServer } from 'node:net';

function sink(host: string, port: number): void {
  const server = createServer((conn) => {
    const hash = createHash('sha256');
    let bytes = 0;
    conn.on('data', (d: Buffer) => {
      bytes += d.length;
      hash.update(d);
    });
    conn.on('end', () => {
      process.stdout.write(`${JSON.stringify({ bytes, sha256: hash.digest('hex') })}\n`);
      conn.end();
      server.close();
    });
  });
  server.listen(port, host, () => process.stdout.write('ready\n'));
}

function source(host: string, port: number, megabytes: number): void {
  const hash = createHash('sha256');
  let bytes = 0;
  let left = megabytes;
  const conn = createConnection({ host, port }, () => {
    const pump = (): void => {
      while (left > 0) {
        const chunk = randomBytes(1 << 20);
        hash.update(chunk);
        bytes += chunk.length;
        left--;
        if (!conn.write(chunk)) {
          conn.once('drain', pump);
          return;
        }
      }
      conn.end();
    };
    pump();
  });
  conn.on('close', () => process.stdout.write(`${JSON.stringify({ bytes, sha256: hash.digest('hex') })}\n`));
  conn.on('error', (e) => {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = 1;
  });
}

const [cmd, host, port, arg] = process.argv.slice(2);
if (cmd === 'sink' && host && port) sink(host, Number(port));
else if (cmd === 'source' && host && port && arg) source(host, Number(port), Number(arg));
else {
  process.stderr.write('usage: tcp-tool sink HOST PORT | source HOST PORT MEGABYTES\n');
  process.exitCode = 2;
}
