// run(): settles when the command exits even if a background process it
// started still holds its pipes, leaves that process running, and on timeout
// kills the command together with its children (its own process group).
import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandError, run } from '../../../../tunnel-helper/src/helper/netconfig/exec.js';

// Alive and not a zombie (a container's init may not reap orphans at once).
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

// Captured before any test mocks setTimeout: these waits run on the real clock and only stop a hang.
const realSetTimeout = globalThis.setTimeout;
const realSleep = (ms: number) => new Promise((r) => realSetTimeout(r, ms));

/** Polls `check` on the real clock until it holds; throws after `ms` (a hang, not a slow machine). */
const pollReal = async (check: () => boolean, ms: number, what: string): Promise<void> => {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > ms) throw new Error(`gave up waiting for ${what}`);
    await realSleep(10);
  }
};

/** Lets pending I/O callbacks (a child's exit, pipe closes) run. */
const settleIo = () => realSleep(50);

/** SIGKILL to the process group of `pid` (run() starts each command in its own), never to ours. */
const killGroupOf = (pid: number): void => {
  const pgrp = (p: string) => Number(readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[2]);
  try {
    const group = pgrp(String(pid));
    if (group > 1 && group !== pgrp('self')) process.kill(-group, 'SIGKILL');
  } catch { /* gone */ }
};

const waitGone = async (pid: number, ms: number): Promise<boolean> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await realSleep(50);
  }
  return !alive(pid);
};

describe('run', () => {
  it('returns stdout and rejects with stderr and the exit code', async () => {
    assert.equal(await run('bash', ['-c', 'echo out; echo err >&2']), 'out\n');
    await assert.rejects(run('bash', ['-c', 'echo bad >&2; exit 3']), (e: unknown) => {
      assert.ok(e instanceof CommandError);
      assert.equal(e.exitCode, 3);
      assert.equal(e.stderr, 'bad');
      return true;
    });
  });

  it('passes its input on stdin', async () => {
    assert.equal(await run('cat', [], { input: 'hello' }), 'hello');
  });

  it('does not wait for a background process that holds its pipes, and leaves it running', async () => {
    const out = await run('bash', ['-c', 'sleep 8 & echo $!']);
    const pid = Number(out.trim());
    try {
      assert.ok(Number.isInteger(pid) && pid > 0, `background pid printed: ${JSON.stringify(out)}`);
      // Still running, so run() returned without waiting the 8 s for it to end.
      assert.ok(alive(pid), 'the background process keeps running');
    } finally {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
  });

  it('kills the command together with its children when its timeout expires, and not a moment before', async () => {
    // The timeout runs on an injected clock (mocked setTimeout), so the test checks the deadline
    // itself: nothing is killed at 499 ms, everything at 500 ms. Real waits only stop a hang.
    const dir = mkdtempSync(join(tmpdir(), 'wd-exec-'));
    const pidFile = join(dir, 'pid');
    const sleeper = { pid: 0 }; // the background sleep
    try {
      mock.timers.enable({ apis: ['setTimeout'] });
      try {
        const got: { outcome: unknown } = { outcome: null };
        const settled = run('bash', ['-c', `sleep 30 & echo $! > '${pidFile}'; wait`], { timeoutMs: 500 })
          .then(() => { got.outcome = 'resolved'; }, (e: unknown) => { got.outcome = e; });
        await pollReal(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n'), 10_000, 'the background sleep to start');
        const pid = (sleeper.pid = Number(readFileSync(pidFile, 'utf8').trim()));
        assert.ok(pid > 0);
        mock.timers.tick(499);
        await settleIo();
        assert.equal(got.outcome, null, 'the command still runs at 499 ms');
        assert.ok(alive(pid), 'its child still runs at 499 ms');
        mock.timers.tick(1);
        // Killed now; run() settles when the command's exit and pipes are seen (the grace timer is mocked too).
        await pollReal(() => {
          mock.timers.tick(100);
          return got.outcome !== null;
        }, 10_000, 'run() to settle');
        const outcome = got.outcome as unknown; // (assert.equal above narrowed it to null)
        assert.ok(outcome instanceof CommandError, String(outcome));
        assert.equal(outcome.exitCode, null, 'killed by a signal, not exited');
        assert.match(outcome.stderr, /timed out after 500 ms/);
        await settled;
      } finally {
        mock.timers.reset();
      }
      assert.ok(await waitGone(sleeper.pid, 3000), 'the background sleep was killed with its parent');
    } finally {
      killGroupOf(sleeper.pid); // if the test failed before run() did it
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
