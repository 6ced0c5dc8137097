// One tunnel's on-demand rule in the detail view: the current network (with
// "Trust this network"), the rule, the networks a "listed" rule connects on,
// and why the rule last switched the tunnel.
import type { NetworkIdentity } from '../../../shared/control/protocol.js';
import { networkLabel, onDemandMode, type KnownNetwork, type OnDemandMode, type OnDemandView } from '../../../shared/ipc/on-demand.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { ipc } from '../../lib/ipc.js';
import { act, useOnDemand } from './use-on-demand.js';
import './on-demand.css';

const MODES: readonly OnDemandMode[] = ['never', 'untrusted', 'listed', 'off-trusted'];

/** Networks a "listed" rule can choose from: the current one, the trusted ones, and those already listed. */
function choices(v: OnDemandView, listed: readonly KnownNetwork[]): KnownNetwork[] {
  const all = new Map<string, KnownNetwork>();
  const n = v.network;
  if (n?.key) all.set(n.key, { key: n.key, label: networkLabel(n) });
  for (const k of [...v.trusted, ...listed]) all.set(k.key, k);
  return [...all.values()];
}

export function CurrentNetwork({ network, trusted }: { network: NetworkIdentity | null; trusted: readonly KnownNetwork[] }) {
  const { t } = useI18n();
  const isTrusted = network?.key ? trusted.some((k) => k.key === network.key) : false;
  return (
    <div className="on-demand__network" data-testid="current-network">
      <span className="muted small">{t.onDemand.currentNetwork}</span>
      <span>{network ? t.onDemand.network(network) : t.onDemand.unknownNetwork}</span>
      {network?.key && (isTrusted
        ? <span className="badge">{t.onDemand.trusted}</span>
        : <button type="button" className="btn" data-testid="trust-network" onClick={() => act(ipc.invoke('ondemand:trustCurrent'))}>{t.onDemand.trustThis}</button>)}
    </div>
  );
}

export function OnDemandCard({ name }: { name: string }) {
  const { t } = useI18n();
  const v = useOnDemand();
  if (!v) return null;
  const rule = v.rules[name] ?? { mode: 'never' as const, networks: [] };
  const reason = v.byRule[name] ?? v.offByRule[name];
  const setRule = (mode: OnDemandMode, networks: readonly KnownNetwork[]) => act(ipc.invoke('ondemand:setRule', name, { mode, networks: [...networks] }));
  const options = choices(v, rule.networks);
  return (
    <section className="card" aria-labelledby="on-demand-title" data-testid="on-demand-card">
      <header className="card__head"><h2 id="on-demand-title">{t.onDemand.title}</h2></header>
      <CurrentNetwork network={v.network} trusted={v.trusted} />
      <label className="field">
        <span>{t.onDemand.rule}</span>
        <select value={rule.mode} data-testid="on-demand-mode" onChange={(e) => setRule(onDemandMode(e.target.value, 'mode', true), rule.networks)}>
          {MODES.map((m) => <option key={m} value={m}>{t.onDemand.modes[m]}</option>)}
        </select>
      </label>
      {rule.mode === 'listed' && (
        <fieldset className="on-demand__listed">
          <legend className="small">{t.onDemand.listedNetworks}</legend>
          {options.length === 0 && <p className="muted small">{t.onDemand.noKnownNetworks}</p>}
          {options.map((k) => {
            const checked = rule.networks.some((n) => n.key === k.key);
            return (
              <label key={k.key} className="check">
                <input type="checkbox" checked={checked}
                  onChange={() => setRule('listed', checked ? rule.networks.filter((n) => n.key !== k.key) : [...rule.networks, k])} />
                {k.label}
              </label>
            );
          })}
        </fieldset>
      )}
      {reason && <p className="muted small" data-testid="on-demand-reason">{t.onDemand.reasons[reason]}</p>}
      {v.suspended.includes(name) && <p className="muted small" data-testid="on-demand-suspended">{t.onDemand.suspended}</p>}
    </section>
  );
}

export function TrustedNetworks() {
  const { t } = useI18n();
  const v = useOnDemand();
  if (!v) return null;
  return (
    <section className="card" data-testid="trusted-networks">
      <header className="card__head"><h2>{t.onDemand.trustedNetworks}</h2></header>
      <p className="muted small">{t.onDemand.trustedHint}</p>
      <CurrentNetwork network={v.network} trusted={v.trusted} />
      {v.trusted.length === 0 ? <p className="muted">{t.onDemand.noTrusted}</p> : (
        <ul className="on-demand__trusted">
          {v.trusted.map((k) => (
            <li key={k.key}>
              <span>{k.label}</span>
              <button type="button" className="btn btn--danger-ghost" onClick={() => act(ipc.invoke('ondemand:untrust', k.key))}>{t.onDemand.untrust}</button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
