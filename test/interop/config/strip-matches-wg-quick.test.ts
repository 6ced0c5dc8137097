// `wiredesk strip` must mean to wg exactly what `wg-quick strip` means. Both
// outputs are loaded with the real `wg setconf` into a real wireguard-go
// interface in a namespace made here, and read back with `wg showconf`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, mkdtempSync, copyFileSync, chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fixturesDir, wiredesk } from '../../support/cli.js';
import { Netns, run, waitFor } from '../../support/netns.js';
import { existsSync } from 'node:fs';

const corpusDir = join(fixturesDir, 'conf');
const corpus = readdirSync(corpusDir).filter((f) => f.endsWith('.conf')).sort();
const work = mkdtempSync(join(tmpdir(), 'wiredesk-strip-'));
let ns: Netns;
const IFNAME = `wds${process.pid % 10000}`;

before(async () => {
  ns = new Netns('strip');
  ns.spawn('wireguard-go', ['-f', IFNAME]);
  await waitFor(() => existsSync(`/var/run/wireguard/${IFNAME}.sock`), 10_000, 'wireguard-go socket');
});
after(() => ns?.destroy());

/** Loads a setconf text into the wireguard-go interface and returns showconf. */
function loadAndShow(setconfText: string, name: string): string {
  const p = join(work, `${name}.setconf`);
  writeFileSync(p, setconfText, { mode: 0o600 });
  // Start each load from an empty device so nothing carries over between files.
  ns.exec('wg', ['set', IFNAME, 'private-key', '/dev/null', 'listen-port', '0', 'fwmark', '0']);
  ns.exec('wg', ['setconf', IFNAME, p]);
  // A config without ListenPort gets a random port; compare everything else.
  const shown = ns.exec('wg', ['showconf', IFNAME]).replace(/^ListenPort = \d+\n/m, (m) => (/^ListenPort/m.test(setconfText) ? m : ''));
  // wireguard-go lists peers in map order, which varies from run to run.
  const [iface, ...peers] = shown.split(/\n(?=\[Peer\])/);
  return [iface, ...peers.map((p) => p.trimEnd()).sort()].join('\n');
}

test('the corpus is not empty', () => {
  assert.ok(corpus.length >= 10, `only ${corpus.length} configs in ${corpusDir}`);
});

for (const [i, name] of corpus.entries()) {
  test(`strip of ${name} means to wg what wg-quick strip means`, () => {
    // wg-quick insists the file is named like an interface and is not world-readable.
    const safe = join(work, `wdc${i}.conf`);
    copyFileSync(join(corpusDir, name), safe);
    chmodSync(safe, 0o600);
    const theirs = run('wg-quick', ['strip', safe]);
    const ours = wiredesk(['strip', safe]);
    assert.equal(ours.status, 0, ours.stderr);
    assert.equal(ours.stdout, theirs, 'byte-for-byte the same text as wg-quick strip');
    assert.equal(loadAndShow(ours.stdout, `ours${i}`), loadAndShow(theirs, `theirs${i}`));
  });
}
