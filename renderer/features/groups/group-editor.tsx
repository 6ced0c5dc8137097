// Creating and editing a failover group: its name, its tunnels in order
// (the first is the primary), and its timings. Main checks every save and
// answers a refused one with a sentence, shown here as it is.
import { useState } from 'react';
import { GROUP_DEFAULTS, GROUP_TIMING_RANGES, type GroupSpec } from '../../../shared/ipc/groups.js';
import { Icon } from '../../components/icons.js';
import { useTunnelNames } from '../../lib/hooks.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { ipc, messageOf } from '../../lib/ipc.js';
import { useGroups } from './use-groups.js';

type Timing = 'holdSeconds' | 'dwellSeconds' | 'failAfterSeconds';
const clamp = (v: number, [lo, hi]: readonly [number, number]) => Math.min(hi, Math.max(lo, v));

export function GroupEditor({ original, onClose }: { original: string | null; onClose: () => void }) {
  const { t } = useI18n();
  const g = t.groups;
  const groups = useGroups();
  const tunnels = useTunnelNames();
  const existing = original === null ? undefined : groups.find((x) => x.name === original)?.spec;
  const [draft, setDraft] = useState<GroupSpec | null>(null);
  const [error, setError] = useState<string | null>(null);
  const spec: GroupSpec = draft ?? existing ?? { name: '', members: [] };
  const edit = (patch: Partial<GroupSpec>) => setDraft({ ...spec, ...patch });
  const taken = new Set(groups.filter((x) => x.name !== original).flatMap((x) => x.members));
  const free = tunnels.filter((n) => !spec.members.includes(n) && !taken.has(n));
  const move = (i: number, by: number) => {
    const members = [...spec.members];
    const [m] = members.splice(i, 1);
    members.splice(i + by, 0, m!);
    edit({ members });
  };
  const timing = (key: Timing, label: string) => (
    <label className="field">
      <span>{label}</span>
      <input type="number" min={GROUP_TIMING_RANGES[key][0]} max={GROUP_TIMING_RANGES[key][1]} value={spec[key] ?? GROUP_DEFAULTS[key]} data-testid={`group-${key}`}
        onChange={(e) => edit({ [key]: clamp(Math.round(Number(e.target.value) || 0), GROUP_TIMING_RANGES[key]) })} />
    </label>
  );
  const save = () => void ipc.invoke('groups:save', original, spec).then(onClose, (e: unknown) => setError(messageOf(e)));
  const remove = () => original !== null && void ipc.invoke('groups:remove', original).then(onClose, (e: unknown) => setError(messageOf(e)));

  return (
    <article className="settings" aria-labelledby="group-title" data-testid="group-editor">
      <header className="detail__head">
        <div className="detail__title">
          <button type="button" className="btn btn--ghost btn--icon" aria-label={t.back} onClick={onClose}><Icon name="back" /></button>
          <h1 tabIndex={-1} id="group-title">{original === null ? g.editorTitleNew : g.editorTitle(original)}</h1>
        </div>
      </header>
      <div className="detail__body">
        <p className="muted">{g.editorHint}</p>
        {error && <p className="banner banner--error" role="alert" data-testid="group-error">{error}</p>}
        <section className="card">
          <label className="field">
            <span>{g.name}</span>
            <input value={spec.name} maxLength={64} onChange={(e) => edit({ name: e.target.value })} data-testid="group-name" />
          </label>
          <fieldset className="field">
            <legend>{g.members}</legend>
            <ol className="group-members" data-testid="group-members">
              {spec.members.map((m, i) => (
                <li key={m} className="group-members__item">
                  <span className="group-members__name">{m}{i === 0 && <em className="muted"> · {g.primary}</em>}</span>
                  <button type="button" className="btn btn--ghost btn--icon" aria-label={g.moveUp(m)} disabled={i === 0} onClick={() => move(i, -1)}><Icon name="up" /></button>
                  <button type="button" className="btn btn--ghost btn--icon" aria-label={g.moveDown(m)} disabled={i === spec.members.length - 1} onClick={() => move(i, 1)}><Icon name="down" /></button>
                  <button type="button" className="btn btn--ghost btn--icon" aria-label={g.removeMember(m)} onClick={() => edit({ members: spec.members.filter((x) => x !== m) })}><Icon name="trash" /></button>
                </li>
              ))}
            </ol>
            {free.length > 0 ? (
              <select value="" aria-label={g.addMember} onChange={(e) => e.target.value && edit({ members: [...spec.members, e.target.value] })} data-testid="group-add">
                <option value="">{g.addMember}</option>
                {free.map((n) => <option key={n} value={n}>{n}</option>)}
              </select>
            ) : <p className="muted">{g.noneLeft}</p>}
          </fieldset>
          <div className="form-grid">
            {timing('holdSeconds', g.holdSeconds)}
            {timing('dwellSeconds', g.dwellSeconds)}
            {timing('failAfterSeconds', g.failAfterSeconds)}
          </div>
        </section>
        <div className="group-editor__actions">
          <button type="button" className="btn btn--primary" onClick={save} data-testid="group-save">{g.save}</button>
          {original !== null && <button type="button" className="btn btn--danger" onClick={remove} data-testid="group-remove"><Icon name="trash" />{g.remove}</button>}
          <button type="button" className="btn btn--ghost" onClick={onClose}>{g.cancel}</button>
        </div>
      </div>
    </article>
  );
}
