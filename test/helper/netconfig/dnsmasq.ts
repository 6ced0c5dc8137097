// A dnsmasq (Debian's dnsmasq-base) in a test namespace, answering fixed names
// on one address only, and logging the queries it gets to a file.
import { existsSync, readFileSync } from 'node:fs';
import type { Netns } from '../../support/netns.js';
import { waitFor } from '../../support/netns.js';

export class Dnsmasq {
  private constructor(readonly logFile: string) {}

  /** `answers` maps a domain (and its subdomains) to the IPv4 address it resolves to. */
  static async start(ns: Netns, listen: string, answers: Record<string, string>, logFile: string, extra: string[] = []): Promise<Dnsmasq> {
    const child = ns.spawn('dnsmasq', [
      '--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--no-poll', '--user=root',
      '--bind-interfaces', `--listen-address=${listen}`, '--port=53', '--pid-file=', '--cache-size=0',
      '--log-queries', `--log-facility=${logFile}`,
      ...Object.entries(answers).map(([name, addr]) => `--address=/${name}/${addr}`), ...extra,
    ]);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    await waitFor(() => child.exitCode !== null || (existsSync(logFile) && /started, version/.test(readFileSync(logFile, 'utf8'))),
      10_000, `dnsmasq on ${listen}`);
    if (child.exitCode !== null) throw new Error(`dnsmasq on ${listen} did not start: ${stderr}`);
    return new Dnsmasq(logFile);
  }

  /** The names it was asked for (`query[A] x.corp.example from ...`). */
  queries(): string[] {
    const text = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
    return [...text.matchAll(/query\[\w+\] (\S+) from/g)].map((m) => m[1]!);
  }
}
