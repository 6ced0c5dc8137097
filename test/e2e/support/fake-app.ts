// The app for specs that play the helper themselves: the real renderer bundle
// in Debian's Chromium, the real app-core behind the loopback bridge, and the
// helper played by the protocol-checked FakeHelper, so a spec decides what
// the helper reports and when. The real helper's path is app.test.ts.
import { rmSync } from 'node:fs';
import type { Browser, BrowserContextOptions, Page } from 'playwright';
import type { LoadedConfig } from '../../../shared/config/index.js';
import type { AppPorts } from '../../../electron/app-core/ports.js';
import { FakeHelper, fakeLauncher, loaded, recordingPorts, sampleConfig, type RecordingPorts } from '../../unit/electron/fakes.js';
import { startBridge, type Bridge } from '../bridge/bridge-server.js';
import { launchChromium, openApp } from './browser.js';

export interface FakeAppOptions {
  /** Whether the helper runs when the app starts (else the app finds none). Default true. */
  readonly running?: boolean;
  readonly ports?: Partial<AppPorts>;
}

export class FakeApp {
  readonly helper = new FakeHelper();
  readonly ports: RecordingPorts;
  bridge!: Bridge;
  browser!: Browser;

  constructor(o: FakeAppOptions = {}) {
    this.ports = recordingPorts(fakeLauncher(this.helper, { running: o.running ?? true }), { now: Date.now, ...o.ports });
  }

  /** The bridge, with these profiles written (a bare name gets the sample config), and Chromium. */
  async start(profiles: readonly string[] | Readonly<Record<string, LoadedConfig>> = []): Promise<void> {
    this.bridge = await startBridge({ root: process.cwd(), ports: this.ports });
    const names = (p: typeof profiles): p is readonly string[] => Array.isArray(p);
    const written: Readonly<Record<string, LoadedConfig>> = names(profiles) ? Object.fromEntries(profiles.map((n) => [n, loaded(sampleConfig())])) : profiles;
    for (const [name, config] of Object.entries(written)) this.bridge.core.profiles.write(name, config);
    if (Object.keys(written).length > 0) this.bridge.core.tunnels.profilesChanged();
    this.browser = await launchChromium();
  }

  /** The window, in a new browser context (browser.ts openApp). */
  open(options: BrowserContextOptions = {}): Promise<Page> {
    return openApp(this.browser, this.bridge.url, options);
  }

  async close(): Promise<void> {
    await this.browser?.close();
    await this.bridge?.close();
    rmSync(this.ports.userDataDir, { recursive: true, force: true });
  }
}
