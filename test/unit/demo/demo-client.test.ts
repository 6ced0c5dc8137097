// The demo client over a real socket, against a stand-in server on
// 127.0.0.1: what it sends, and the failure each kind of trouble becomes.
import assert from 'node:assert/strict';
import type { LookupFunction } from 'node:net';
import { after, describe, it } from 'node:test';
import { decodeKey, lastEntry, parseConfig, publicKeyFromPrivate } from '../../../shared/config/index.js';
import { requestDemoTunnel, type DemoOutcome } from '../../../tunnel-helper/src/demo/demo-client.js';
import { closedPort, startFakeDemoServer, type FakeAnswer, type FakeDemoServer } from '../../support/fake-demo-server.js';

const SERVER_PK = Buffer.from('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f', 'hex').toString('base64');
const OK = `OK:${SERVER_PK}:12912:192.168.4.9\n`;

const servers: FakeDemoServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));
async function server(answer: (line: string) => FakeAnswer): Promise<FakeDemoServer> {
  const s = await startFakeDemoServer(answer);
  servers.push(s);
  return s;
}

function failure(outcome: DemoOutcome) {
  assert.equal(outcome.ok, false, 'the request should fail');
  return (outcome as Extract<DemoOutcome, { ok: false }>).failure;
}

describe('demo client', () => {
  it('sends a fresh public key on one line and builds the tunnel around its private key', async () => {
    const s = await server(() => OK);
    const outcome = await requestDemoTunnel(`127.0.0.1:${s.port}`);
    assert.ok(outcome.ok, JSON.stringify(outcome));
    assert.equal(s.received.length, 1);
    const sent = s.received[0]!;
    assert.ok(decodeKey(sent), `a 44-character base64 key was sent, not ${JSON.stringify(sent)}`);
    assert.equal(sent, outcome.publicKey);
    const conf = parseConfig(outcome.config);
    assert.equal(publicKeyFromPrivate(lastEntry(conf.interface, 'PrivateKey')!.value), sent, 'the config holds the private half of the key the server got');
    assert.equal(lastEntry(conf.interface, 'Address')?.value, '192.168.4.9/24');
    assert.equal(lastEntry(conf.peers[0], 'Endpoint')?.value, '127.0.0.1:12912', 'our host, the server\'s WireGuard port');

    const again = await requestDemoTunnel(`127.0.0.1:${s.port}`);
    assert.ok(again.ok);
    assert.notEqual(s.received[1], sent, 'every request has its own key');
  });

  it('accepts a reply in pieces, with CRLF, or closed without a newline', async () => {
    for (const reply of [['OK:', SERVER_PK.slice(0, 20), `${SERVER_PK.slice(20)}:129`, '12:192.168.4.9\n'], OK.replace('\n', '\r\n'), OK.trimEnd()]) {
      const s = await server(() => reply);
      const outcome = await requestDemoTunnel(`127.0.0.1:${s.port}`);
      assert.ok(outcome.ok, JSON.stringify(reply));
    }
  });

  it('reports an ERROR reply as the server refusing', async () => {
    const s = await server(() => 'ERROR\n');
    assert.deepEqual(failure(await requestDemoTunnel(`127.0.0.1:${s.port}`)), { code: 'server-error', target: `127.0.0.1:${s.port}` });
  });

  it('reports a malformed reply by the part that is wrong', async () => {
    const cases: [string, string][] = [
      [`OK:${SERVER_PK}:12912:10.0.0.9\n`, 'address'],
      [`OK:${SERVER_PK}:0:192.168.4.9\n`, 'port'],
      ['OK:short:12912:192.168.4.9\n', 'key'],
      ['HTTP/1.1 400 Bad Request\r\n', 'format'],
      [`OK:${SERVER_PK}:12912:192.168.4.9\u00e9\n`, 'address'],
      ['x'.repeat(300), 'too-long'],
      [`${'x'.repeat(300)}\n`, 'too-long'],
    ];
    for (const [reply, part] of cases) {
      const s = await server(() => reply);
      assert.deepEqual(failure(await requestDemoTunnel(`127.0.0.1:${s.port}`)), { code: 'malformed', target: `127.0.0.1:${s.port}`, part }, reply);
    }
  });

  it('reports a server that closes without a word', async () => {
    const s = await server(() => '');
    assert.deepEqual(failure(await requestDemoTunnel(`127.0.0.1:${s.port}`)), { code: 'closed', target: `127.0.0.1:${s.port}` });
  });

  it('gives up on a server that never replies, after the bound it was given', async () => {
    const s = await server(() => 'silent');
    const f = failure(await requestDemoTunnel(`127.0.0.1:${s.port}`, { timeoutMs: 200 }));
    assert.deepEqual(f, { code: 'timeout', target: `127.0.0.1:${s.port}`, seconds: 0.2 });
    assert.equal(s.received.length, 1, 'the key was sent; the reply is what never came');
  });

  it('reports a refused connection', async () => {
    const port = await closedPort();
    assert.deepEqual(failure(await requestDemoTunnel(`127.0.0.1:${port}`)), { code: 'refused', target: `127.0.0.1:${port}` });
  });

  it('reports a host name that does not resolve (a stand-in resolver, no real DNS)', async () => {
    const seen: string[] = [];
    const lookup = ((host: string, _opts: unknown, callback: (e: NodeJS.ErrnoException | null) => void) => {
      seen.push(host);
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
    }) as unknown as LookupFunction;
    const f = failure(await requestDemoTunnel('no-such-demo.invalid', { lookup }));
    assert.deepEqual(f, { code: 'dns', target: 'no-such-demo.invalid:42912' });
    assert.deepEqual(seen, ['no-such-demo.invalid']);
  });

  it('refuses a bad host before connecting anywhere', async () => {
    assert.deepEqual(failure(await requestDemoTunnel('demo.wireguard.com:0')), { code: 'bad-host', target: 'demo.wireguard.com:0' });
  });
});
