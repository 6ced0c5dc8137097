// Layout checks run in the page: what a person at 200% text size or in the
// smallest window would see as broken. Controls (buttons, fields, switches)
// must lie inside the window's width and inside any box that clips them,
// must not cover one another, and the page must not scroll sideways.
import type { Page } from 'playwright';

export interface LayoutProblem {
  readonly what: string;
  readonly where: string;
}

// Boxes that scroll on purpose: the config editor's code and the log lines.
const SCROLLERS = '.editor__scroll, .logs__lines';

export function layoutProblems(page: Page): Promise<LayoutProblem[]> {
  return page.evaluate((scrollers) => {
    const doc = (globalThis as unknown as { document: DomDocument; innerWidth: number; getComputedStyle(el: DomEl): DomStyle }).document;
    const g = globalThis as unknown as { innerWidth: number; getComputedStyle(el: DomEl): DomStyle };
    interface DomRect { left: number; right: number; top: number; bottom: number; width: number; height: number }
    interface DomStyle { overflowX: string; overflowY: string; visibility: string; display: string }
    interface DomEl { getBoundingClientRect(): DomRect; parentElement: DomEl | null; closest(s: string): DomEl | null; contains(o: DomEl): boolean; outerHTML: string; matches(s: string): boolean }
    interface DomDocument { documentElement: { scrollWidth: number; clientWidth: number }; querySelectorAll(s: string): ArrayLike<DomEl>; querySelector(s: string): DomDocument | null }
    const problems: { what: string; where: string }[] = [];
    const name = (el: DomEl) => el.outerHTML.slice(0, 140);
    const root = doc.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) problems.push({ what: `the page scrolls sideways (${root.scrollWidth} > ${root.clientWidth})`, where: 'html' });
    // A modal dialog makes the rest inert: only its own controls count then.
    const scope = doc.querySelector('dialog[open]') ?? doc;
    const controls = Array.from(scope.querySelectorAll('button, input, select, textarea, [role="switch"], a[href]')).filter((el) => {
      const r = el.getBoundingClientRect();
      const s = g.getComputedStyle(el);
      return r.width > 2 && r.height > 2 && s.visibility !== 'hidden' && !el.closest('[aria-hidden="true"], .sr-only') && !el.matches('.editor__input') && !el.closest(scrollers);
    });
    // What can be seen of a control: its box cut by every ancestor that clips or scrolls vertically
    // (a list scrolled past a row hides it; that is scrolling, not overlap).
    const seen = (el: DomEl): DomRect | null => {
      const r = el.getBoundingClientRect();
      let top = r.top;
      let bottom = r.bottom;
      for (let a = el.parentElement; a; a = a.parentElement) {
        if (g.getComputedStyle(a).overflowY === 'visible') continue;
        const b = a.getBoundingClientRect();
        top = Math.max(top, b.top);
        bottom = Math.min(bottom, b.bottom);
      }
      return bottom - top > 2 ? { left: r.left, right: r.right, top, bottom, width: r.width, height: bottom - top } : null;
    };
    const visible = controls.map((el) => ({ el, r: seen(el) })).filter((x): x is { el: DomEl; r: DomRect } => x.r !== null);
    for (const { el, r } of visible) {
      if (r.left < -1 || r.right > g.innerWidth + 1) problems.push({ what: `outside the window (${Math.round(r.left)}–${Math.round(r.right)} of ${g.innerWidth})`, where: name(el) });
      for (let a = el.parentElement; a; a = a.parentElement) {
        if (g.getComputedStyle(a).overflowX === 'visible') continue;
        const b = a.getBoundingClientRect();
        if (r.left < b.left - 1 || r.right > b.right + 1) problems.push({ what: 'cut off by a box around it', where: name(el) });
        break;
      }
    }
    for (let i = 0; i < visible.length; i++) {
      for (let j = i + 1; j < visible.length; j++) {
        const { el: x, r: a } = visible[i]!;
        const { el: y, r: b } = visible[j]!;
        if (x.contains(y) || y.contains(x)) continue;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 2 && h > 2) problems.push({ what: `overlaps ${name(y)}`, where: name(x) });
      }
    }
    return problems;
  }, SCROLLERS);
}
