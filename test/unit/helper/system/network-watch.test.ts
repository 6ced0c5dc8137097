import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { test } from 'node:test';
import { NetworkWatch } from '../../../../tunnel-helper/src/helper/system/network-watch.js';

/** A kernel watch the test drives: `announce` plays one rtnetlink notification. */
function scriptedKernel() {
  let news: (() => void) | null = null;
  let stopped = false;
  return {
    watch: (onNews: () => void) => { news = onNews; return () => { stopped = true; }; },
    announce: () => news?.(),
    get stopped() { return stopped; },
  };
}

const hasAddress = Object.values(networkInterfaces()).some((list) => (list ?? []).some((a) => !a.internal));

test('a kernel announcement that leaves the addresses alone is no news; one that changes them is, once', { skip: hasAddress ? false : 'this machine has no non-loopback address to hide' }, () => {
  const kernel = scriptedKernel();
  let hideAll = false; // every address going away: the signature changes
  let changes = 0;
  const watch = new NetworkWatch(() => hideAll, () => changes++, kernel.watch);
  watch.start();
  kernel.announce();
  assert.equal(changes, 0, 'neighbour or route churn with the same addresses');
  hideAll = true;
  kernel.announce();
  kernel.announce();
  assert.equal(changes, 1);
  watch.stop();
  assert.equal(kernel.stopped, true);
});

test('without netlink it falls back to looking every few seconds, and stops cleanly', () => {
  const watch = new NetworkWatch(() => false, () => {}, () => { throw new Error('netlink closed'); });
  watch.start();
  watch.stop();
});
