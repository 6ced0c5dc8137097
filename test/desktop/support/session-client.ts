// Runs app-session.ts as the test user, in a network namespace, on the
// packaged app's own runtime, and calls it. Its environment is what a
// desktop session would give the app, plus ELECTRON_RUN_AS_NODE=1 because
// the stand-in has no GUI main process (the session removes it again, as
// Electron's main process does not have it).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../../support/netns.js';
import type { PackagedApp } from './packaged-app.js';

export interface SessionEvent { event: string; data: Record<string, unknown> }

export class AppSession {
  readonly events: SessionEvent[] = [];
  stderr = '';
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(app: PackagedApp, user: string, netns: string) {
    // The session script goes where the user can read it, beside nothing of ours.
    const dir = mkdtempSync(join(tmpdir(), 'wd-session-'));
    chmodSync(dir, 0o755);
    const script = join(dir, 'app-session.mjs');
    copyFileSync(fileURLToPath(new URL('./app-session.js', import.meta.url)), script);
    this.child = spawn('ip', ['netns', 'exec', netns, 'runuser', '-u', user, '--',
      '/usr/bin/env', '-i', 'HOME=/nonexistent', 'PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=C.UTF-8', 'ELECTRON_RUN_AS_NODE=1',
      app.exe, script, app.appRoot, app.exe,
    ], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => { this.stderr += d.toString(); });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const msg = JSON.parse(line) as { id?: number; ok?: boolean; result?: unknown; error?: string } & Partial<SessionEvent>;
      if (msg.event) return void this.events.push(msg as SessionEvent);
      const p = this.pending.get(msg.id!);
      this.pending.delete(msg.id!);
      if (msg.ok) p?.resolve(msg.result);
      else p?.reject(new Error(msg.error));
    });
    this.child.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`the app session exited: ${this.stderr}`));
      this.pending.clear();
    });
  }

  call<T = unknown>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.stdin!.write(`${JSON.stringify({ id, op, args })}\n`);
    });
  }

  async waitEvent(what: string, match: (e: SessionEvent) => boolean, timeoutMs = 30_000): Promise<SessionEvent> {
    await waitFor(() => this.events.some(match), timeoutMs, what);
    return this.events.find(match)!;
  }

  close(): void {
    this.child.stdin!.end();
    setTimeout(() => this.child.kill('SIGKILL'), 2_000).unref();
  }
}
