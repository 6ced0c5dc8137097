// The helper's network watch and network identity both call watchRtnetlink:
// they share one netlink socket, opened for the first caller and closed after
// the last. Counted among this process's own fds in /proc/net/netlink.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { watchRtnetlink } from '../../../../tunnel-helper/src/helper/system/netlink-socket.js';

/** This process's NETLINK_ROUTE sockets bound to the watched groups (link, neigh, v4/v6 address and route). */
function watchingSockets(): number {
  const ours = new Set(readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))?.[1] ?? []].flat();
    } catch {
      return [];
    }
  }));
  return readFileSync('/proc/net/netlink', 'utf8').split('\n').slice(1).filter((line) => {
    const f = line.trim().split(/\s+/);
    return f[1] === '0' && f[3] === '00000555' && ours.has(f[9] ?? '');
  }).length;
}

it('shares one socket among its callers, and closes it after the last', () => {
  const before = watchingSockets();
  const stopA = watchRtnetlink(() => {});
  const stopB = watchRtnetlink(() => {});
  assert.equal(watchingSockets(), before + 1, 'two callers, one socket');
  stopA();
  stopA(); // a second stop is no second release
  assert.equal(watchingSockets(), before + 1, 'still open for the other caller');
  stopB();
  assert.equal(watchingSockets(), before, 'closed after the last');
  const stopC = watchRtnetlink(() => {});
  assert.equal(watchingSockets(), before + 1, 'opened again for a new caller');
  stopC();
});
