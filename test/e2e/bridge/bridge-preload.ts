// The e2e stand-in for electron/preload.ts: the same window.ipc (typed by the
// schema) over the loopback bridge. The page is served under /t/<token>/, so
// relative URLs carry the token. Calls are POSTs, but their answers come back
// on the one EventSource that carries the events, as Electron's one pipe does:
// an answer never overtakes an event sent before it, nor the reverse.
import { eventNames, invokeNames, type EventName, type IpcApi } from '../../../shared/ipc/schema.js';

type Answer = { id: number; ok: true; value: never } | { id: number; ok: false; error: string };

const listeners = new Map<EventName, Set<(p: unknown) => void>>();
const pending = new Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>();
const client = crypto.randomUUID();
let nextId = 1;
const source = new EventSource(`./events?client=${client}`);
const open = new Promise<void>((resolve) => source.addEventListener('open', () => resolve(), { once: true }));
source.addEventListener('answer', (e) => {
  const a = JSON.parse((e as MessageEvent<string>).data) as Answer;
  const p = pending.get(a.id);
  pending.delete(a.id);
  if (a.ok) p?.resolve(a.value);
  else p?.reject(new Error(a.error));
});
for (const name of eventNames) {
  source.addEventListener(name, (e) => {
    const payload: unknown = JSON.parse((e as MessageEvent<string>).data);
    for (const l of listeners.get(name) ?? []) l(payload);
  });
}

const api: IpcApi = {
  async invoke(channel, ...args) {
    if (!invokeNames.includes(channel)) throw new Error('Unknown request.');
    await open;
    const id = nextId++;
    const answer = new Promise<never>((resolve, reject) => pending.set(id, { resolve, reject }));
    const res = await fetch(`./ipc/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-client': client, 'x-call': String(id) }, body: JSON.stringify(args) });
    if (!res.ok) {
      pending.delete(id);
      throw new Error(await res.text());
    }
    return answer;
  },
  on(event, listener) {
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener as (p: unknown) => void);
    return () => void set.delete(listener as (p: unknown) => void);
  },
};
Object.defineProperty(window, 'ipc', { value: Object.freeze(api) });
