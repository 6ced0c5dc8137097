// Failover groups on disk: groups.json next to settings.json, in the order
// the user made them. Every save is checked against the tunnels that exist;
// a file edited by hand that no longer passes keeps its groups but drops the
// members that are gone (and a group left with fewer than two).
import { CheckError } from '../../../shared/check.js';
import { groupSpec, type GroupSpec } from '../../../shared/ipc/groups.js';
import { readJsonFile, writeJsonFile } from '../json-file.js';

export class GroupError extends Error {
  override name = 'GroupError';
}

export class GroupStore {
  private groups: GroupSpec[];

  constructor(private readonly file: string, private readonly tunnelExists: (name: string) => boolean) {
    this.groups = load(file).flatMap((g) => {
      const members = g.members.filter((m) => tunnelExists(m));
      return members.length >= 2 ? [{ ...g, members }] : [];
    });
  }

  list(): readonly GroupSpec[] {
    return this.groups;
  }

  get(name: string): GroupSpec | undefined {
    return this.groups.find((g) => g.name === name);
  }

  /** Adds (original null) or replaces a group; throws GroupError with a sentence the user can act on. */
  save(original: string | null, spec: GroupSpec): GroupSpec {
    const g: GroupSpec = { ...spec, name: spec.name.trim(), members: [...spec.members] };
    const others = this.groups.filter((x) => x.name !== original);
    if (original !== null && !this.get(original)) throw new GroupError(`There is no group named "${original}" to change; it may have been deleted.`);
    if (g.name === '') throw new GroupError('Give the group a name.');
    if (others.some((x) => x.name === g.name)) throw new GroupError(`A group named "${g.name}" already exists; choose another name.`);
    if (g.members.length < 2) throw new GroupError(`A failover group needs at least two tunnels, in order: the first is the primary, the next ones take over when it fails.`);
    for (const [i, m] of g.members.entries()) {
      if (!this.tunnelExists(m)) throw new GroupError(`There is no tunnel named "${m}"; import it first, or remove it from the group.`);
      if (g.members.indexOf(m) !== i) throw new GroupError(`"${m}" is listed twice in "${g.name}"; each tunnel can appear once.`);
      const holder = others.find((x) => x.members.includes(m));
      if (holder) throw new GroupError(`"${m}" is already in the group "${holder.name}"; a tunnel can be in one group only, so two groups never fight over it.`);
    }
    const at = original === null ? -1 : this.groups.findIndex((x) => x.name === original);
    this.groups = at < 0 ? [...this.groups, g] : this.groups.map((x, i) => (i === at ? g : x));
    this.write();
    return g;
  }

  remove(name: string): void {
    if (!this.get(name)) throw new GroupError(`There is no group named "${name}".`);
    this.groups = this.groups.filter((g) => g.name !== name);
    this.write();
  }

  /** A tunnel was renamed or deleted (to null): its groups follow. Returns the groups that changed. */
  tunnelChanged(from: string, to: string | null): string[] {
    const touched = this.groups.filter((g) => g.members.includes(from)).map((g) => g.name);
    if (touched.length === 0) return [];
    this.groups = this.groups.flatMap((g) => {
      if (!g.members.includes(from)) return [g];
      const members = to === null ? g.members.filter((m) => m !== from) : g.members.map((m) => (m === from ? to : m));
      return members.length >= 2 ? [{ ...g, members }] : [];
    });
    this.write();
    return touched;
  }

  private write(): void {
    writeJsonFile(this.file, { groups: this.groups });
  }
}

/** The groups in the file; a group that fails its check is dropped, the others stay. */
function load(file: string): GroupSpec[] {
  const raw = readJsonFile(file);
  const list = (raw as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(list)) return [];
  const out: GroupSpec[] = [];
  for (const item of list.slice(0, 64)) {
    try {
      const g = groupSpec(item, 'group', true);
      if (!out.some((x) => x.name === g.name) && !g.members.some((m) => out.some((x) => x.members.includes(m)))) out.push(g);
    } catch (e) {
      if (!(e instanceof CheckError)) throw e;
    }
  }
  return out;
}
