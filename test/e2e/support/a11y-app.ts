// The app for the accessibility specs: the real renderer bundle in Debian's
// Chromium, the real app-core behind the loopback bridge, and the helper
// played by the protocol-checked FakeHelper, so a spec can put a tunnel in
// any state (up, degraded with a given diagnosis, down) and send counter
// ticks exactly when it wants. The real helper's path is app.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright';
import type { Diagnosis } from '../../../shared/control/protocol.js';
import type { TunnelState } from '../../../shared/ipc/types.js';
import { FakeHelper, fakeLauncher, loaded, PEER_KEY, recordingPorts, sampleConfig } from '../../unit/electron/fakes.js';
import { startBridge, type Bridge } from '../bridge/bridge-server.js';
import { launchChromium } from './browser.js';

export const NO_REPLY = {
  code: 'no-reply' as const, message: 'No reply from 203.0.113.5:51820.', endpoint: '203.0.113.5:51820', evidence: 'no-reply' as const,
  sentBytes: 148, windowSeconds: 15, peerCount: 1,
};

export class A11yApp {
  readonly helper = new FakeHelper();
  readonly dir = mkdtempSync(join(tmpdir(), 'wiredesk-a11y-'));
  readonly ports = recordingPorts(fakeLauncher(this.helper, { running: true }), {
    now: Date.now,
    dialogs: { saveFile: async (_title, name) => join(this.dir, `saved-${name}`) },
  });
  bridge!: Bridge;
  browser!: Browser;
  private rx = 0;

  async start(tunnels: readonly string[]): Promise<void> {
    this.bridge = await startBridge({ root: process.cwd(), ports: this.ports });
    for (const n of tunnels) this.bridge.core.profiles.write(n, loaded(sampleConfig()));
    if (tunnels.length) this.bridge.core.tunnels.profilesChanged();
    this.browser = await launchChromium();
  }

  async open(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await this.browser.newContext({ viewport: { width: 1240, height: 820 }, colorScheme: 'light', locale: 'en-US', deviceScaleFactor: 1, ...options });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(this.bridge.url);
    return page;
  }

  /** The helper reports a tunnel's state, as the real one does after `up`. */
  state(name: string, state: TunnelState, diagnosis: Diagnosis | null = null): void {
    this.helper.send('tunnel-state', { name, state, reason: null, diagnosis, at: Date.now() });
  }

  /** One counter tick (the helper polls once a second), with the counters grown by `bytes`. */
  tick(name: string, bytes = 150_000): void {
    this.rx += bytes;
    const at = Date.now();
    this.helper.send('stats', { name, at, peers: [{ publicKey: PEER_KEY, endpoint: '192.0.2.1:51820', latestHandshake: at - 5_000, rxBytes: this.rx, txBytes: Math.round(this.rx / 3) }] });
  }

  async language(lang: 'en' | 'ja', page: Page): Promise<void> {
    await this.bridge.core.handlers['settings:set']({ language: lang });
    await page.waitForSelector(`html[lang="${lang}"]`, { state: 'attached' });
  }

  async close(): Promise<void> {
    await this.browser?.close();
    await this.bridge?.close();
    rmSync(this.ports.userDataDir, { recursive: true, force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
