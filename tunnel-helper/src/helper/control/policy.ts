// The administrator's policy: a root-owned JSON file the app cannot write.
// Today it holds one switch, whether wg-quick hooks (PreUp, PostUp, PreDown,
// PostDown) may run as root. Anything unreadable or unsafe means "no".
import { readFileSync, statSync } from 'node:fs';

export const DEFAULT_POLICY_PATH = '/etc/wiredesk/policy.json';

export interface Policy {
  allowScripts: boolean;
}

export const DEFAULT_POLICY: Policy = { allowScripts: false };

/** Reads the policy; `warn` hears why a present file was ignored. */
export function readPolicy(path = DEFAULT_POLICY_PATH, warn: (m: string) => void = () => {}): Policy {
  let st;
  try {
    st = statSync(path);
  } catch {
    return DEFAULT_POLICY; // no file: defaults
  }
  if (st.uid !== 0 || (st.mode & 0o022) !== 0 || !st.isFile()) {
    warn(`Ignoring ${path}: it must be a regular file owned by root and not writable by group or others.`);
    return DEFAULT_POLICY;
  }
  try {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    if (typeof raw !== 'object' || raw === null) throw new Error('not a JSON object');
    const allow = (raw as { allowScripts?: unknown }).allowScripts;
    if (allow !== undefined && typeof allow !== 'boolean') throw new Error('allowScripts must be true or false');
    return { allowScripts: allow === true };
  } catch (e) {
    warn(`Ignoring ${path}: ${(e as Error).message}.`);
    return DEFAULT_POLICY;
  }
}
