// axe-core in the page. The app's CSP (script-src 'self') refuses a script
// tag the test adds, and it should stay refused: the renderer is served as
// it ships, with no test-only CSP hole. So axe's source goes in through
// Playwright's page.evaluate, which is the DevTools protocol's
// Runtime.evaluate: the page's own policy does not apply to what DevTools
// evaluates, and nothing about the page changes. (bypassCSP on the context
// would work too, but it turns the policy off for everything the page does.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright';

const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.0 and 2.1, levels A and AA, and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] as const;

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly helpUrl: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly failureSummary?: string; readonly html: string }[];
}

async function inject(page: Page): Promise<void> {
  const present = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  if (!present) await page.evaluate(source);
}

/** Runs axe over the whole document and returns its violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await inject(page);
  return page.evaluate(async (tags) => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    // Plain data only: the nodes carry DOM references otherwise.
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary, html: n.html.slice(0, 200) })),
    }));
  }, [...AXE_TAGS]);
}

/** One violation per paragraph: rule, impact, what to do, and each element with axe's reason. */
export function formatViolations(where: string, violations: readonly AxeViolation[]): string {
  return violations.map((v) => [
    `${where}: ${v.id} (${v.impact ?? 'n/a'}): ${v.help}`,
    ...v.nodes.map((n) => `  at ${JSON.stringify(n.target)}\n    ${n.html}\n    ${(n.failureSummary ?? '').replace(/\n/g, '\n    ')}`),
  ].join('\n')).join('\n\n');
}
