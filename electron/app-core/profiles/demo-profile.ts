// "Try the WireGuard demo server": one exchange with the demo server (the
// same client as `wiredesk demo`), then the tunnel is saved as a profile
// named "demo" ("demo-2", ... when taken). It is not switched on: the user
// does that, as with any imported tunnel.
import { requestDemoTunnel, type DemoRequestOptions } from '../../../tunnel-helper/src/demo/demo-client.js';
import type { DemoResult } from '../../ipc/types.js';
import { uniqueName } from '../transfer/import-naming.js';
import type { TunnelService } from '../tunnels/tunnel-service.js';
import type { ProfileStore } from './profile-store.js';

export async function createDemoProfile(
  store: ProfileStore, tunnels: TunnelService, host: string, opts: DemoRequestOptions = {},
): Promise<DemoResult> {
  const outcome = await requestDemoTunnel(host, opts);
  if (!outcome.ok) return outcome;
  // The name is chosen after the reply, so a tunnel imported meanwhile is not overwritten.
  const name = uniqueName('demo', new Set(store.list()));
  store.write(name, outcome.config);
  tunnels.profilesChanged();
  return { ok: true, name };
}
