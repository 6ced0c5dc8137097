// The failover groups as main reports them: loaded once, then kept by the
// groups:changed event (main sends the whole list, it is short).
import { useEffect, useState } from 'react';
import type { GroupStatus } from '../../../shared/ipc/groups.js';
import { ipc } from '../../lib/ipc.js';

export function useGroups(): readonly GroupStatus[] {
  const [groups, setGroups] = useState<readonly GroupStatus[]>([]);
  useEffect(() => {
    let live = true;
    const off = ipc.on('groups:changed', (list) => { if (live) setGroups(list); });
    void ipc.invoke('groups:list').then((list) => { if (live) setGroups(list); }, () => undefined);
    return () => { live = false; off(); };
  }, []);
  return groups;
}
