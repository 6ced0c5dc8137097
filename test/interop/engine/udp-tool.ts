// A small UDP sender and listener that the engine interop tests run inside a
// namespace (`ip netns exec NS node udp-tool.js ...`), since a socket stays
// in the namespace it was created in.
//
//   send HOST PORT FILE [BIND_ADDR [BIND_PORT]]
//       FILE holds datagrams, each a u32 big-endian length then the bytes.
//       Prints `sent N` when done.
//   flood HOST PORT FILE SECONDS RATE
//       Sends FILE's datagrams round and round at RATE per second for SECONDS
//       (or until SIGTERM). Prints `flooding` at the start, `cookies` once ten
//       cookie replies came back, and `sent N cookies M` at the end.
//   listen HOST PORT MS
//       Prints `ready` once bound, then after MS milliseconds one JSON line:
//       {"count":N,"sizes":[...],"first":"hex of the first datagram"}.
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';

function family(host: string): 'udp4' | 'udp6' {
  return isIPv6(host) ? 'udp6' : 'udp4';
}

async function send(host: string, port: number, file: string, bindAddr?: string, bindPort?: number): Promise<void> {
  const data = readFileSync(file);
  const sock = createSocket(family(host));
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind({ address: bindAddr, port: bindPort ?? 0 }, () => resolve());
  });
  let sent = 0;
  for (let off = 0; off + 4 <= data.length;) {
    const len = data.readUInt32BE(off);
    const datagram = data.subarray(off + 4, off + 4 + len);
    off += 4 + len;
    await new Promise<void>((resolve) => sock.send(datagram, port, host, (err) => {
      if (!err) sent++;
      resolve();
    }));
  }
  process.stdout.write(`sent ${sent}\n`);
  sock.close();
}

async function flood(host: string, port: number, file: string, seconds: number, rate: number): Promise<void> {
  const data = readFileSync(file);
  const datagrams: Buffer[] = [];
  for (let off = 0; off + 4 <= data.length;) {
    const len = data.readUInt32BE(off);
    datagrams.push(data.subarray(off + 4, off + 4 + len));
    off += 4 + len;
  }
  const sock = createSocket(family(host));
  let cookies = 0;
  sock.on('message', (msg) => {
    if (msg[0] === 3 && ++cookies === 10) process.stdout.write('cookies\n');
  });
  const perTick = Math.max(1, Math.round(rate / 100));
  let sent = 0;
  let i = 0;
  const timer = setInterval(() => {
    if (i === 0) process.stdout.write('flooding\n');
    for (let k = 0; k < perTick && datagrams.length > 0; k++) {
      sock.send(datagrams[i++ % datagrams.length]!, port, host, (err) => { if (!err) sent++; });
    }
  }, 10);
  await new Promise<void>((resolve) => {
    const end = setTimeout(resolve, seconds * 1000);
    process.once('SIGTERM', () => {
      clearTimeout(end);
      resolve();
    });
  });
  clearInterval(timer);
  process.stdout.write(`sent ${sent} cookies ${cookies}\n`);
  sock.close();
}

function listen(host: string, port: number, ms: number): void {
  const sock = createSocket(family(host));
  const sizes: number[] = [];
  let first = '';
  sock.on('message', (msg) => {
    if (sizes.length === 0) first = msg.toString('hex');
    sizes.push(msg.length);
  });
  sock.bind(port, host, () => {
    process.stdout.write('ready\n');
    setTimeout(() => {
      process.stdout.write(`${JSON.stringify({ count: sizes.length, sizes, first })}\n`);
      sock.close();
    }, ms);
  });
}

const [cmd, host, port, arg, bindAddr, bindPort] = process.argv.slice(2);
if (cmd === 'send' && host && port && arg) {
  await send(host, Number(port), arg, bindAddr, bindPort === undefined ? undefined : Number(bindPort));
} else if (cmd === 'flood' && host && port && arg && bindAddr && bindPort) {
  await flood(host, Number(port), arg, Number(bindAddr), Number(bindPort));
} else if (cmd === 'listen' && host && port && arg) {
  listen(host, Number(port), Number(arg));
} else {
  process.stderr.write('usage: udp-tool send HOST PORT FILE [BIND_ADDR [BIND_PORT]] | listen HOST PORT MS\n');
  process.exitCode = 2;
}
