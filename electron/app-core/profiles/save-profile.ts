// Saving from the editor: the text must have no errors (Save is blocked in
// the renderer too, but main decides), a new name must be free, and a running
// tunnel is not renamed under the helper's feet.
import { loadConfig } from '../../../shared/config/index.js';
import type { SaveResult } from '../../../shared/ipc/types.js';
import type { ProfileListener } from './profile-listener.js';
import type { ProfileStore } from './profile-store.js';

export function saveProfile(store: ProfileStore, tunnels: ProfileListener, original: string | null, name: string, text: string): SaveResult {
  const { config, diagnostics } = loadConfig(text);
  if (!config) {
    const error = diagnostics.find((d) => d.severity === 'error')!;
    return { ok: false, message: `Line ${error.line}: ${error.message}` };
  }
  const renaming = original !== null && original !== name;
  if ((original === null || renaming) && store.has(name)) return { ok: false, message: `A tunnel named "${name}" already exists; choose another name.` };
  if (original !== null && !store.has(original)) return { ok: false, message: `The tunnel "${original}" no longer exists.` };
  if (renaming && tunnels.stateOf(original) !== 'down') return { ok: false, message: 'Switch the tunnel off before renaming it.' };
  store.write(name, config);
  if (renaming) store.remove(original);
  tunnels.profilesChanged(renaming ? { from: original, to: name } : undefined);
  return { ok: true, name };
}
