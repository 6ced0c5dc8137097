// Where the cgroup v2 hierarchy is mounted, and the cgroups that split
// tunneling puts processes in. Unified hosts mount it at /sys/fs/cgroup;
// hybrid ones (this CI machine, older systemd defaults) at
// /sys/fs/cgroup/unified, under a tmpfs of v1 controllers.
//
// nft names a cgroup by a path that it resolves under /sys/fs/cgroup when the
// ruleset is loaded (nft 1.0: stat("/sys/fs/cgroup/" + path), the inode being
// the cgroup id). So on a hybrid host the path given to nft is
// "unified/wiredesk/outside" while the level stays the cgroup's depth in the
// v2 hierarchy (2): checked on this machine, such a rule counts the cgroup's
// packets. A cgroup2 mounted anywhere but under /sys/fs/cgroup cannot be
// named to nft, and split tunneling says so.
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';

export interface Cgroup2Mount {
  /** Where it is mounted, e.g. /sys/fs/cgroup/unified. */
  mountPoint: string;
  /** The hierarchy path shown at the mount point ("/" outside a cgroup namespace). */
  root: string;
}

/** Unescapes mountinfo's octal escapes (\040 for a space). */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/**
 * The cgroup2 mounts of a /proc/self/mountinfo text, the preferred first:
 * /sys/fs/cgroup, then /sys/fs/cgroup/unified, then any other.
 */
export function cgroup2Mounts(mountinfo: string): Cgroup2Mount[] {
  const out: Cgroup2Mount[] = [];
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const [fstype] = line.slice(sep + 3).split(' ');
    const fields = line.slice(0, sep).split(' ');
    if (fstype !== 'cgroup2' || fields.length < 5) continue;
    out.push({ root: unescape(fields[3]!), mountPoint: unescape(fields[4]!) });
  }
  const rank = (m: Cgroup2Mount) => (m.mountPoint === '/sys/fs/cgroup' ? 0 : m.mountPoint === '/sys/fs/cgroup/unified' ? 1 : 2);
  return out.sort((a, b) => rank(a) - rank(b));
}

/** One cgroup of the v2 hierarchy, as the file system and nft name it. */
export interface SplitCgroup {
  /** The directory, e.g. /sys/fs/cgroup/unified/wiredesk/outside. */
  dir: string;
  /** What `socket cgroupv2 level N "PATH"` needs: PATH relative to /sys/fs/cgroup. */
  nftPath: string;
  /** Depth in the v2 hierarchy (the root is 0). */
  level: number;
}

const NFT_BASE = '/sys/fs/cgroup';

/**
 * The cgroup `/<parent>/<leaf>` under `mount`, or a sentence why nft could
 * not match it. Pure.
 */
export function splitCgroup(mount: Cgroup2Mount, parent: string, leaf: string): SplitCgroup | string {
  const rel = `${parent}/${leaf}`;
  const dir = `${mount.mountPoint.replace(/\/$/, '')}/${rel}`;
  if (dir !== NFT_BASE && !dir.startsWith(`${NFT_BASE}/`)) {
    return `cgroup v2 is mounted at ${mount.mountPoint}, outside ${NFT_BASE}, where nft looks for cgroups; mount it at ${NFT_BASE} or ${NFT_BASE}/unified`;
  }
  const rootDepth = mount.root.split('/').filter(Boolean).length;
  return { dir, nftPath: dir.slice(NFT_BASE.length + 1), level: rootDepth + rel.split('/').length };
}

/** The preferred cgroup2 mount of this process's mount namespace, or a sentence why there is none. */
export function findCgroup2Mount(): Cgroup2Mount | string {
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch (err) {
    return `cannot read /proc/self/mountinfo: ${(err as Error).message}`;
  }
  return cgroup2Mounts(text)[0] ?? 'cgroup v2 is not mounted (no cgroup2 in /proc/self/mountinfo); per-app split tunneling needs it';
}

/** Creates the cgroup's directory (and its parent). */
export function createCgroup(cg: SplitCgroup): void {
  mkdirSync(cg.dir, { recursive: true, mode: 0o755 });
}

/** Moves a process into the cgroup. */
export function moveToCgroup(cg: SplitCgroup, pid: number): void {
  writeFileSync(`${cg.dir}/cgroup.procs`, `${pid}\n`);
}

/** The cgroup holds a process (it or a descendant); false once it is gone. */
export function cgroupPopulated(dir: string): boolean {
  try {
    return /^populated 1$/m.test(readFileSync(`${dir}/cgroup.events`, 'utf8'));
  } catch {
    return false;
  }
}

/** Removes an empty cgroup; false when it still holds processes (EBUSY) or is gone. */
export function removeCgroup(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch {
    return false;
  }
}
