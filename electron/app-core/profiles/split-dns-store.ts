// Each tunnel's split DNS domains, in split-dns.json beside the settings.
// They live in WireDesk's profile, not in the .conf: wg-quick would read them
// as search domains and send every query into the tunnel
// (shared/dns/split-domains.ts says why). A malformed file or entry counts
// as "no split DNS" rather than stopping the app.
import { isSplitDomainList } from '../../../shared/dns/split-domains.js';
import { moveEntry, readJsonFile, writeJsonFile } from '../json-file.js';

export class SplitDnsStore {
  private readonly domains = new Map<string, string[]>();

  constructor(private readonly file: string) {
    const raw = readJsonFile(file); // missing or malformed: none
    if (typeof raw !== 'object' || raw === null) return;
    for (const [name, list] of Object.entries(raw as Record<string, unknown>)) {
      if (Array.isArray(list) && list.every((d) => typeof d === 'string') && isSplitDomainList(list as string[]) && list.length > 0) {
        this.domains.set(name, list as string[]);
      }
    }
  }

  get(tunnel: string): string[] {
    return [...(this.domains.get(tunnel) ?? [])];
  }

  /** Normalized domains only (the renderer parses what the user typed); [] turns split DNS off. */
  set(tunnel: string, domains: readonly string[]): string[] {
    if (!isSplitDomainList(domains)) throw new Error(`Split DNS takes domain names such as corp.example (at most 64), not "${domains.join(', ')}".`);
    if (domains.length === 0) this.domains.delete(tunnel);
    else this.domains.set(tunnel, [...new Set(domains)]);
    this.save();
    return this.get(tunnel);
  }

  /** A tunnel was renamed or removed: its domains follow it or go. */
  renamed(from: string, to: string | null): void {
    if (moveEntry(this.domains, from, to)) this.save();
  }

  private save(): void {
    writeJsonFile(this.file, Object.fromEntries(this.domains));
  }
}
