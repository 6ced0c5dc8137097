// Facts about where this process runs: which network namespace it is in (a
// journal is only ever replayed in the namespace it was written in) and
// whether a given process is still the one that wrote a journal.
import { readFileSync, readlinkSync, statSync } from 'node:fs';

/** `net:[4026531840]`: identifies the network namespace of this process. */
export function currentNetns(): string {
  return readlinkSync('/proc/self/ns/net');
}

/** True in the host's namespace (PID 1's), where resolvconf and systemd-resolved serve. */
export function inInitialNetns(): boolean {
  try {
    return readlinkSync('/proc/1/ns/net') === currentNetns();
  } catch {
    return true;
  }
}

/**
 * True when /etc/resolv.conf here is the very file PID 1 sees. In a network
 * namespace entered without its own resolv.conf (ip netns exec bind-mounts
 * /etc/netns/NAME/resolv.conf when it exists), writing it would change the
 * host's DNS, not this namespace's.
 */
export function resolvConfIsHosts(path = '/etc/resolv.conf'): boolean {
  try {
    const mine = statSync(path);
    const hosts = statSync(`/proc/1/root${path}`);
    return mine.dev === hosts.dev && mine.ino === hosts.ino;
  } catch {
    return false;
  }
}

/** Field 22 of /proc/PID/stat (start time in clock ticks), or '' if the process is gone. */
export function processStartTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

/** The process that started `pid` at `start` is still running. */
export function processAlive(pid: number, start: string): boolean {
  return start !== '' && processStartTime(pid) === start;
}
