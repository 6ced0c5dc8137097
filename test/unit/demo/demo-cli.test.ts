// `wiredesk demo` through the installed launcher, against a stand-in server
// on 127.0.0.1 (the real server runs in test/interop/demo): the config on
// stdout, each failure as one sentence on stderr, and the exit codes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { checkConfig, lastEntry, parseConfig, publicKeyFromPrivate } from '../../../shared/config/index.js';
import { wiredesk, wiredeskBin, type CliResult } from '../../support/cli.js';
import { closedPort, startFakeDemoServer, type FakeDemoServer } from '../../support/fake-demo-server.js';

const SERVER_PK = Buffer.from('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f', 'hex').toString('base64');

/** Like wiredesk() but without blocking the event loop, so the stand-in server in this process can answer. */
function wiredeskAsync(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(wiredeskBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

const servers: FakeDemoServer[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

describe('wiredesk demo', () => {
  it('prints the demo tunnel on stdout, ready for wiredesk check and up', async () => {
    const s = await startFakeDemoServer(() => `OK:${SERVER_PK}:12912:192.168.4.20\n`);
    servers.push(s);
    const r = await wiredeskAsync(['demo', `127.0.0.1:${s.port}`]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.deepEqual(checkConfig(r.stdout), []);
    const conf = parseConfig(r.stdout);
    assert.equal(publicKeyFromPrivate(lastEntry(conf.interface, 'PrivateKey')!.value), s.received[0]);
    assert.equal(lastEntry(conf.peers[0], 'PublicKey')?.value, SERVER_PK);
    assert.equal(lastEntry(conf.peers[0], 'Endpoint')?.value, '127.0.0.1:12912');
  });

  it('says ERROR and a malformed reply apart, on stderr with exit 1 and nothing on stdout', async () => {
    const error = await startFakeDemoServer(() => 'ERROR\n');
    const garbage = await startFakeDemoServer(() => `OK:${SERVER_PK}:12912:192.168.4.1\n`);
    servers.push(error, garbage);
    const e = await wiredeskAsync(['demo', `127.0.0.1:${error.port}`]);
    assert.deepEqual([e.status, e.stdout], [1, '']);
    assert.equal(e.stderr, `wiredesk demo: The demo server 127.0.0.1:${error.port} replied ERROR: it could not add this computer as a peer. Try again later.\n`);
    const g = await wiredeskAsync(['demo', `127.0.0.1:${garbage.port}`]);
    assert.deepEqual([g.status, g.stdout], [1, '']);
    assert.equal(g.stderr, `wiredesk demo: The reply from 127.0.0.1:${garbage.port} is not a demo server reply: its address is not a host address in 192.168.4.0/24.\n`);
  });

  it('says the connection was refused', async () => {
    const port = await closedPort();
    const r = wiredesk(['demo', `127.0.0.1:${port}`]);
    assert.deepEqual([r.status, r.stdout], [1, '']);
    assert.equal(r.stderr, `wiredesk demo: 127.0.0.1:${port} refused the connection: no demo server is listening on that port.\n`);
  });

  it('refuses a bad host or extra arguments with exit 2 and the usage; --help prints it', () => {
    const bad = wiredesk(['demo', 'demo.wireguard.com:99999']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^wiredesk demo: "demo\.wireguard\.com:99999" is not a demo server address; .*\nUsage: wiredesk demo \[HOST\[:PORT\]\]/);
    for (const args of [['demo', 'a', 'b'], ['demo', '--timeout=1']]) {
      const r = wiredesk(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /^Usage: wiredesk demo/);
    }
    const help = wiredesk(['demo', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage: wiredesk demo \[HOST\[:PORT\]\]/);
    assert.match(wiredesk(['--help']).stdout, /^ {2}demo \[HOST\[:PORT\]\]/m, 'the main usage lists demo');
  });
});
