// A tunnel's detail view: the apps pinned to it (Settings → Per-app
// routing chooses them), each started from here into this tunnel only.
import { useI18n } from '../../lib/i18n/i18n.js';
import { AppRow, LaunchNote, useSplitApps } from './split-apps-card.js';
import './split-apps.css';

export function PinnedAppsCard({ name }: { name: string }) {
  const { t } = useI18n();
  const { view, lists, save, launch, note } = useSplitApps();
  if (!view || !lists) return null;
  const rows = view.pinned.filter((p) => p.tunnel === name);
  return (
    <section className="card split-apps" aria-labelledby="pinned-apps-title" data-testid="pinned-apps-card">
      <header className="card__head"><h2 id="pinned-apps-title">{t.splitApps.pinnedHere}</h2></header>
      {rows.length === 0 ? <p className="muted small">{t.splitApps.nonePinnedHere}</p> : (
        <ul className="split-apps__list">
          {rows.map((row) => (
            <AppRow key={row.id} row={row} onLaunch={() => launch(row)}
              onRemove={() => save({ ...lists, pinned: lists.pinned.filter((p) => p.id !== row.id) })} />
          ))}
        </ul>
      )}
      <LaunchNote note={note} />
    </section>
  );
}
