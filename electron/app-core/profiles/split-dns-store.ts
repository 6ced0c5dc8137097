// Each tunnel's split DNS domains, in split-dns.json beside the settings.
// They live in WireDesk's profile, not in the .conf: wg-quick would read them
// as search domains and send every query into the tunnel
// (shared/dns/split-domains.ts says why). A malformed file or entry counts
// as "no split DNS" rather than stopping the app.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isSplitDomainList } from '../../../shared/dns/split-domains.js';

export class SplitDnsStore {
  private readonly domains = new Map<string, string[]>();

  constructor(private readonly file: string) {
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (typeof raw === 'object' && raw !== null) {
        for (const [name, list] of Object.entries(raw as Record<string, unknown>)) {
          if (Array.isArray(list) && list.every((d) => typeof d === 'string') && isSplitDomainList(list as string[]) && list.length > 0) {
            this.domains.set(name, list as string[]);
          }
        }
      }
    } catch { /* missing or malformed: none */ }
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
    const list = this.domains.get(from);
    if (!list) return;
    this.domains.delete(from);
    if (to !== null) this.domains.set(to, list);
    this.save();
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(Object.fromEntries(this.domains), null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
