// Runs code with the JS thread inside a test namespace, so the sockets and TUN
// devices it creates belong there (a socket keeps the namespace it was created
// in). Switches back before returning, even on error.
import { closeSync, openSync } from 'node:fs';
import { CLONE_NEWNET, describeErrno, errno, sys } from '../../../tunnel-helper/src/engine/io/libc.js';

export function inNetns<T>(ns: string, fn: () => T): T {
  const target = openSync(`/var/run/netns/${ns}`, 'r');
  const home = openSync('/proc/thread-self/ns/net', 'r');
  try {
    if (sys.setns(target, CLONE_NEWNET) < 0) throw new Error(describeErrno(`setns into ${ns}`, errno()));
    let outcome: { value: T } | { error: unknown };
    try {
      outcome = { value: fn() };
    } catch (error) {
      outcome = { error };
    }
    if (sys.setns(home, CLONE_NEWNET) < 0) throw new Error(describeErrno('setns back home', errno()));
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  } finally {
    closeSync(target);
    closeSync(home);
  }
}
