// The rules and the trusted networks, as a small JSON file next to the
// settings. Like the settings, a malformed file or entry falls back to
// "no rule" rather than stopping the app.
import { arr, obj, str, type Infer } from '../../../shared/check.js';
import { knownNetwork, NEVER, onDemandRule, type KnownNetwork, type OnDemandRule } from '../../../shared/ipc/on-demand.js';
import { moveEntry, readJsonFile, writeJsonFile } from '../json-file.js';

const fileShape = obj({}, { trusted: arr(knownNetwork, 1024), rules: arr(obj({ tunnel: str({ min: 1, max: 64 }), rule: onDemandRule }), 1024) });
type FileShape = Infer<typeof fileShape>;

export class OnDemandStore {
  private trustedList: KnownNetwork[] = [];
  private readonly rules = new Map<string, OnDemandRule>();

  constructor(private readonly file: string) {
    let raw: FileShape = {};
    try {
      raw = fileShape(readJsonFile(file) ?? {}, 'on-demand', false);
    } catch {
      // Missing or malformed: no rules, nothing trusted.
    }
    this.trustedList = dedupe(raw.trusted ?? []);
    for (const r of raw.rules ?? []) this.rules.set(r.tunnel, r.rule);
  }

  trusted(): readonly KnownNetwork[] {
    return this.trustedList;
  }

  rule(tunnel: string): OnDemandRule {
    return this.rules.get(tunnel) ?? NEVER;
  }

  allRules(): Record<string, OnDemandRule> {
    return Object.fromEntries(this.rules);
  }

  setRule(tunnel: string, rule: OnDemandRule): void {
    if (rule.mode === 'never' && rule.networks.length === 0) this.rules.delete(tunnel);
    else this.rules.set(tunnel, { mode: rule.mode, networks: dedupe(rule.networks) });
    this.save();
  }

  /** A tunnel was renamed or removed: its rule follows it or goes. */
  renamed(from: string, to: string | null): void {
    if (moveEntry(this.rules, from, to)) this.save();
  }

  trust(n: KnownNetwork): void {
    this.trustedList = dedupe([...this.trustedList, n]);
    this.save();
  }

  untrust(key: string): void {
    this.trustedList = this.trustedList.filter((n) => n.key !== key);
    this.save();
  }

  private save(): void {
    const body: FileShape = { trusted: this.trustedList, rules: [...this.rules].map(([tunnel, rule]) => ({ tunnel, rule })) };
    writeJsonFile(this.file, body);
  }
}

function dedupe(list: readonly KnownNetwork[]): KnownNetwork[] {
  const seen = new Map<string, KnownNetwork>();
  for (const n of list) seen.set(n.key, n);
  return [...seen.values()];
}
