// The session variables the helper accepts for launching an app as the user.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkSessionEnv } from '../../../../shared/apps/session-env.js';

describe('session environment for a launched app', () => {
  it('passes the four session variables when they are what a session of that user has', () => {
    const env = { DISPLAY: ':0', WAYLAND_DISPLAY: 'wayland-0', XDG_RUNTIME_DIR: '/run/user/1000', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' };
    assert.deepEqual(checkSessionEnv(env, 1000), { env, problem: null });
    assert.equal(checkSessionEnv({ DISPLAY: 'localhost:10.0' }, 1000).problem, null);
    assert.equal(checkSessionEnv({ DBUS_SESSION_BUS_ADDRESS: 'unix:abstract=/tmp/dbus-X,guid=0123456789abcdef0123456789abcdef' }, 1000).problem, null);
  });

  it('refuses anything else, with a sentence', () => {
    const bad: Record<string, unknown>[] = [
      { LD_PRELOAD: '/tmp/x.so' }, { PATH: '/tmp' }, { DISPLAY: ':0; rm -rf /' }, { DISPLAY: 5 },
      { XDG_RUNTIME_DIR: '/run/user/0' }, { XDG_RUNTIME_DIR: '/tmp' }, { WAYLAND_DISPLAY: '../../run/user/0/wayland-0' },
      { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/0/bus' }, { DBUS_SESSION_BUS_ADDRESS: 'tcp:host=evil,port=1' },
      { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/../0/bus' },
    ];
    for (const env of bad) assert.match(checkSessionEnv(env, 1000).problem ?? '', /\w/, JSON.stringify(env));
  });
});
