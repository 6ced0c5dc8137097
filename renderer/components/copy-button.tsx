// Copies public text through main (the clipboard works the same in every
// window state) and says so for a moment.
import { useState } from 'react';
import { ipc } from '../lib/ipc.js';
import { useI18n } from '../lib/i18n/i18n.js';
import { Icon } from './icons.js';

export function CopyButton({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const { t } = useI18n();
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="btn btn--ghost btn--small"
      aria-label={label}
      title={label}
      data-testid={testId}
      onClick={() => {
        void ipc.invoke('clipboard:write', text).then(() => {
          setDone(true);
          setTimeout(() => setDone(false), 1500);
        });
      }}
    >
      <Icon name="copy" size={14} />
      <span aria-live="polite">{done ? t.copied : t.copy}</span>
    </button>
  );
}
