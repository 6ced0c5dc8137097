// Asks before something that cannot be undone.
import { Dialog } from './dialog.js';
import { useI18n } from '../lib/i18n/i18n.js';

export function ConfirmDialog(props: { title: string; body: string; confirm: string; onClose: () => void; onConfirm: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <p>{props.body}</p>
      <div className="row-end">
        <button type="button" className="btn" onClick={props.onClose}>{t.cancel}</button>
        <button type="button" className="btn btn--danger" onClick={props.onConfirm}>{props.confirm}</button>
      </div>
    </Dialog>
  );
}
