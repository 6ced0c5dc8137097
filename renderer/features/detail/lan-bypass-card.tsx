// "Exclude the network I'm on" in the detail view: the switch, the subnets
// that bypass the tunnel now (asked again every few seconds while it runs, as
// the helper follows network changes), and a warning when the strict kill
// switch blocks them anyway.
import { useEffect, useState } from 'react';
import type { LanBypassView } from '../../../shared/ipc/routing-options.js';
import type { Settings, TunnelState } from '../../../shared/ipc/types.js';
import { Toggle } from '../../components/toggle.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { ipc, messageOf } from '../../lib/ipc.js';

const REFRESH_MS = 3000;

function useKillSwitchBlocksLan(): boolean {
  const [s, setS] = useState<Settings | null>(null);
  useEffect(() => {
    void ipc.invoke('settings:get').then(setS, () => undefined);
    return ipc.on('settings:changed', setS);
  }, []);
  return !!s && s.killSwitch && !s.allowLan;
}

export function LanBypassCard({ name, state }: { name: string; state: TunnelState }) {
  const { t } = useI18n();
  const [view, setView] = useState<LanBypassView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const blocked = useKillSwitchBlocksLan();
  useEffect(() => {
    let live = true;
    const load = () => void ipc.invoke('tunnels:lanBypass', name).then((v) => live && setView(v), () => undefined);
    load();
    const timer = state === 'down' ? null : setInterval(load, REFRESH_MS);
    return () => { live = false; if (timer) clearInterval(timer); };
  }, [name, state]);
  if (!view) return null;
  const change = async (on: boolean) => {
    setBusy(true);
    setError(null);
    try { setView(await ipc.invoke('tunnels:setExcludeLan', name, on)); } catch (e) { setError(messageOf(e)); } finally { setBusy(false); }
  };
  const r = t.routing;
  return (
    <section className="card" aria-labelledby="lan-title" data-testid="lan-bypass-card">
      <header className="card__head">
        <h2 id="lan-title">{r.lanTitle}</h2>
        <Toggle checked={view.on} busy={busy} label={r.excludeLan} testId="exclude-lan-toggle" onChange={(on) => void change(on)} />
      </header>
      <p className="small"><strong>{r.excludeLan}</strong></p>
      <p className="muted small">{r.excludeLanHint}</p>
      {view.on && (view.running ? (
        <div data-testid="lan-bypass-prefixes">
          <span className="muted small">{r.lanNow}</span>
          {view.prefixes.length === 0 ? <p className="muted small">{r.lanNone}</p> : <ul className="mono small">{view.prefixes.map((p) => <li key={p}>{p}</li>)}</ul>}
        </div>
      ) : <p className="muted small">{r.lanWhenOn}</p>)}
      {view.on && blocked && <p className="banner banner--degraded small" role="note">{r.killSwitchBlocks}</p>}
      {error && <p className="banner banner--error" role="alert">{error}</p>}
    </section>
  );
}
