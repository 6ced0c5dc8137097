// The window: sidebar (tunnel list, import/new/settings) and the main pane
// (detail, editor or settings), dialogs on top, and drop-anywhere import.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppInfo, ImportSummary, Settings } from '../shared/ipc/types.js';
import { ConfirmDialog } from './components/confirm-dialog.js';
import { Icon } from './components/icons.js';
import { LiveRegionProvider } from './components/live-region.js';
import { TunnelDetailView } from './features/detail/tunnel-detail.js';
import { EditorView } from './features/editor/editor-view.js';
import { ExportDialog } from './features/export/export-dialog.js';
import { DemoDialog } from './features/first-run/demo-dialog.js';
import { FirstRun } from './features/first-run/first-run.js';
import { ImportDialog, ImportSummaryView } from './features/import/import-dialog.js';
import { readForImport } from './features/import/read-files.js';
import { SettingsView } from './features/settings/settings-view.js';
import { StateAnnouncer } from './features/tunnels/state-announcer.js';
import { TunnelFilter, TunnelList } from './features/tunnels/tunnel-list.js';
import { GroupEditor } from './features/groups/group-editor.js';
import { GroupList } from './features/groups/group-list.js';
import { useToggle } from './features/tunnels/use-toggle.js';
import { useTunnelNames } from './lib/hooks.js';
import { useI18n } from './lib/i18n/i18n.js';
import { ipc, messageOf } from './lib/ipc.js';
import { isField, shortcutOf } from './lib/shortcuts.js';

type Pane = { kind: 'tunnel' } | { kind: 'editor'; original: string | null } | { kind: 'settings' } | { kind: 'group'; original: string | null };
type Modal = { kind: 'import' } | { kind: 'demo' } | { kind: 'export'; name: string | null } | { kind: 'remove'; name: string } | null;

