// The window with no tunnels: the three ways to a first tunnel, as the
// WireGuard project's own quick start offers them (import a config, create
// one, or try the demo server). Each is a real button named by its title
// and described by its one-line explanation, which sits beside the button
// (not in it) so the name is all of the button's visible text; the button's
// ::after covers the card, so the whole card is still the click target.
import type { IconName } from '../../components/icons.js';
import { Icon } from '../../components/icons.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import './first-run.css';

interface Choice {
  readonly id: 'import' | 'create' | 'demo';
  readonly icon: IconName;
  readonly title: string;
  readonly body: string;
  readonly onClick: () => void;
}

export function FirstRun(props: { onImport: () => void; onCreate: () => void; onDemo: () => void }) {
  const { t } = useI18n();
  const choices: Choice[] = [
    { id: 'import', icon: 'import', title: t.firstRunImport, body: t.firstRunImportBody, onClick: props.onImport },
    { id: 'create', icon: 'plus', title: t.firstRunCreate, body: t.firstRunCreateBody, onClick: props.onCreate },
    { id: 'demo', icon: 'play', title: t.firstRunDemo, body: t.firstRunDemoBody, onClick: props.onDemo },
  ];
  return (
    <div className="empty" data-testid="empty-state">
      <Icon name="shield" size={56} />
      <h1 tabIndex={-1}>{t.noTunnelsTitle}</h1>
      <p>{t.noTunnelsBody}</p>
      <ul className="first-run__choices" aria-label={t.firstRunChoices}>
        {choices.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              className="choice"
              onClick={c.onClick}
              aria-describedby={`choice-${c.id}-body`}
              data-testid={`first-run-${c.id}`}
            >
              <Icon name={c.icon} size={22} />
              <span className="choice__title">{c.title}</span>
            </button>
            <span id={`choice-${c.id}-body`} className="choice__body">{c.body}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
