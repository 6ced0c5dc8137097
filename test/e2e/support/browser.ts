// Debian's Chromium under Playwright (never a downloaded browser), and the
// screenshot helper that saves every main view in light and dark.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** The app at `url` in a new context: 1240×820, light, en-US unless `options` say otherwise. */
export async function openApp(browser: Browser, url: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1240, height: 820 }, colorScheme: 'light', locale: 'en-US', deviceScaleFactor: 1, ...options });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') console.error(`page console: ${m.text()}`);
  });
  await page.goto(url);
  return page;
}

const shots = join(process.cwd(), 'test-results', 'screenshots');

/** Saves `<name>-light.png` and `<name>-dark.png`; the app follows the emulated OS theme. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForSelector(`html[data-theme="${scheme}"]`, { state: 'attached' });
    await page.waitForTimeout(300); // let colour transitions finish so the picture is not mid-fade
    await page.screenshot({ path: join(shots, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

export const byTest = (id: string) => `[data-testid="${id}"]`;
