// The journal: one file per tunnel, /run/wiredesk/<ifname>.journal, one JSON
// object per line. Every change to the system is appended BEFORE it is made,
// so after a crash at any point the journal lists a superset of what was
// done; undoing an entry that never happened is a no-op. A write(2) is seen
// by the next reader even if this process dies at once. Nothing is fsync'd:
// what a journal lists (links, addresses, routes, rules, nft tables) does not
// outlive a reboot, and neither does /run, which is cleared at boot (FHS), so
// durability would buy nothing and cost every connect a disk flush per step. The directory is root's and private (0700 when we create it): the
// journal holds hook commands and the resolv.conf we replaced, and a journal
// someone else could write would make root undo arbitrary things.
import {
  closeSync, constants, openSync, readdirSync, readFileSync, renameSync,
  unlinkSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { TunnelError } from './errors.js';
import { ensureStateDir, stateDir } from './state-dir.js';

export type Family = 4 | 6;

/** The first line: who wrote the journal, where, and what down needs later. */
export interface BeginEntry {
  op: 'begin';
  version: 1;
  ifname: string;
  /** `net:[inode]` of the namespace the changes were made in; other namespaces never touch them. */
  netns: string;
  pid: number;
  /** Start time of `pid` (clock ticks since boot), so a reused pid is not taken for the writer. */
  pidStart: string;
  startedAt: string;
  configPath?: string;
  killSwitch: 'off' | 'on' | 'allow-lan';
  saveConfig: boolean;
  dns: string[];
  dnsSearch: string[];
  /** Split DNS domains (split-dns.ts); absent when every query goes to the tunnel. */
  splitDns?: string[];
  /**
   * The DNS servers the kill switch lets port 53 reach, when not just `dns`:
   * with split DNS also the system's, read from resolv.conf before the
   * forwarder replaced it (so a change in place can't read them any more).
   */
  killSwitchDns?: string[];
  /** The config set MTU explicitly (SaveConfig then writes the current MTU back). */
  mtuFromConfig: boolean;
  table?: string;
  hooks: { preUp: string[]; postUp: string[]; preDown: string[]; postDown: string[] };
}

export type DnsEntry =
  | { op: 'dns'; backend: 'resolvconf'; name: string }
  | { op: 'dns'; backend: 'resolvectl'; ifname: string }
  | { op: 'dns'; backend: 'file'; path: string; backup: string; written: string };

export type JournalEntry =
  | BeginEntry
  | { op: 'engine' }
  | { op: 'address'; family: Family; address: string }
  | { op: 'mtu'; mtu: number }
  | { op: 'link-up' }
  | { op: 'route'; family: Family; prefix: string; table: string | null }
  | { op: 'rule'; family: Family; selector: string[] }
  | { op: 'sysctl'; key: string; old: string; value: string }
  | { op: 'nft-table'; family: 'ip' | 'ip6'; name: string }
  | { op: 'kill-switch'; name: string }
  /** The LAN bypass (lan-bypass.ts): present while the option is on, with the prefixes in place. */
  | { op: 'lan-bypass'; table: string; priority: number; routes: { family: Family; prefix: string; dev: string }[]; settled?: boolean }
  | DnsEntry
  /** The split DNS forwarder (../dns-forwarder), found through its pid file. */
  | { op: 'dns-forwarder' }
  /** Another tunnel went down first and handed us the value to restore (see undo.ts). */
  | { op: 'handover'; of: 'sysctl' | 'dns'; value: string }
  | { op: 'up-complete' }
  /** Up failed and its rollback could not undo everything; nobody is working on it any more. */
  | { op: 'abandoned' }
  /** A down started in process `pid` (recover leaves the journal alone while it runs). */
  | { op: 'closing'; pid: number; pidStart: string }
  /** recover() undid everything but the kill switch: the engine is dead. */
  | { op: 'stale' };

export { DEFAULT_STATE_DIR, ensureStateDir, stateDir } from './state-dir.js';

export function journalPath(ifname: string): string {
  return join(stateDir(), `${ifname}.journal`);
}

/** An open journal being written by this process. */
export class JournalWriter {
  private constructor(readonly ifname: string, private fd: number | null) {}

  /**
   * Starts a new journal; fails if one exists. `adopted` entries (a kill
   * switch left by a dead run of the same tunnel) replace the old journal
   * atomically, so the table is recorded at every moment.
   */
  static create(begin: BeginEntry, adopted: readonly JournalEntry[] = []): JournalWriter {
    ensureStateDir();
    const path = journalPath(begin.ifname);
    if (adopted.length > 0) {
      rewriteJournal(begin.ifname, [begin, ...adopted]);
      return new JournalWriter(begin.ifname, openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW));
    }
    let fd: number;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_APPEND | constants.O_NOFOLLOW, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new TunnelError(`${begin.ifname} is already being brought up or down (journal ${path} exists)`);
      }
      throw new TunnelError(`cannot create the journal ${path}: ${(err as Error).message}`);
    }
    const writer = new JournalWriter(begin.ifname, fd);
    writer.append(begin);
    return writer;
  }

  append(entry: JournalEntry): void {
    if (this.fd === null) throw new Error('journal closed');
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Appends to someone else's journal (a handover); false if it is gone. */
export function appendTo(ifname: string, entry: JournalEntry): boolean {
  let fd: number;
  try {
    fd = openSync(journalPath(ifname), constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
  } catch {
    return false;
  }
  try {
    writeSync(fd, `${JSON.stringify(entry)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * The entries of a journal, or null if there is none. A torn last line (a
 * crash in the middle of a write) is ignored: its change was never made.
 */
export function readJournal(ifname: string): JournalEntry[] | null {
  let text: string;
  try {
    const fd = openSync(journalPath(ifname), constants.O_RDONLY | constants.O_NOFOLLOW);
    try { text = readFileSync(fd, 'utf8'); } finally { closeSync(fd); }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const lines = text.split('\n').filter((l) => l !== '');
  const entries: JournalEntry[] = [];
  lines.forEach((line, i) => {
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch (err) {
      if (i !== lines.length - 1) throw new TunnelError(`the journal ${journalPath(ifname)} is damaged at line ${i + 1}`, { cause: err });
    }
  });
  if (entries[0]?.op !== 'begin') throw new TunnelError(`the journal ${journalPath(ifname)} has no header; remove it by hand`);
  return entries;
}

/** Interface names that have a journal, sorted. */
export function listJournals(): string[] {
  let names: string[];
  try {
    names = readdirSync(stateDir());
  } catch {
    return [];
  }
  return names.filter((n) => n.endsWith('.journal') && n.length > '.journal'.length)
    .map((n) => n.slice(0, -'.journal'.length)).sort();
}

/** Replaces a journal atomically (write, rename): a reader sees the old one or the new one. */
export function rewriteJournal(ifname: string, entries: JournalEntry[]): void {
  const path = journalPath(ifname);
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export function removeJournal(ifname: string): void {
  for (const path of [journalPath(ifname), join(stateDir(), `${ifname}.engine-output`)]) {
    try { unlinkSync(path); } catch { /* already gone */ }
  }
}
