// Reading the installed helper the way an administrator would: its pid
// file, /proc, the unit systemd would run, and the files it added.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { HELPER_PID_FILE, SYSTEM_FILES, helperLayout } from '../../../tunnel-helper/src/install/layout.js';
import { waitFor } from '../../support/netns.js';

export const layout = helperLayout();

export function helperPid(): number | null {
  try {
    const pid = Number(readFileSync(HELPER_PID_FILE, 'utf8').trim());
    return existsSync(`/proc/${pid}`) ? pid : null;
  } catch {
    return null;
  }
}

export interface ProcessFacts { uid: number; exe: string; argv: string[]; env: string[] }

export function processFacts(pid: number): ProcessFacts {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    uid: Number(/^Uid:\s+(\d+)/m.exec(status)![1]),
    exe: readlinkSync(`/proc/${pid}/exe`),
    // An engine named after it started (netconfig/spare-engine.ts) shows its argv as one space-separated title.
    argv: readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/).filter(Boolean),
    env: readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean),
  };
}

/** Pids whose command line mentions `word` (engines: their interface name). */
export function pidsWith(word: string): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/).includes(word);
    } catch {
      return false;
    }
  });
}

/** Every path below `dir`, relative, sorted. */
export function treeList(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      out.push(relative(dir, p));
      if (statSync(p).isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** What the installer may add outside its prefix, and whether each exists now. */
export function systemFootprint(): string[] {
  const wants = '/etc/systemd/system/multi-user.target.wants';
  return [layout.prefix, ...SYSTEM_FILES.map((f) => f.to)].filter((p) => existsSync(p)).concat(
    existsSync(wants) ? readdirSync(wants).filter((n) => n.startsWith('wiredesk-helper@')) : [],
  );
}

/**
 * Runs the installed unit's ExecStart as systemd would (systemd is not PID 1
 * here): as root, %i set to the uid, and only the unit's own environment.
 */
export function runUnit(uid: number, netns: string): ChildProcess {
  const unit = readFileSync(SYSTEM_FILES[1].to, 'utf8');
  const exec = /^ExecStart=(.*)$/m.exec(unit)![1]!.replace(/%i/g, String(uid)).split(/\s+/);
  const env = [...unit.matchAll(/^Environment=(.*)$/gm)].map((m) => m[1]!);
  return spawn('ip', ['netns', 'exec', netns, '/usr/bin/env', '-i', ...env, ...exec], { stdio: 'ignore' });
}

export async function waitForHelper(not?: number | null): Promise<number> {
  await waitFor(() => { const p = helperPid(); return p !== null && p !== not; }, 30_000, 'the helper to serve');
  return helperPid()!;
}

export async function waitForExit(pid: number): Promise<void> {
  await waitFor(() => !existsSync(`/proc/${pid}`) || /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8')), 30_000, `pid ${pid} to exit`);
}
