// An in-process IpcApi over the real dispatcher: what unit tests and the e2e
// bridge use in place of Electron's ipcRenderer/ipcMain pair. The same checks
// run (sender, channel, arguments) because it goes through createDispatcher.
import type { Dispatch, SenderInfo } from './dispatch.js';
import type { EmitEvent, EventName, EventPayload, IpcApi } from '../../shared/ipc/schema.js';

export interface InMemoryIpc {
  readonly api: IpcApi;
  readonly emit: EmitEvent;
}

export function createInMemoryIpc(dispatch: Dispatch, sender: SenderInfo): InMemoryIpc {
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const api: IpcApi = {
    invoke: (channel, ...a) => dispatch(channel, a, sender) as never,
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
  };
  const emit: EmitEvent = <K extends EventName>(event: K, payload: EventPayload<K>) => {
    // structuredClone: listeners get a copy, as they would across a process boundary.
    for (const l of listeners.get(event) ?? []) l(structuredClone(payload));
  };
  return { api, emit };
}
