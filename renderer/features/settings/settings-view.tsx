// Settings: start at login / hidden, default kill switch with LAN access,
// trusted networks, per-app routing, the dead-tunnel time, language, theme,
// and the helper service.
import { useEffect, useState } from 'react';
import type { HelperStatus, Settings } from '../../../shared/ipc/types.js';
import { Icon } from '../../components/icons.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { ipc } from '../../lib/ipc.js';
import { TrustedNetworks } from '../on-demand/on-demand-card.js';
import { SplitAppsCard } from '../split-apps/split-apps-card.js';

function Check(props: { label: string; checked: boolean; disabled?: boolean; onChange: (v: boolean) => void; testId?: string }) {
  return (
    <label className={`check${props.disabled ? ' is-disabled' : ''}`}>
      <input type="checkbox" checked={props.checked} disabled={props.disabled} onChange={(e) => props.onChange(e.target.checked)} data-testid={props.testId} />
      <span>{props.label}</span>
    </label>
  );
}

export function SettingsView({ settings, version, onClose }: { settings: Settings; version: string; onClose: () => void }) {
  const { t } = useI18n();
  const [helper, setHelper] = useState<HelperStatus | null>(null);
  useEffect(() => {
    void ipc.invoke('helper:status').then(setHelper);
    return ipc.on('helper:status', setHelper);
  }, []);
  const set = (patch: Partial<Settings>) => void ipc.invoke('settings:set', patch);

  return (
    <article className="settings" aria-labelledby="settings-title" data-testid="settings-view">
      <header className="detail__head">
        <div className="detail__title">
          <button type="button" className="btn btn--ghost btn--icon" aria-label={t.back} onClick={onClose}><Icon name="back" /></button>
          <h1 tabIndex={-1} id="settings-title">{t.settingsTitle}</h1>
        </div>
      </header>
      <div className="detail__body settings__body">
        <section className="card">
          <header className="card__head"><h2>{t.general}</h2></header>
          <Check label={t.startAtLogin} checked={settings.startAtLogin} onChange={(v) => set({ startAtLogin: v })} />
          <Check label={t.startHidden} checked={settings.startHidden} onChange={(v) => set({ startHidden: v })} />
          <Check label={t.restoreTunnels} checked={settings.restoreTunnels} onChange={(v) => set({ restoreTunnels: v })} testId="restore-tunnels" />
        </section>
        <section className="card">
          <header className="card__head"><h2>{t.security}</h2></header>
          <Check label={t.killSwitch} checked={settings.killSwitch} onChange={(v) => set({ killSwitch: v })} testId="kill-switch" />
          <Check label={t.allowLan} checked={settings.allowLan} disabled={!settings.killSwitch} onChange={(v) => set({ allowLan: v })} />
        </section>
        <TrustedNetworks />
        <SplitAppsCard />
        <section className="card">
          <header className="card__head"><h2>{t.connection}</h2></header>
          <label className="field">
            <span>{t.deadAfter}</span>
            <select value={settings.deadAfterSeconds} onChange={(e) => set({ deadAfterSeconds: Number(e.target.value) })} data-testid="dead-after-select">
              {[...new Set([10, 20, 30, 60, 120, settings.deadAfterSeconds])].sort((a, b) => a - b).map((n) => <option key={n} value={n}>{t.seconds(n)}</option>)}
            </select>
          </label>
        </section>
        <section className="card">
          <header className="card__head"><h2>{t.appearance}</h2></header>
          <div className="form-grid">
            <label className="field">
              <span>{t.language}</span>
              <select value={settings.language} onChange={(e) => set({ language: e.target.value as Settings['language'] })} data-testid="language-select">
                {(['system', 'en', 'ja'] as const).map((l) => <option key={l} value={l}>{t.languages[l]}</option>)}
              </select>
            </label>
            <label className="field">
              <span>{t.theme}</span>
              <select value={settings.theme} onChange={(e) => set({ theme: e.target.value as Settings['theme'] })} data-testid="theme-select">
                {(['system', 'light', 'dark'] as const).map((l) => <option key={l} value={l}>{t.themes[l]}</option>)}
              </select>
            </label>
          </div>
        </section>
        <section className="card">
          <header className="card__head"><h2>{t.helper}</h2><span className={`badge badge--helper-${helper?.state ?? 'idle'}`}>{helper ? t.helperState[helper.state] : '…'}</span></header>
          {helper?.message && <p className="muted">{helper.message}</p>}
          {helper?.installed === 'current' ? <p className="muted">{t.helperInstalled}</p> : helper && (
            <>
              <p className="muted small">{helper.installed === 'none' ? t.setUpHelperHint : t.updateHelperHint}</p>
              <div>
                <button type="button" className="btn" data-testid="helper-setup" onClick={() => void ipc.invoke('helper:setup').then(setHelper)}>
                  {helper.installed === 'none' ? t.setUpHelper : t.updateHelper}
                </button>
              </div>
            </>
          )}
          {(helper?.state === 'failed' || helper?.state === 'reconnecting') && (
            <div><button type="button" className="btn" onClick={() => void ipc.invoke('helper:restart').then(setHelper)}>{t.restartHelper}</button></div>
          )}
        </section>
        <p className="muted small" data-testid="shortcut-help">{t.a11y.shortcuts}</p>
        <p className="muted small">{t.version(version)}</p>
      </div>
    </article>
  );
}
