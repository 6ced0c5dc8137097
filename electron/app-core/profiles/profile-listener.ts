// Who hears that the saved profiles changed: the tunnel service, which also
// says whether a tunnel runs. A shape, not an import, so profiles/ does not
// depend on tunnels/ (which depends on profiles/).
import type { TunnelState } from '../../../shared/ipc/types.js';

export interface ProfileListener {
  stateOf(name: string): TunnelState;
  /** The profile list changed (import, save, rename, delete). */
  profilesChanged(renamed?: { from: string; to: string }): void;
}
