// The e2e stand-in for electron/preload.ts: the same window.ipc (typed by the
// schema) over the loopback bridge. The page is served under /t/<token>/, so
// relative URLs carry the token; calls are POSTs, events one EventSource.
import { eventNames, invokeNames, type EventName, type IpcApi } from '../../../shared/ipc/schema.js';

const listeners = new Map<EventName, Set<(p: unknown) => void>>();
const source = new EventSource('./events');
for (const name of eventNames) {
  source.addEventListener(name, (e) => {
    const payload: unknown = JSON.parse((e as MessageEvent<string>).data);
    for (const l of listeners.get(name) ?? []) l(payload);
  });
}

const api: IpcApi = {
  async invoke(channel, ...args) {
    if (!invokeNames.includes(channel)) throw new Error('Unknown request.');
    const res = await fetch(`./ipc/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
    const body = (await res.json()) as { ok: true; value: never } | { ok: false; error: string };
    if (!body.ok) throw new Error(body.error);
    return body.value;
  },
  on(event, listener) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener as (p: unknown) => void);
    return () => void set.delete(listener as (p: unknown) => void);
  },
};
Object.defineProperty(window, 'ipc', { value: Object.freeze(api) });
