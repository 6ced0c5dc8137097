import { useState } from 'react';
import { Segmented } from '../../components/segmented.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { innerMtu, PATHS, WG_OVERHEAD, type PathKind } from './mtu.js';

export function MtuAdvisor({ current, onApply }: { current: number | undefined; onApply: (mtu: number) => void }) {
  const { t } = useI18n();
  const [path, setPath] = useState<PathKind>('ethernet');
  const [outer, setOuter] = useState<4 | 6>(4);
  const inner = innerMtu(PATHS[path], outer);
  return (
    <section className="card advisor" aria-labelledby="mtu-title" data-testid="mtu-advisor">
      <header className="card__head"><h2 id="mtu-title">{t.mtuAdvisor}</h2></header>
      <label className="field">
        <span>{t.mtuPath}</span>
        <select value={path} onChange={(e) => setPath(e.target.value as PathKind)} data-testid="mtu-path">
          {(Object.keys(PATHS) as PathKind[]).map((k) => <option key={k} value={k}>{t.mtuPaths[k]}</option>)}
        </select>
      </label>
      <fieldset className="field">
        <legend>{t.mtuOuter}</legend>
        <Segmented<4 | 6> label={t.mtuOuter} value={outer} onChange={setOuter}
          options={[{ value: 4, label: t.mtuOuterV4 }, { value: 6, label: t.mtuOuterV6 }]} />
      </fieldset>
      <p className="advisor__result" data-testid="mtu-result"><strong>{inner}</strong> — {t.mtuResult(PATHS[path], WG_OVERHEAD[outer], inner)}</p>
      {outer === 6 && <p className="muted small">{t.mtuV6Note}</p>}
      <button type="button" className="btn" disabled={current === inner} onClick={() => onApply(inner)}>{t.mtuApply(inner)}</button>
    </section>
  );
}