export function App({ settings, info }: { settings: Settings; info: AppInfo }) {
  const { t } = useI18n();
  const names = useTunnelNames();
  const [selected, setSelected] = useState<string | null>(null);
  const [pane, setPane] = useState<Pane>({ kind: 'tunnel' });
  const [modal, setModal] = useState<Modal>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [filter, setFilter] = useState('');
  const onToggle = useToggle(setError);
  const current = selected && names.includes(selected) ? selected : (names[0] ?? null);

  const imported = useCallback((s: ImportSummary) => {
    setSummary(s);
    setModal(null);
    if (s.imported[0]) setSelected(s.imported[0].name);
  }, []);

  useEffect(() => ipc.on('app:navigate', (to) => {
    if (to.view === 'import') setModal({ kind: 'import' });
    if (to.view === 'settings') setPane({ kind: 'settings' });
    if (to.view === 'list') setPane({ kind: 'tunnel' });
    if (to.view === 'tunnel') {
      setSelected(to.name);
      setPane({ kind: 'tunnel' });
    }
  }), []);

  useShortcuts({
    import: () => setModal({ kind: 'import' }),
    new: () => setPane({ kind: 'editor', original: null }),
    delete: pane.kind === 'tunnel' && current ? () => setModal({ kind: 'remove', name: current }) : null,
  });
  useFocusOnPaneChange(pane.kind);

  const drop = (e: React.DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files];
    if (files.length) void readForImport(files).then((f) => ipc.invoke('tunnels:importFiles', f)).then(imported, (err: unknown) => setError(messageOf(err)));
  };

  return (
    <LiveRegionProvider>
    <StateAnnouncer />
    <div
      className={`shell${dragging ? ' shell--dragging' : ''}`}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => e.currentTarget === e.target && setDragging(false)}
      onDrop={drop}
    >
      <aside className="sidebar" aria-label={t.tunnels}>
        <div className="brand">
          <img src="./icon.png" alt="" width={28} height={28} />
          <span>{t.appName}</span>
        </div>
        <div className="sidebar__actions">
          <button type="button" className="btn btn--primary" onClick={() => setModal({ kind: 'import' })} aria-keyshortcuts="Control+I" data-testid="open-import"><Icon name="import" />{t.import}</button>
          <button type="button" className="btn" onClick={() => setPane({ kind: 'editor', original: null })} aria-keyshortcuts="Control+N" data-testid="new-tunnel"><Icon name="plus" />{t.newTunnel}</button>
        </div>
        <h2 className="sidebar__label">{t.tunnels}</h2>
        {names.length > 0 && <TunnelFilter value={filter} onChange={setFilter} />}
        <TunnelList selected={pane.kind === 'tunnel' ? current : null} filter={filter} onSelect={(n) => { setSelected(n); setPane({ kind: 'tunnel' }); }} onToggle={onToggle} />
        {names.length >= 2 && <GroupList onEdit={(original) => setPane({ kind: 'group', original })} onError={setError} />}
        <div className="sidebar__foot">
          <button type="button" className="btn btn--ghost" onClick={() => setModal({ kind: 'export', name: null })} disabled={names.length === 0}><Icon name="export" />{t.exportAll}</button>
          <button type="button" className="btn btn--ghost" onClick={() => setPane({ kind: 'settings' })} data-testid="open-settings"><Icon name="settings" />{t.settings}</button>
        </div>
      </aside>
      <main className="main" id="main" tabIndex={-1}>
        {(summary || error) && (
          <div className="toasts">
            {summary && <div className="toast"><ImportSummaryView summary={summary} /><button type="button" className="btn btn--ghost btn--icon" aria-label={t.close} onClick={() => setSummary(null)}><span aria-hidden="true">✕</span></button></div>}
            {error && <div className="toast"><p className="banner banner--error" role="alert">{error}</p><button type="button" className="btn btn--ghost btn--icon" aria-label={t.close} onClick={() => setError(null)}><span aria-hidden="true">✕</span></button></div>}
          </div>
        )}
        {pane.kind === 'group' ? (
          <GroupEditor key={pane.original ?? '(new)'} original={pane.original} onClose={() => setPane({ kind: 'tunnel' })} />
        ) : pane.kind === 'settings' ? (
          <SettingsView settings={settings} version={info.version} onClose={() => setPane({ kind: 'tunnel' })} />
        ) : pane.kind === 'editor' ? (
          <EditorView key={pane.original ?? '(new)'} original={pane.original} onClose={() => setPane({ kind: 'tunnel' })} onSaved={(n) => { setSelected(n); setPane({ kind: 'tunnel' }); }} />
        ) : current ? (
          <TunnelDetailView
            key={current}
            name={current}
            onToggle={onToggle}
            onEdit={() => setPane({ kind: 'editor', original: current })}
            onExport={() => setModal({ kind: 'export', name: current })}
            onRemove={() => setModal({ kind: 'remove', name: current })}
          />
        ) : (
          <FirstRun
            onImport={() => setModal({ kind: 'import' })}
            onCreate={() => setPane({ kind: 'editor', original: null })}
            onDemo={() => setModal({ kind: 'demo' })}
          />
        )}
      </main>
      {dragging && <div className="dropzone" aria-hidden="true"><Icon name="import" size={40} /><p>{t.dropHere}</p></div>}
      {modal?.kind === 'import' && <ImportDialog onClose={() => setModal(null)} onImported={imported} />}
      {modal?.kind === 'demo' && <DemoDialog onClose={() => setModal(null)} onCreated={(n) => { setModal(null); setSelected(n); setPane({ kind: 'tunnel' }); }} />}
      {modal?.kind === 'export' && <ExportDialog name={modal.name} onClose={() => setModal(null)} />}
      {modal?.kind === 'remove' && (
        <RemoveDialog name={modal.name} onClose={() => setModal(null)} onError={setError} />
      )}
    </div>
    </LiveRegionProvider>
  );
}

/** Ctrl+I, Ctrl+N, Ctrl+F and Delete (lib/shortcuts.ts); an open dialog keeps the keyboard to itself. */
function useShortcuts(actions: { import: () => void; new: () => void; delete: (() => void) | null }) {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = shortcutOf({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, shiftKey: e.shiftKey, inField: isField(document.activeElement) });
      if (!s || document.querySelector('dialog[open]')) return;
      const a = latest.current;
      if (s === 'delete' && !a.delete) return;
      e.preventDefault();
      if (s === 'filter') {
        // The innermost filter on screen: the log's when the Logs tab is open, else the tunnel list's.
        const field = [...document.querySelectorAll<HTMLInputElement>('[data-shortcut="filter"]')].filter((el) => el.getClientRects().length > 0).at(-1);
        field?.focus();
        field?.select();
      } else if (s === 'delete') a.delete?.();
      else a[s]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** A new pane (editor, settings, a tunnel after saving) starts at its heading, so focus is never lost on <body>. */
function useFocusOnPaneChange(kind: Pane['kind']) {
  const last = useRef(kind);
  useEffect(() => {
    if (last.current === kind) return;
    last.current = kind;
    // The pane renders its heading in this commit; the detail may wait for its summary.
    requestAnimationFrame(() => document.querySelector<HTMLElement>('#main h1')?.focus());
  }, [kind]);
}

function RemoveDialog({ name, onClose, onError }: { name: string; onClose: () => void; onError: (m: string) => void }) {
  const { t } = useI18n();
  return (
    <ConfirmDialog title={t.remove} body={t.confirmRemove(name)} confirm={t.remove} onClose={onClose}
      onConfirm={() => void ipc.invoke('tunnels:remove', name).then(onClose, (e: unknown) => onError(messageOf(e)))} />
  );
}
