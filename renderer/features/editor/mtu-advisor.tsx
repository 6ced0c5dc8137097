import { useState } from 'react';
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
        <div className="segmented" role="radiogroup" aria-label={t.mtuOuter}>
          {([4, 6] as const).map((f) => (
            <button key={f} type="button" role="radio" aria-checked={outer === f} className={outer === f ? 'is-on' : ''} onClick={() => setOuter(f)}>
              {f === 4 ? t.mtuOuterV4 : t.mtuOuterV6}
            </button>
          ))}
        </div>
      </fieldset>
      <p className="advisor__result" data-testid="mtu-result"><strong>{inner}</strong> — {t.mtuResult(PATHS[path], WG_OVERHEAD[outer], inner)}</p>
      {outer === 6 && <p className="muted small">{t.mtuV6Note}</p>}
      <button type="button" className="btn" disabled={current === inner} onClick={() => onApply(inner)}>{t.mtuApply(inner)}</button>
    </section>
  );
}
