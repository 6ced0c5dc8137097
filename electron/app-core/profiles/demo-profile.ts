// "Try the WireGuard demo server": one exchange with the demo server (the
// same client as `wiredesk demo`), then the tunnel is saved as a profile
// named "demo" ("demo-2", ... when taken). It is not switched on: the user
// does that, as with any imported tunnel.
import { loadConfig } from '../../../shared/config/index.js';
import { requestDemoTunnel, type DemoRequestOptions } from '../../../tunnel-helper/src/demo/demo-client.js';
import type { DemoResult } from '../../../shared/ipc/types.js';
import { uniqueName } from '../transfer/import-naming.js';
import type { ProfileListener } from './profile-listener.js';
import type { ProfileStore } from './profile-store.js';

export async function createDemoProfile(
  store: ProfileStore, tunnels: ProfileListener, host: string, opts: DemoRequestOptions = {},
): Promise<DemoResult> {
  const outcome = await requestDemoTunnel(host, opts);
  if (!outcome.ok) return outcome;
  const { config } = loadConfig(outcome.config);
  if (!config) throw new Error('The demo server\'s answer made a config with errors; nothing was saved.');
  // The name is chosen after the reply, so a tunnel imported meanwhile is not overwritten.
  const name = uniqueName('demo', new Set(store.list()));
  store.write(name, config);
  tunnels.profilesChanged();
  return { ok: true, name };
}
