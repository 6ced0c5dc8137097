// A plain textarea laid over its own highlighted copy: native editing, undo,
// selection and screen-reader support, with colours and per-line diagnostics
// drawn underneath. Both layers share one font and one scroll container.
import { memo, useMemo } from 'react';
import type { Diagnostic } from '../../../shared/config/index.js';
import { tokenizeLine } from './highlight.js';

const Highlighted = memo(function Highlighted({ lines, marks }: { lines: readonly string[]; marks: ReadonlyMap<number, Diagnostic> }) {
  return (
    <pre className="editor__pre" aria-hidden="true">
      {lines.map((line, i) => {
        const mark = marks.get(i + 1);
        return (
          <div key={i} className={`ln${mark ? ` ln--${mark.severity}` : ''}`}>
            {tokenizeLine(line).map((tok, j) => <span key={j} className={`tok tok--${tok.kind}`}>{tok.text}</span>)}
            {'\u200b'}
          </div>
        );
      })}
    </pre>
  );
});

export function ConfigEditor(props: { text: string; diagnostics: readonly Diagnostic[]; label: string; describedBy: string; onChange: (text: string) => void }) {
  const lines = useMemo(() => props.text.split(/\r?\n/), [props.text]);
  // The worst diagnostic of each line marks it (errors over warnings).
  const marks = useMemo(() => {
    const m = new Map<number, Diagnostic>();
    for (const d of props.diagnostics) if (!m.has(d.line) || d.severity === 'error') m.set(d.line, d);
    return m;
  }, [props.diagnostics]);
  const width = Math.max(40, ...lines.map((l) => l.length)) + 4;

  return (
    <div className="editor" data-testid="config-editor">
      <div className="editor__scroll">
        <div className="editor__gutter" aria-hidden="true">
          {lines.map((_, i) => {
            const mark = marks.get(i + 1);
            return <div key={i} className={mark ? `gutter--${mark.severity}` : ''} title={mark?.message} data-line={i + 1}>{i + 1}</div>;
          })}
        </div>
        <div className="editor__code" style={{ width: `${width}ch` }}>
          <Highlighted lines={lines} marks={marks} />
          <textarea
            className="editor__input"
            value={props.text}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            wrap="off"
            aria-label={props.label}
            aria-describedby={props.describedBy}
            aria-invalid={props.diagnostics.some((d) => d.severity === 'error')}
            data-testid="editor-input"
            onChange={(e) => props.onChange(e.target.value)}
          />
        </div>
      </div>
    </div>
  );
}
