// The window's keyboard shortcuts, as a pure mapping from a key press to an
// action (app.tsx carries the actions out). Escape belongs to <dialog>.
export type Shortcut = 'import' | 'new' | 'filter' | 'delete';

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
  /** The key went to a text field, a select or a contenteditable: Delete edits text there. */
  readonly inField: boolean;
}

export const SHORTCUT_KEYS: Readonly<Record<Shortcut, string>> = { import: 'Ctrl+I', new: 'Ctrl+N', filter: 'Ctrl+F', delete: 'Delete' };

export function shortcutOf(k: KeyPress): Shortcut | null {
  const ctrl = (k.ctrlKey || k.metaKey) && !k.altKey && !k.shiftKey;
  if (ctrl) {
    const key = k.key.toLowerCase();
    if (key === 'i') return 'import';
    if (key === 'n') return 'new';
    if (key === 'f') return 'filter';
    return null;
  }
  if (k.key === 'Delete' && !k.ctrlKey && !k.metaKey && !k.altKey && !k.shiftKey && !k.inField) return 'delete';
  return null;
}

/** Whether an element takes typed text (where Delete must keep its meaning). */
export function isField(el: { readonly tagName: string; readonly type?: string; readonly isContentEditable?: boolean } | null): boolean {
  if (!el) return false;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file'].includes(el.type ?? 'text');
  return el.isContentEditable === true;
}
