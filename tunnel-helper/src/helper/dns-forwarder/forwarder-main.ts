// The split DNS forwarder's process: `node forwarder-main.js`, its config as
// JSON on stdin. It writes `ready` on stdout once it serves (and nothing after:
// the parent may be gone), logs to stderr (a file), and exits on SIGTERM or
// when its tunnel's journal disappears, so an orphan never outlives its tunnel.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkForwarderConfig } from './forwarder-config.js';
import { DnsForwarder } from './forwarder.js';

const JOURNAL_CHECK_MS = 5_000;

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.length > 64 * 1024) throw new Error('config too long');
  }
  return text;
}

async function main(): Promise<void> {
  let parsed: unknown;
  try { parsed = JSON.parse(await readStdin()); } catch { parsed = null; }
  const cfg = checkForwarderConfig(parsed);
  if (!cfg) {
    process.stderr.write('wiredesk dns forwarder: invalid configuration on stdin\n');
    process.exit(2);
  }
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const forwarder = new DnsForwarder(cfg, log);
  try {
    await forwarder.start();
  } catch (err) {
    process.stderr.write(`wiredesk dns forwarder: cannot listen on ${cfg.listen}:${cfg.port}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const stop = () => { forwarder.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('SIGHUP', () => { /* the parent's terminal went away: keep serving */ });
  const journal = join(cfg.stateDir, `${cfg.ifname}.journal`);
  setInterval(() => { if (!existsSync(journal)) stop(); }, JOURNAL_CHECK_MS);
  process.stdout.on('error', () => { /* the parent is gone */ });
  process.stdout.write('ready\n', () => process.stdout.destroy());
}

void main();
