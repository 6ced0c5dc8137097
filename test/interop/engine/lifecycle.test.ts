// The daemon's life as wireguard-go's: it detaches once its UAPI socket is
// ready, and it ends (removing the socket) when its interface is deleted,
// when its socket file is removed, and on SIGTERM or SIGINT. Its TUN device
// works through the fd, so moving the interface to another namespace keeps
// the tunnel going.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Netns, waitFor } from '../../support/netns.js';
import { ENGINE, OUR_V4, OUR_V6, PEER_V4, Pair, SOCKET_DIR, attempt, ifname, ping, pingEventually, skipReason, lingering, survivors, transfer, wg } from './topology.js';

const skip = skipReason();
const started: string[] = [];

/** Pids of the daemon serving `name` (the detached `wiredesk-tunnel -f NAME`). */
function daemonPids(name: string): number[] {
  return survivors([name]).map((line) => Number(line.trim().split(/\s+/)[0]));
}

function linkExists(ns: Netns, name: string): boolean {
  return attempt(ns, 'ip', ['link', 'show', name]).code === 0;
}

/** Starts the engine as wg-quick does (it daemonizes) and returns the daemon's pid. */
function startDetached(ns: Netns, name: string): number {
  started.push(name);
  const r = attempt(ns, ENGINE, [name], 20_000);
  assert.equal(r.code, 0, `wiredesk-tunnel ${name} failed to start: ${r.stderr}`);
  assert.ok(existsSync(join(SOCKET_DIR, `${name}.sock`)), 'the socket did not exist when the command returned');
  const pids = daemonPids(name);
  assert.equal(pids.length, 1, `expected one daemon for ${name}, found ${pids.length}`);
  return pids[0]!;
}

/** Waits for the daemon to go; on timeout kills it (by pid) and fails. */
async function expectExit(pid: number, name: string, why: string): Promise<void> {
  try {
    await waitFor(() => !daemonPids(name).includes(pid), 5000, `wiredesk-tunnel to exit after ${why}`);
  } catch (e) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    throw e;
  }
}

function cleanup(ns: Netns, name: string): void {
  for (const pid of daemonPids(name)) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
  ns.destroy();
  rmSync(join(SOCKET_DIR, `${name}.sock`), { force: true });
}

describe('the wiredesk-tunnel daemon lifecycle', { skip }, () => {
  after(async () => assert.deepEqual(await lingering(started), [], 'a wiredesk-tunnel outlived its test'));

  it('detaches once its socket serves, and exits removing the socket when its interface is deleted', async () => {
    const ns = new Netns('lf');
    const name = ifname('d');
    try {
      const pid = startDetached(ns, name);
      assert.equal(wg('show', name, 'listen-port').trim().length > 0, true);
      ns.exec('ip', ['link', 'del', name]);
      await expectExit(pid, name, 'its interface was deleted');
      assert.equal(existsSync(join(SOCKET_DIR, `${name}.sock`)), false, 'the socket outlived the daemon');
    } finally {
      cleanup(ns, name);
    }
  });

  it('exits and takes its interface with it when its socket file is removed', async () => {
    const ns = new Netns('lf');
    const name = ifname('s');
    try {
      const pid = startDetached(ns, name);
      rmSync(join(SOCKET_DIR, `${name}.sock`));
      await expectExit(pid, name, 'its socket was removed');
      await waitFor(() => !linkExists(ns, name), 3000, 'the interface to go away');
    } finally {
      cleanup(ns, name);
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`exits on ${signal}, removing its socket and its interface`, async () => {
      const ns = new Netns('lf');
      const name = ifname('t');
      try {
        const pid = startDetached(ns, name);
        process.kill(pid, signal);
        await expectExit(pid, name, signal);
        assert.equal(existsSync(join(SOCKET_DIR, `${name}.sock`)), false, 'the socket outlived the daemon');
        await waitFor(() => !linkExists(ns, name), 3000, 'the interface to go away');
      } finally {
        cleanup(ns, name);
      }
    });
  }

  it('keeps the tunnel working after its interface moves to another namespace', async () => {
    // Pair.create already starts the engine in ns0 and moves its interface to ns1.
    const pair = await Pair.create('n');
    started.push(pair.ours.ifname);
    const ns3 = new Netns('e3');
    try {
      assert.ok(await pingEventually(pair.ns1, PEER_V4), `no tunnel after the first move${pair.logs()}`);
      pair.ns1.exec('ip', ['link', 'set', pair.ours.ifname, 'netns', ns3.name]);
      ns3.exec('ip', ['addr', 'add', `${OUR_V4}/24`, 'dev', pair.ours.ifname]);
      ns3.exec('ip', ['-6', 'addr', 'add', `${OUR_V6}/112`, 'dev', pair.ours.ifname, 'nodad']);
      ns3.exec('ip', ['link', 'set', pair.ours.ifname, 'up']);
      assert.ok(pair.ours.alive, 'the engine exited when its interface moved');
      assert.ok(ping(ns3, PEER_V4), `ping from the new namespace failed${pair.logs()}`);
      assert.ok(ping(pair.ns2, OUR_V6), `ping into the new namespace failed${pair.logs()}`);
      assert.ok(transfer(pair.ours.ifname)[0] > 0);
      // Deleting it there still ends the process.
      ns3.exec('ip', ['link', 'del', pair.ours.ifname]);
      assert.ok(await pair.ours.waitExit(5000), 'the engine outlived its interface in the new namespace');
    } finally {
      ns3.destroy();
      await pair.destroy();
    }
  });
});
