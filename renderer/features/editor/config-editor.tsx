// A plain textarea laid over its own highlighted copy: native editing, undo,
// selection and screen-reader support, with colours and per-line diagnostics
// drawn underneath. Both layers share one font and one scroll container.
import { memo, useMemo, type RefObject } from 'react';
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

/** Puts the caret at the start of a line (1-based) and selects it, scrolled into view: the problems list's "go to line". */
export function jumpToLine(input: HTMLTextAreaElement, line: number): void {
  const lines = input.value.split('\n');
  const n = Math.min(Math.max(1, line), lines.length);
  const start = lines.slice(0, n - 1).reduce((sum, l) => sum + l.length + 1, 0);
  input.focus({ preventScroll: true });
  input.setSelectionRange(start, start + (lines[n - 1]?.length ?? 0));
  const scroll = input.closest('.editor__scroll');
  if (scroll) scroll.scrollTop = Math.max(0, (n - 3) * LINE_PX);
}

const LINE_PX = 20; // .editor__input's line-height in app.css

export function ConfigEditor(props: { text: string; diagnostics: readonly Diagnostic[]; label: string; describedBy: string; onChange: (text: string) => void; inputRef?: RefObject<HTMLTextAreaElement | null> }) {
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
            ref={props.inputRef}
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
