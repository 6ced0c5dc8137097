// The app for the accessibility specs (fake-app.ts), with what they add: put
// a tunnel in any state (up, degraded with a given diagnosis, down), send
// counter ticks exactly when they want, switch the language.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright';
import type { Diagnosis } from '../../../shared/control/protocol.js';
import type { TunnelState } from '../../../shared/ipc/types.js';
import { PEER_KEY } from '../../unit/electron/fakes.js';
import { FakeApp } from './fake-app.js';

export const NO_REPLY = {
  code: 'no-reply' as const, message: 'No reply from 203.0.113.5:51820.', endpoint: '203.0.113.5:51820', evidence: 'no-reply' as const,
  sentBytes: 148, windowSeconds: 15, peerCount: 1,
};

export class A11yApp extends FakeApp {
  readonly dir: string;
  private rx = 0;

  constructor() {
    const dir = mkdtempSync(join(tmpdir(), 'wiredesk-a11y-'));
    super({ ports: { dialogs: { saveFile: async (_title, name) => join(dir, `saved-${name}`) } } });
    this.dir = dir;
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

  override async close(): Promise<void> {
    await super.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
