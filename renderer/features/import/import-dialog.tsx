// Import through the file chooser (many .conf, .zip and QR code images at
// once), by pasting text, or by pasting an image of a QR code. Drag and drop
// anywhere in the window uses the same path (app.tsx). Main decodes images.
import { useEffect, useRef, useState } from 'react';
import { formatImportFailure } from '../../../shared/ipc/import-format.js';
import type { ImportSummary } from '../../../shared/ipc/types.js';
import { Dialog } from '../../components/dialog.js';
import { Icon } from '../../components/icons.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { ipc, messageOf } from '../../lib/ipc.js';
import { pastedImages, readForImport } from './read-files.js';

export function ImportSummaryView({ summary }: { summary: ImportSummary }) {
  const { t } = useI18n();
  return (
    <div className={`banner ${summary.failed.length ? 'banner--degraded' : 'banner--ok'}`} role="status" data-testid="import-summary">
      <div>
        <strong>{t.importedCount(summary.imported.length, summary.total)}</strong>
        {summary.failed.length > 0 && (
          <ul className="summary-failures">
            {summary.failed.map((f, i) => (
              <li key={i} className="mono small" data-testid="import-failure">
                {f.image ? `${f.file}: ${t.qrImport.problem(f.image)}` : formatImportFailure(f)}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

export function ImportDialog({ onClose, onImported }: { onClose: () => void; onImported: (s: ImportSummary) => void }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [pasted, setPasted] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = (p: Promise<ImportSummary>) => {
    setBusy(true);
    return p.then(onImported, (e: unknown) => setError(messageOf(e))).finally(() => setBusy(false));
  };
  // An image pasted anywhere in the dialog (a screenshot of a QR code) is
  // imported at once; pasted text still goes to the text box.
  const nameRef = useRef(name);
  nameRef.current = name;
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const images = pastedImages(e.clipboardData, nameRef.current.trim() || 'pasted');
      if (images.length === 0) return;
      e.preventDefault();
      void run(readForImport(images).then((f) => ipc.invoke('tunnels:importFiles', f)));
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, []);

  return (
    <Dialog title={t.importTitle} onClose={onClose} testId="import-dialog">
      <div className="stack">
        <input
          ref={input}
          type="file"
          multiple
          accept=".conf,.zip,.png,.jpg,.jpeg,image/png,image/jpeg"
          hidden
          aria-label={t.a11y.chooseFilesInput}
          data-testid="import-file-input"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            if (files.length) void run(readForImport(files).then((f) => ipc.invoke('tunnels:importFiles', f)));
          }}
        />
        <button type="button" className="btn btn--primary btn--large" onClick={() => input.current?.click()} data-testid="choose-files">
          <Icon name="import" />{t.chooseFiles}
        </button>
        <p className="muted small">{t.importHint}</p>
        <p className="muted small" data-testid="qr-import-hint">{t.qrImport.hint}</p>
        {busy && <p className="muted small" role="status" data-testid="import-busy">{t.qrImport.reading}</p>}
        <hr />
        <label className="field">
          <span>{t.orPaste}</span>
          <textarea className="mono paste" rows={8} value={pasted} onChange={(e) => setPasted(e.target.value)} aria-label={t.pasteLabel} spellCheck={false} data-testid="paste-text" />
        </label>
        <label className="field">
          <span>{t.pasteName}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={15} placeholder="pasted" />
        </label>
        {error && <p className="banner banner--error" role="alert">{error}</p>}
        <div className="row-end">
          <button type="button" className="btn" disabled={pasted.trim() === ''} onClick={() => void run(ipc.invoke('tunnels:importText', pasted, name.trim() || null))}>
            {t.importPasted}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
