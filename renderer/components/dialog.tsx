// A modal built on <dialog>: the browser traps focus, Escape closes it, and
// focus returns where it was.
import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../lib/i18n/i18n.js';

export function Dialog(props: { title: string; onClose: () => void; children: ReactNode; wide?: boolean; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const { t } = useI18n();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog${props.wide ? ' dialog--wide' : ''}`}
      aria-labelledby="dialog-title"
      data-testid={props.testId}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <header className="dialog__head">
        <h2 id="dialog-title">{props.title}</h2>
        <button type="button" className="btn btn--ghost btn--icon" aria-label={t.close} onClick={props.onClose}>✕</button>
      </header>
      <div className="dialog__body">{props.children}</div>
    </dialog>
  );
}
