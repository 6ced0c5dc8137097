// A modal built on <dialog>: showModal() makes the rest of the window inert,
// Tab and Shift+Tab wrap inside it (the browser would otherwise leave for
// its own chrome), Escape closes it, and on close focus goes back to the
// control that opened it, or to <main> when that control is gone.
import { useEffect, useId, useLayoutEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useI18n } from '../lib/i18n/i18n.js';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The dialog's focusable controls that can be seen, in tab order. */
export function focusableIn(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hidden && el.getClientRects().length > 0);
}

function trapTab(e: KeyboardEvent<HTMLDialogElement>): void {
  if (e.key !== 'Tab') return;
  const items = focusableIn(e.currentTarget);
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return;
  const active = document.activeElement;
  if (e.shiftKey && (active === first || active === e.currentTarget)) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && active === last) {
    e.preventDefault();
    first.focus();
  }
}

export function Dialog(props: { title: string; onClose: () => void; children: ReactNode; wide?: boolean; testId?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const opener = useRef<Element | null>(null);
  const titleId = useId();
  const { t } = useI18n();
  useLayoutEffect(() => {
    opener.current = document.activeElement;
  }, []);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) {
      d.showModal();
      // Start on the dialog's first own control rather than its close button.
      const body = d.querySelector<HTMLElement>('.dialog__body');
      const first = body ? focusableIn(body)[0] : undefined;
      // focusVisible: a dialog opened by a shortcut (Ctrl+I) still shows where focus is.
      first?.focus({ focusVisible: true } as FocusOptions);
    }
    return () => {
      d?.close();
      const back = opener.current;
      // After a delete or an import the opener may be gone; <main> is the next best place.
      const target = back instanceof HTMLElement && back.isConnected && back !== document.body ? back : document.getElementById('main');
      target?.focus();
    };
  }, []);
  useEffect(() => {
    // A step inside the dialog replaced the focused control (Continue → the export choices): start on the new first one.
    const d = ref.current;
    if (d?.open && (document.activeElement === document.body || document.activeElement === d)) {
      const body = d.querySelector<HTMLElement>('.dialog__body');
      (body ? focusableIn(body)[0] : undefined)?.focus();
    }
  });
  return (
    <dialog
      ref={ref}
      className={`dialog${props.wide ? ' dialog--wide' : ''}`}
      aria-labelledby={titleId}
      data-testid={props.testId}
      onKeyDown={trapTab}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <header className="dialog__head">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" className="btn btn--ghost btn--icon" aria-label={t.close} title={t.close} onClick={props.onClose}><span aria-hidden="true">✕</span></button>
      </header>
      <div className="dialog__body">{props.children}</div>
    </dialog>
  );
}
