// Run inside a test namespace (`ip netns exec NS node leak-probe.js JSON`):
// tries to reach the given places the ways an application would, and prints
// one JSON line saying what came back. What went on the wire is the test's
// capture's business; this only makes the traffic.
//   { "dns": [{ "server": "10.201.0.1", "name": "example.org" }],   A query over UDP to that server
//     "tcp": [{ "host": "10.201.0.1", "port": 53 }],                 a TCP connect
//     "udp": [{ "host": "fd77::1", "port": 9999 }] }                  one datagram
import { createSocket } from 'node:dgram';
import { promises as dns } from 'node:dns';
import { isIPv6, connect } from 'node:net';

interface Probe {
  dns?: { server: string; name: string }[];
  tcp?: { host: string; port: number }[];
  udp?: { host: string; port: number }[];
}

/** How long a probe that gets no answer waits before it counts as unanswered (only shapes the result, never the verdict). */
const GIVE_UP_MS = 1500;

async function lookup(server: string, name: string): Promise<string> {
  const resolver = new dns.Resolver({ timeout: GIVE_UP_MS, tries: 1 });
  resolver.setServers([isIPv6(server) ? `[${server}]:53` : server]);
  try {
    return `answer ${(await resolver.resolve4(name)).join(',')}`;
  } catch (e) {
    return `error ${(e as NodeJS.ErrnoException).code ?? String(e)}`;
  }
}

function tcp(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.setTimeout(GIVE_UP_MS, () => { s.destroy(); resolve('no answer'); });
    s.on('connect', () => { s.destroy(); resolve('connected'); });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code ?? e.message}`));
  });
}

function udp(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    s.on('error', (e: NodeJS.ErrnoException) => { s.close(); resolve(`error ${e.code ?? e.message}`); });
    s.send('wiredesk leak probe', port, host, (e) => {
      s.close();
      resolve(e ? `error ${(e as NodeJS.ErrnoException).code ?? e.message}` : 'sent');
    });
  });
}

const probe = JSON.parse(process.argv[2] ?? '{}') as Probe;
const result = {
  dns: await Promise.all((probe.dns ?? []).map(async (d) => ({ ...d, result: await lookup(d.server, d.name) }))),
  tcp: await Promise.all((probe.tcp ?? []).map(async (d) => ({ ...d, result: await tcp(d.host, d.port) }))),
  udp: await Promise.all((probe.udp ?? []).map(async (d) => ({ ...d, result: await udp(d.host, d.port) }))),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
