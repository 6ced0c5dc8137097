// run(): settles when the command exits even if a background process it
// started still holds its pipes, leaves that process running, and on timeout
// kills the command together with its children (its own process group).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandError, run } from '../../../tunnel-helper/src/netconfig/exec.js';

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

const waitGone = async (pid: number, ms: number): Promise<boolean> => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
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

  it('kills the command together with its children when it times out', async () => {
    // The child writes its pid to a file, readable after the rejection.
    const dir = mkdtempSync(join(tmpdir(), 'wd-exec-'));
    const pidFile = join(dir, 'pid');
    try {
      const started = Date.now();
      await assert.rejects(run('bash', ['-c', `sleep 30 & echo $! > '${pidFile}'; wait`], { timeoutMs: 500 }), (e: unknown) => {
        assert.ok(e instanceof CommandError);
        assert.match(e.stderr, /timed out after 500 ms/);
        return true;
      });
      assert.ok(Date.now() - started < 5000, 'the timeout fired');
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      assert.ok(pid > 0);
      assert.ok(await waitGone(pid, 3000), 'the background sleep was killed with its parent');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
