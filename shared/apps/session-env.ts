// The user's graphical session, as the app passes it to the helper to start
// an app there. Only four variables, each checked against what it can
// legitimately hold: a GUI app needs its display, its runtime directory and
// its session bus, and nothing else from the caller reaches the process
// (the helper builds HOME, USER, PATH and the rest from the passwd entry).
// Pure: the app checks before sending, the helper checks again on receipt.

export const SESSION_ENV_KEYS = ['DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR', 'DBUS_SESSION_BUS_ADDRESS'] as const;
export type SessionEnvKey = (typeof SESSION_ENV_KEYS)[number];
export type SessionEnv = Partial<Record<SessionEnvKey, string>>;

const SAFE_PATH = /^\/[A-Za-z0-9._/-]{0,200}$/;

/** Why `value` cannot be `key` for a session of `uid`, or null when it can. */
export function sessionEnvProblem(key: SessionEnvKey, value: string, uid: number): string | null {
  switch (key) {
    case 'DISPLAY':
      return /^[A-Za-z0-9.-]{0,64}:\d{1,4}(\.\d{1,3})?$/.test(value) ? null : 'DISPLAY must look like :0 or host:0.0';
    case 'WAYLAND_DISPLAY':
      return /^[A-Za-z0-9._-]{1,64}$/.test(value) || (SAFE_PATH.test(value) && value.startsWith(`/run/user/${uid}/`) && !value.includes('..'))
        ? null : 'WAYLAND_DISPLAY must be a socket name like wayland-0';
    case 'XDG_RUNTIME_DIR':
      return value === `/run/user/${uid}` ? null : `XDG_RUNTIME_DIR must be /run/user/${uid}`;
    case 'DBUS_SESSION_BUS_ADDRESS': {
      const m = /^unix:(path|abstract)=([A-Za-z0-9._/-]{1,200})(,guid=[0-9a-f]{32})?$/.exec(value);
      if (!m || value.includes('..')) return 'DBUS_SESSION_BUS_ADDRESS must be a unix:path= address';
      return m[1] === 'path' && !m[2]!.startsWith(`/run/user/${uid}/`) && !m[2]!.startsWith('/tmp/')
        ? `DBUS_SESSION_BUS_ADDRESS must be a socket under /run/user/${uid}` : null;
    }
  }
}

/** The session variables of `env` that pass, and a sentence for the first that does not. */
export function checkSessionEnv(env: Record<string, unknown>, uid: number): { env: SessionEnv; problem: string | null } {
  const out: SessionEnv = {};
  for (const key of Object.keys(env)) {
    if (!(SESSION_ENV_KEYS as readonly string[]).includes(key)) return { env: out, problem: `${key.slice(0, 40)} is not a session variable` };
    const value = env[key];
    if (typeof value !== 'string') return { env: out, problem: `${key} must be text` };
    const problem = sessionEnvProblem(key as SessionEnvKey, value, uid);
    if (problem) return { env: out, problem };
    out[key as SessionEnvKey] = value;
  }
  return { env: out, problem: null };
}
