// The renderer's calls for a tunnel's routing options (shared/ipc/routing-options.ts):
// "Exclude the network I'm on" is kept in tunnel-prefs.json and sent to the
// helper with every up, and to a running tunnel at once (setOptions, in place);
// "Exclude private IPs" lives in the .conf, and only its restore record here.
import type { Handlers } from '../../../shared/ipc/schema.js';
import type { LanBypassView } from '../../../shared/ipc/routing-options.js';
import type { HelperSupervisor } from '../helper/helper-supervisor.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { TunnelPrefs } from './tunnel-prefs.js';
import type { TunnelService } from './tunnel-service.js';

type RoutingHandlers = Pick<Handlers, 'tunnels:lanBypass' | 'tunnels:setExcludeLan' | 'tunnels:excludePrivateRecord' | 'tunnels:setExcludePrivateRecord'>;

export function createRoutingHandlers(prefs: TunnelPrefs, profiles: ProfileStore, tunnels: TunnelService, helper: HelperSupervisor): RoutingHandlers {
  const known = (name: string) => {
    if (!profiles.has(name)) throw new Error(`There is no tunnel named "${name}".`);
  };
  const view = async (name: string): Promise<LanBypassView> => {
    const on = prefs.get(name).excludeLan;
    const c = helper.current();
    if (!c || tunnels.stateOf(name) === 'down') return { on, running: false, prefixes: [] };
    const status = await c.call('status', { name }).catch(() => null);
    const t = status?.tunnels[0];
    return { on, running: !!t, prefixes: t?.lanBypass ?? [] };
  };
  return {
    'tunnels:lanBypass': (name) => { known(name); return view(name); },
    'tunnels:setExcludeLan': async (name, on) => {
      known(name);
      const before = prefs.get(name).excludeLan;
      prefs.set(name, { excludeLan: on });
      const c = helper.current();
      if (c && tunnels.stateOf(name) !== 'down') {
        try {
          await c.call('setOptions', { name, options: { excludeLan: on } });
        } catch (e) {
          prefs.set(name, { excludeLan: before });
          throw e;
        }
        tunnels.note(name, on ? 'The network you are on now bypasses the tunnel.' : 'The network you are on goes through the tunnel again.');
      }
      return view(name);
    },
    'tunnels:excludePrivateRecord': (name) => { known(name); return prefs.get(name).excludePrivate; },
    'tunnels:setExcludePrivateRecord': (name, record) => { known(name); prefs.set(name, { excludePrivate: record }); },
  };
}
