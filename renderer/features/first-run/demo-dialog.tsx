// "Try the WireGuard demo server": the host (demo.wireguard.com unless the
// user changes it), what will happen, and one button. Main does the
// exchange and saves the tunnel; a failure comes back as data and is worded
// here, so it follows the language setting.
import { useState } from 'react';
import type { DemoFailure } from '../../../shared/ipc/types.js';
import { DEMO_DEFAULT_HOST } from '../../../shared/demo/demo-protocol.js';
import { Dialog } from '../../components/dialog.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { ipc, messageOf } from '../../lib/ipc.js';

type Problem = { readonly failure: DemoFailure } | { readonly message: string };

export function DemoDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (name: string) => void }) {
  const { t } = useI18n();
  const [host, setHost] = useState(DEMO_DEFAULT_HOST);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const create = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const r = await ipc.invoke('tunnels:createDemo', host.trim());
      if (r.ok) onCreated(r.name);
      else setProblem({ failure: r.failure });
    } catch (e) {
      setProblem({ message: messageOf(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t.demoTitle} onClose={onClose} testId="demo-dialog">
      <form className="stack" onSubmit={(e) => { e.preventDefault(); void create(); }}>
        <p>{t.demoIntro}</p>
        <p className="muted small">{t.demoScope}</p>
        {/* The hint stays outside the label so the field's name is just "Demo server"; it is the description. */}
        <div className="field">
          <label className="field">
            <span>{t.demoHost}</span>
            <input
              type="text"
              value={host}
              onChange={(e) => setHost(e.target.value)}
              maxLength={300}
              spellCheck={false}
              autoCapitalize="off"
              autoComplete="off"
              readOnly={busy}
              aria-describedby="demo-host-hint"
              aria-invalid={problem !== null && 'failure' in problem && problem.failure.code === 'bad-host'}
              data-testid="demo-host"
            />
          </label>
          <small id="demo-host-hint" className="muted">{t.demoHostHint}</small>
        </div>
        {problem && (
          <p className="banner banner--error" role="alert" data-testid="demo-error" data-code={'failure' in problem ? problem.failure.code : 'ipc'}>
            {'failure' in problem ? t.demoFailure(problem.failure) : problem.message}
          </p>
        )}
        <div className="row-end">
          <button type="button" className="btn" onClick={onClose}>{t.cancel}</button>
          <button type="submit" className="btn btn--primary" disabled={busy || host.trim() === ''} aria-busy={busy} data-testid="demo-create">
            {busy ? t.demoBusy : t.demoCreate}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
