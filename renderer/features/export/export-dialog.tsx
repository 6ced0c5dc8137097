// Export one tunnel (.conf or QR) or all (.zip). Each starts with the
// warning that a private key is inside; nothing is fetched before consent.
import { useState } from 'react';
import type { QrCode } from '../../../shared/ipc/types.js';
import { Dialog } from '../../components/dialog.js';
import { Icon } from '../../components/icons.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { ipc, messageOf } from '../../lib/ipc.js';
import { QrImage } from './qr-code.js';

export function ExportDialog({ name, onClose }: { name: string | null; onClose: () => void }) {
  const { t } = useI18n();
  const [consented, setConsented] = useState(false);
  const [qr, setQr] = useState<QrCode | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const done = (p: Promise<boolean>) => p.then((ok) => ok && setNote(t.saved), (e: unknown) => setNote(messageOf(e)));

  return (
    <Dialog title={qr ? t.qrTitle : name ? t.exportTitle(name) : t.exportAllTitle} onClose={onClose} testId="export-dialog">
      {!consented ? (
        <div className="stack">
          <div className="banner banner--degraded" role="alert" data-testid="private-key-warning">
            <Icon name="alert" size={20} />
            <p>{t.privateKeyWarning}</p>
          </div>
          <div className="row-end">
            <button type="button" className="btn" onClick={onClose}>{t.cancel}</button>
            <button type="button" className="btn btn--primary" onClick={() => setConsented(true)} data-testid="export-consent">{t.understandContinue}</button>
          </div>
        </div>
      ) : qr ? (
        <div className="stack qr-wrap">
          <QrImage qr={qr} label={t.qrTitle} />
          <p className="muted small">{t.qrHint}</p>
        </div>
      ) : (
        <div className="stack">
          {name ? (
            <>
              <button type="button" className="btn btn--large" onClick={() => void done(ipc.invoke('tunnels:exportConf', name))}><Icon name="export" />{t.exportConf}</button>
              <button type="button" className="btn btn--large" onClick={() => void ipc.invoke('tunnels:qr', name).then(setQr, (e: unknown) => setNote(messageOf(e)))} data-testid="export-qr"><Icon name="qr" />{t.showQr}</button>
            </>
          ) : (
            <button type="button" className="btn btn--large" onClick={() => void done(ipc.invoke('tunnels:exportAll'))}><Icon name="export" />{t.exportZip}</button>
          )}
          {note && <p role="status" className="muted">{note}</p>}
        </div>
      )}
    </Dialog>
  );
}
