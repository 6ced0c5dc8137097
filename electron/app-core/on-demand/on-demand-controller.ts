// Applies the on-demand rules: the helper says which network the computer is
// on (its `network` call and event), and this switches tunnels through the
// same TunnelService a click uses.
//
//   helper connects      -> read the network, apply
//   network event        -> new key? lift suspensions, apply
//   rule or trust edited -> apply
//   switched by hand     -> that tunnel's rule is suspended until the network changes
//
// Rules act only while the helper runs: a rule never causes a password prompt.
import type { NetworkIdentity } from '../../../shared/control/protocol.js';
import { networkLabel, type OnDemandReason, type OnDemandRule, type OnDemandView } from '../../../shared/ipc/on-demand.js';
import type { HelperConnection } from '../helper/helper-connection.js';
import type { HelperSupervisor } from '../helper/helper-supervisor.js';
import type { TunnelService } from '../tunnels/tunnel-service.js';
import type { OnDemandStore } from './on-demand-store.js';
import { plan } from './on-demand-rules.js';

export class OnDemandController {
  private network: NetworkIdentity | null = null;
  private readonly suspended = new Set<string>();
  private readonly byRule = new Map<string, OnDemandReason>();
  private readonly offByRule = new Map<string, OnDemandReason>();
  private readonly listeners = new Set<(v: OnDemandView) => void>();
  /** Applying is serialised, so two network events never race one tunnel. */
  private applying: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: OnDemandStore,
    private readonly tunnels: TunnelService,
    private readonly helper: HelperSupervisor,
    private readonly log: (tunnel: string, text: string) => void,
  ) {
    helper.onConnect((c) => this.attach(c));
    tunnels.onChange((change) => {
      if (!change) return;
      // Off for any reason (by hand, engine stopped, helper lost): no longer "on because of a rule"; on again: no longer "off because of one".
      const off = change.state === 'down' || change.state === 'error';
      if (off ? this.byRule.delete(change.name) : this.offByRule.delete(change.name)) this.changed();
    });
  }

  view(): OnDemandView {
    const names = new Set(this.tunnels.names());
    return {
      network: this.network,
      trusted: this.store.trusted(),
      rules: Object.fromEntries(Object.entries(this.store.allRules()).filter(([n]) => names.has(n))),
      byRule: Object.fromEntries(this.byRule),
      offByRule: Object.fromEntries([...this.offByRule].filter(([n]) => names.has(n))),
      suspended: [...this.suspended].filter((n) => names.has(n)),
    };
  }

  onChange(listener: (v: OnDemandView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Why a rule switched this tunnel on, or undefined. */
  reasonFor(name: string): OnDemandReason | undefined {
    return this.byRule.get(name);
  }

  /** The user switched a tunnel: its rule waits for the next network. */
  switchedByHand(name: string): void {
    this.byRule.delete(name);
    this.offByRule.delete(name);
    if (this.store.rule(name).mode !== 'never') this.suspended.add(name);
    this.changed();
  }

  async setRule(name: string, rule: OnDemandRule): Promise<OnDemandView> {
    this.store.setRule(name, rule);
    this.suspended.delete(name);
    await this.apply();
    return this.view();
  }

  /** "Trust this network": the one the helper reports now. */
  async trustCurrent(): Promise<OnDemandView> {
    const n = this.network;
    if (n?.key) this.store.trust({ key: n.key, label: networkLabel(n) });
    await this.apply();
    return this.view();
  }

  async untrust(key: string): Promise<OnDemandView> {
    this.store.untrust(key);
    await this.apply();
    return this.view();
  }

  /** Switches tunnels as the rules want on the current network; resolves when done. */
  apply(): Promise<void> {
    this.applying = this.applying.then(() => this.applyNow());
    return this.applying;
  }

  private attach(c: HelperConnection): void {
    c.on('network', (n) => void this.networkIs(n));
    c.call('network', {}).then((n) => this.networkIs(n), () => undefined); // an older helper: no rules act
  }

  private async networkIs(n: NetworkIdentity): Promise<void> {
    const moved = this.network?.key !== n.key;
    this.network = n;
    if (moved) this.suspended.clear();
    this.changed();
    if (moved) await this.apply();
  }

  private async applyNow(): Promise<void> {
    if (!this.helper.current()) return;
    const steps = plan(this.network?.key ?? null, this.store.trusted(), this.tunnels.names().map((name) => {
      const state = this.tunnels.stateOf(name);
      return { name, rule: this.store.rule(name), active: state !== 'down' && state !== 'error', upByRule: this.byRule.has(name), suspended: this.suspended.has(name) };
    }));
    for (const s of steps) {
      const where = this.network ? networkLabel(this.network) : '';
      this.log(s.name, `On-demand: switching ${s.action === 'up' ? 'on' : 'off'} (${s.reason} ${where}).`);
      try {
        if (s.action === 'up') this.byRule.set(s.name, s.reason);
        await this.tunnels.setActive(s.name, s.action === 'up');
        if (s.action === 'down') {
          this.byRule.delete(s.name);
          this.offByRule.set(s.name, s.reason);
        }
      } catch (e) {
        this.byRule.delete(s.name);
        this.log(s.name, `On-demand could not switch the tunnel: ${(e as Error).message}`);
      }
    }
    this.changed();
  }

  private changed(): void {
    const v = this.view();
    for (const l of this.listeners) l(v);
  }
}
