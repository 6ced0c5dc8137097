// Settings → Per-app routing: "Apps outside the tunnel" and "Apps in a
// chosen tunnel". Each list adds from the installed apps, removes, and
// starts an app through the helper into its route (main: splitapps:*).
import { useEffect, useState } from 'react';
import type { AppItem, LaunchResult, SplitAppsView } from '../../../shared/ipc/split-apps.js';
import { useTunnelNames } from '../../lib/hooks.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { ipc } from '../../lib/ipc.js';
import './split-apps.css';

export type Row = AppItem & { installed: boolean; tunnel?: string };

export function AppRow({ row, onRemove, onLaunch }: { row: Row; onRemove: () => void; onLaunch: () => void }) {
  const { t } = useI18n();
  return (
    <li data-testid={`split-app-${row.id}`}>
      <span className="split-apps__name">
        {row.name}
        {row.tunnel && <span className="badge">{row.tunnel}</span>}
        {!row.installed && <span className="muted small"> ({t.splitApps.notInstalled})</span>}
      </span>
      <span className="split-apps__actions">
        <button type="button" className="btn btn--small" disabled={!row.installed} onClick={onLaunch} data-testid={`split-launch-${row.id}`}>{t.splitApps.launch}</button>
        <button type="button" className="btn btn--small btn--ghost" onClick={onRemove}>{t.splitApps.remove}</button>
      </span>
    </li>
  );
}

/** A picker of installed apps not chosen yet, with a tunnel picker when `tunnels` is given. */
function AddApp({ installed, taken, tunnels, onAdd, testId }: {
  installed: readonly AppItem[]; taken: ReadonlySet<string>; tunnels?: readonly string[]; onAdd: (id: string, tunnel?: string) => void; testId: string;
}) {
  const { t } = useI18n();
  const [id, setId] = useState('');
  const [tunnel, setTunnel] = useState('');
  const choices = installed.filter((a) => !taken.has(a.id));
  const chosenTunnel = tunnel || tunnels?.[0] || '';
  return (
    <div className="split-apps__add">
      <select value={id} onChange={(e) => setId(e.target.value)} aria-label={t.splitApps.addApp} data-testid={`${testId}-app`}>
        <option value="">{t.splitApps.addApp}</option>
        {choices.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
      </select>
      {tunnels && (
        <select value={chosenTunnel} onChange={(e) => setTunnel(e.target.value)} aria-label={t.splitApps.chooseTunnel} data-testid={`${testId}-tunnel`}>
          {tunnels.map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      )}
      <button type="button" className="btn btn--small" disabled={!id || (tunnels !== undefined && !chosenTunnel)} data-testid={`${testId}-add`}
        onClick={() => { onAdd(id, tunnels ? chosenTunnel : undefined); setId(''); }}>{t.splitApps.add}</button>
    </div>
  );
}

/** The view from main, the lists as main takes them back, and starting an app with a note of how it went. */
export function useSplitApps() {
  const { t } = useI18n();
  const [view, setView] = useState<SplitAppsView | null>(null);
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);
  useEffect(() => { void ipc.invoke('splitapps:get').then(setView, () => undefined); }, []);
  const lists = view && { outside: view.outside.map((a) => a.id), pinned: view.pinned.map((p) => ({ id: p.id, tunnel: p.tunnel })) };
  const save = (next: NonNullable<typeof lists>) => void ipc.invoke('splitapps:set', next).then(setView, () => undefined);
  const launch = (row: Row) => {
    void ipc.invoke('splitapps:launch', row.id, row.tunnel ?? null).then((r: LaunchResult) => setNote(r.ok
      ? { text: t.splitApps.started(r.name), error: false }
      : { text: t.splitApps.failures[r.reason](row.tunnel ?? ''), error: true }));
  };
  return { view, lists, save, launch, note };
}

export function LaunchNote({ note }: { note: { text: string; error: boolean } | null }) {
  return note && <p className={`small ${note.error ? 'split-apps__error' : 'muted'}`} role="status" data-testid="split-apps-note">{note.text}</p>;
}

export function SplitAppsCard() {
  const { t } = useI18n();
  const tunnels = useTunnelNames();
  const { view, lists, save, launch, note } = useSplitApps();
  if (!view || !lists) return null;
  const taken = new Set([...lists.outside, ...lists.pinned.map((p) => p.id)]);

  return (
    <section className="card split-apps" aria-labelledby="split-apps-title" data-testid="split-apps-card">
      <header className="card__head"><h2 id="split-apps-title">{t.splitApps.title}</h2></header>
      <p className="muted small">{t.splitApps.hint}</p>
      <h3>{t.splitApps.outsideTitle}</h3>
      <p className="muted small">{t.splitApps.outsideHint}</p>
      <ul className="split-apps__list" data-testid="split-outside-list">
        {view.outside.length === 0 && <li className="muted small">{t.splitApps.noApps}</li>}
        {view.outside.map((row) => (
          <AppRow key={row.id} row={row} onLaunch={() => launch(row)}
            onRemove={() => save({ ...lists, outside: lists.outside.filter((id) => id !== row.id) })} />
        ))}
      </ul>
      <AddApp installed={view.installed} taken={taken} testId="split-outside" onAdd={(id) => save({ ...lists, outside: [...lists.outside, id] })} />
      <h3>{t.splitApps.pinnedTitle}</h3>
      <p className="muted small">{t.splitApps.pinnedHint}</p>
      <ul className="split-apps__list" data-testid="split-pinned-list">
        {view.pinned.length === 0 && <li className="muted small">{t.splitApps.noApps}</li>}
        {view.pinned.map((row) => (
          <AppRow key={row.id} row={row} onLaunch={() => launch(row)}
            onRemove={() => save({ ...lists, pinned: lists.pinned.filter((p) => p.id !== row.id) })} />
        ))}
      </ul>
      {tunnels.length > 0 && (
        <AddApp installed={view.installed} taken={taken} tunnels={tunnels} testId="split-pinned"
          onAdd={(id, tunnel) => save({ ...lists, pinned: [...lists.pinned, { id, tunnel: tunnel! }] })} />
      )}
      <LaunchNote note={note} />
    </section>
  );
}
