// A tunnel's log: app, helper and engine lines, live, filterable by text and
// level, with copy and save.
import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { LogLine } from '../../../shared/ipc/types.js';
import { Icon } from '../../components/icons.js';
import { useLogs, useStore } from '../../lib/hooks.js';
import { useI18n } from '../../lib/i18n/i18n.js';
import { ipc } from '../../lib/ipc.js';

type Level = LogLine['level'] | 'all';
const stamp = (at: number) => new Date(at).toISOString().replace('T', ' ').slice(0, 23);
export const logText = (lines: readonly LogLine[]) => lines.map((l) => `${stamp(l.at)} [${l.source}] ${l.level}: ${l.text}`).join('\n');

export function LogsView({ name }: { name: string }) {
  const { t } = useI18n();
  const store = useStore();
  const lines = useLogs(name);
  const [filter, setFilter] = useState('');
  const [level, setLevel] = useState<Level>('all');
  const query = useDeferredValue(filter.toLowerCase());
  useEffect(() => void store.loadLogs(name), [store, name]);
  const shown = useMemo(
    () => lines.filter((l) => (level === 'all' || l.level === level) && (query === '' || l.text.toLowerCase().includes(query) || l.source.includes(query))),
    [lines, level, query],
  );

  return (
    <section className="card logs" aria-label={t.logs} data-testid="logs-view">
      <div className="logs__bar">
        <label className="field field--inline">
          <span className="sr-only">{t.logFilter}</span>
          <input type="search" placeholder={t.logFilter} value={filter} onChange={(e) => setFilter(e.target.value)} data-shortcut="filter" data-testid="log-filter" />
        </label>
        <label className="field field--inline">
          <span>{t.logLevel}</span>
          <select value={level} onChange={(e) => setLevel(e.target.value as Level)}>
            <option value="all">{t.allLevels}</option>
            {(['debug', 'info', 'warn', 'error'] as const).map((l) => <option key={l} value={l}>{t.level[l]}</option>)}
          </select>
        </label>
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => void ipc.invoke('clipboard:write', logText(shown))}><Icon name="copy" />{t.copyLog}</button>
        <button type="button" className="btn" onClick={() => void ipc.invoke('tunnels:saveLogs', name, logText(shown))}><Icon name="export" />{t.saveLog}</button>
      </div>
      {shown.length === 0 ? <p className="muted">{t.logEmpty}</p> : (
        <ol className="logs__lines mono" data-testid="log-lines">
          {shown.slice(-500).map((l, i) => (
            <li key={`${l.at}-${i}`} className={`log log--${l.level}`}>
              <time>{stamp(l.at).slice(11)}</time>
              <span className="log__source">{l.source}</span>
              <span className="log__msg">{l.text}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
