// Failover groups in the sidebar: one switch per group, the member in use
// and why, and the way into the group editor.
import { memo } from 'react';
import { Icon } from '../../components/icons.js';
import { Toggle } from '../../components/toggle.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { ipc, messageOf } from '../../lib/ipc.js';
import { useGroups } from './use-groups.js';

export const GroupList = memo(function GroupList(props: { onEdit: (name: string | null) => void; onError: (message: string) => void }) {
  const groups = useGroups();
  const { t } = useI18n();
  const g = t.groups;
  return (
    <section className="group-list" aria-label={g.title} data-testid="group-list">
      <h2 className="sidebar__label group-list__head">
        <span>{g.title}</span>
        <button type="button" className="btn btn--ghost btn--icon" aria-label={g.newGroup} title={g.newGroup} onClick={() => props.onEdit(null)} data-testid="new-group"><Icon name="plus" /></button>
      </h2>
      <ul className="tunnel-list">
        {groups.map((s) => (
          <li key={s.name} className={`tunnel-row${s.on ? ' tunnel-row--up' : ''}`} data-testid={`group-row-${s.name}`} data-active={s.active ?? ''}>
            <button type="button" className="tunnel-row__main" onClick={() => props.onEdit(s.name)} aria-label={g.edit(s.name)}>
              <span className={`state-dot state-dot--${s.on ? 'up' : 'down'}`} aria-hidden="true" />
              <span className="tunnel-row__text">
                <span className="tunnel-row__name">{s.name}</span>
                <span className="tunnel-row__sub">{s.on && s.active ? g.active(s.active) : `${g.off} · ${s.members.join(' → ')}`}</span>
                {s.on && s.reason && <span className="tunnel-row__sub group-row__reason" data-testid={`group-reason-${s.name}`}>{g.reason(s.reason)}</span>}
              </span>
            </button>
            <Toggle
              checked={s.on}
              label={s.on ? g.switchOff(s.name) : g.switchOn(s.name)}
              testId={`group-toggle-${s.name}`}
              onChange={(next) => void ipc.invoke('groups:setActive', s.name, next).catch((e: unknown) => props.onError(messageOf(e)))}
            />
          </li>
        ))}
      </ul>
    </section>
  );
});
