// Failover groups in the tray: one switch per group, saying which member
// runs and why; the members themselves leave the tunnel list.
import type { GroupStatus } from '../../../shared/ipc/groups.js';
import type { Language } from '../../../shared/ipc/types.js';
import { groupStrings } from '../groups/group-strings.js';
import type { TrayMenuItem } from './tray-model.js';

export function groupItems(groups: readonly GroupStatus[], language: Language): TrayMenuItem[] {
  const s = groupStrings(language);
  return groups.flatMap((g): TrayMenuItem[] => {
    const toggle: TrayMenuItem = {
      id: `group:${g.name}`,
      type: 'checkbox',
      label: g.on && g.active ? `${g.name} — ${g.active}` : `${g.name} (${s.groupOff})`,
      checked: g.on,
      action: { kind: 'toggle-group', name: g.name, active: !g.on },
    };
    if (!g.on || !g.reason) return [toggle];
    return [toggle, { id: `group-reason:${g.name}`, type: 'normal', label: `   ${s.reason(g.reason)}`, enabled: false }];
  });
}

/** Tunnels shown through their group instead of on their own. */
export function groupedTunnels(groups: readonly GroupStatus[]): Set<string> {
  return new Set(groups.flatMap((g) => g.members));
}
