// What a namespace's network configuration looks like, for "exactly as
// before" comparisons, and helpers to find and kill a tunnel's engine.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Netns } from '../../support/netns.js';
import { run, waitFor } from '../../support/netns.js';
import type { Topology } from './topology.js';

export const driverJs = fileURLToPath(new URL('./api-driver.js', import.meta.url));

export interface NetState {
  addresses: string;
  routes4: string;
  routes6: string;
  rules4: string;
  rules6: string;
  nft: string;
  resolvConf: string;
  srcValidMark: string;
  links: string;
}

export function snapshot(ns: Netns): NetState {
  const x = (cmd: string, args: string[]) => ns.exec(cmd, args);
  return {
    addresses: x('ip', ['-o', 'address', 'show']).replace(/\\\s+valid_lft.*$/gm, ''),
    routes4: x('ip', ['-4', 'route', 'show', 'table', 'all']),
    routes6: x('ip', ['-6', 'route', 'show', 'table', 'all']).replace(/ expires \d+sec/g, ''),
    rules4: x('ip', ['-4', 'rule', 'show']),
    rules6: x('ip', ['-6', 'rule', 'show']),
    nft: x('nft', ['list', 'ruleset']),
    resolvConf: x('cat', ['/etc/resolv.conf']),
    srcValidMark: x('sysctl', ['-n', 'net.ipv4.conf.all.src_valid_mark']),
    links: x('ip', ['-o', 'link', 'show']).split('\n').map((l) => l.split(':')[1]?.trim() ?? '').join(' '),
  };
}

/** Pids of the engine serving `ifname` in the namespace. */
export function enginePids(ns: Netns, ifname: string): number[] {
  let pids: string[];
  try {
    pids = run('ip', ['netns', 'pids', ns.name]).split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
  return pids.map(Number).filter((pid) => {
    try {
      // A named spare engine's title is one space-separated string (netconfig/spare-engine.ts).
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
      return argv.includes(ifname) && argv.some((a) => /wiredesk-tunnel|wireguard-go/.test(a));
    } catch {
      return false;
    }
  });
}

/** kill -9 the engine and wait until its interface is gone. */
export async function killEngine(t: Topology): Promise<void> {
  const pids = enginePids(t.client, t.ifname);
  if (pids.length === 0) throw new Error(`no engine found for ${t.ifname}`);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  await waitFor(() => t.client.status('ip', ['link', 'show', 'dev', t.ifname]) !== 0, 10_000, `${t.ifname} to disappear`);
}

export function journalExists(ifname: string): boolean {
  return existsSync(join('/run/wiredesk', `${ifname}.journal`));
}

/** Runs the API driver in the client namespace. */
export function driver(t: Topology, args: string[], env: NodeJS.ProcessEnv = {}): { result?: unknown; error?: string; log?: string[] } {
  const r = t.runInClient(process.execPath, [driverJs, ...args], env);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as { result?: unknown; error?: string; log?: string[] };
  } catch {
    throw new Error(`api driver printed no JSON (status ${r.status}): ${r.stdout}${r.stderr}`);
  }
}

/** `wg show IFNAME latest-handshakes` has a non-zero time. */
export function handshakeDone(t: Topology): boolean {
  try {
    const out = t.client.exec('wg', ['show', t.ifname, 'latest-handshakes']);
    return out.split('\n').some((l) => /\t[1-9][0-9]*$/.test(l));
  } catch {
    return false;
  }
}
