// DNS while the tunnel is up, through whatever manages it on this system:
//   resolvconf        `resolvconf -a <prefix><ifname> -m 0 -x` (wg-quick's way;
//                     -x: exclusive, these servers win over the others)
//   systemd-resolved  `resolvectl dns/domain <ifname>`, with the `~.` routing
//                     domain so every query goes to the tunnel's servers
//   neither           /etc/resolv.conf replaced, its old text kept in the
//                     journal. Written in place (never renamed over), so that
//                     in `ip netns exec` the write lands in the namespace's own
//                     bind-mounted /etc/netns/NAME/resolv.conf.
// Outside the host's network namespace resolvconf and resolved still serve
// the host, so there the file is the only right target.
import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { TunnelError } from './errors.js';
import { run, type Log } from './exec.js';
import { inInitialNetns, resolvConfIsHosts } from './host.js';
import type { DnsEntry } from './journal.js';

export type DnsBackend = 'resolvconf' | 'resolvectl' | 'file';

export const RESOLV_CONF = '/etc/resolv.conf';
const RESOLVED_SOCKET = '/run/systemd/resolve/io.systemd.Resolve';
const MARKER = '# Written by WireDesk for ';

function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch { /* keep looking */ }
  }
  return false;
}

/** `WIREDESK_DNS_BACKEND` forces a choice (tests use it with a stand-in resolvconf). */
export function chooseDnsBackend(): DnsBackend {
  const forced = process.env.WIREDESK_DNS_BACKEND;
  if (forced === 'resolvconf' || forced === 'resolvectl' || forced === 'file') return forced;
  if (!inInitialNetns()) return 'file';
  if (onPath('resolvconf')) return 'resolvconf';
  if (onPath('resolvectl') && existsSync(RESOLVED_SOCKET)) return 'resolvectl';
  return 'file';
}

/** resolvconf's interface-order may ask for a prefix such as `tun.` (wg-quick resolvconf_iface_prefix). */
export function resolvconfName(ifname: string, interfaceOrder?: string): string {
  let text = interfaceOrder;
  if (text === undefined) {
    try { text = readFileSync('/etc/resolvconf/interface-order', 'utf8'); } catch { return ifname; }
  }
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9-]+)\*$/.exec(line.trim());
    if (m) return `${m[1]}.${ifname}`;
  }
  return ifname;
}

/** What resolvconf reads on stdin, and the body of a replaced resolv.conf. */
export function resolverLines(servers: readonly string[], search: readonly string[]): string {
  return servers.map((s) => `nameserver ${s}\n`).join('') + (search.length > 0 ? `search ${search.join(' ')}\n` : '');
}

export function resolvConfText(ifname: string, servers: readonly string[], search: readonly string[]): string {
  return `${MARKER}${ifname}; \`wiredesk down ${ifname}\` puts the previous file back.\n${resolverLines(servers, search)}`;
}

/** The interface a WireDesk-written resolv.conf belongs to, or null. */
export function resolvConfOwner(text: string): string | null {
  if (!text.startsWith(MARKER)) return null;
  return /^[^;\n]+/.exec(text.slice(MARKER.length))?.[0] ?? null;
}

/** What to journal before setting DNS; the file's current text is read here (a read changes nothing). */
export function planDns(ifname: string, servers: readonly string[], search: readonly string[]): DnsEntry {
  const backend = chooseDnsBackend();
  if (backend === 'resolvconf') return { op: 'dns', backend, name: resolvconfName(ifname) };
  if (backend === 'resolvectl') return { op: 'dns', backend, ifname };
  if (!inInitialNetns() && resolvConfIsHosts(RESOLV_CONF)) {
    throw new TunnelError(
      `this network namespace has no resolv.conf of its own, so setting DNS would change the host's; create /etc/netns/<namespace>/resolv.conf or remove DNS from the config`);
  }
  let backup = '';
  try { backup = readFileSync(RESOLV_CONF, 'utf8'); } catch { /* no file: restoring writes it empty */ }
  return { op: 'dns', backend, path: RESOLV_CONF, backup, written: resolvConfText(ifname, servers, search) };
}

export async function applyDns(entry: DnsEntry, ifname: string, servers: readonly string[], search: readonly string[], log?: Log): Promise<void> {
  switch (entry.backend) {
    case 'resolvconf':
      await run('resolvconf', ['-a', entry.name, '-m', '0', '-x'], { input: resolverLines(servers, search), log });
      return;
    case 'resolvectl':
      // `--`: nothing from a config may be read as an option.
      await run('resolvectl', ['dns', '--', ifname, ...servers], { log });
      await run('resolvectl', ['domain', '--', ifname, '~.', ...search], { log });
      return;
    case 'file':
      log?.(`[#] write ${entry.path} (nameserver ${servers.join(', ')})`);
      writeFileSync(entry.path, entry.written); // in place: O_TRUNC on the same inode
  }
}

/**
 * Undoes a file entry: puts `backup` back if the file still holds what we
 * wrote. Otherwise returns the current text so the caller can hand `backup`
 * over to the tunnel that wrote it (see undo.ts), or leave it alone.
 */
export async function unsetDns(entry: DnsEntry, backup: string, log?: Log): Promise<{ current?: string }> {
  switch (entry.backend) {
    case 'resolvconf':
      await run('resolvconf', ['-d', entry.name, '-f'], { log });
      return {};
    case 'resolvectl':
      // resolved forgets a deleted link on its own; revert covers a live one.
      await run('resolvectl', ['revert', '--', entry.ifname], { log }).catch(() => {});
      return {};
    case 'file': {
      let current = '';
      try { current = readFileSync(entry.path, 'utf8'); } catch { /* gone: write the backup */ }
      if (current === entry.written || current === '') {
        log?.(`[#] restore ${entry.path}`);
        writeFileSync(entry.path, backup);
        return {};
      }
      return { current };
    }
  }
}
